// One delegated handler. A click on [n] in an answer opens THAT answer's sources: its own
// folded cards are unfolded and the card flashed, and the side panel is refilled with that
// answer's cards (so the panel follows the message clicked). "Copy as Markdown" copies the
// export the message carries. A click on [n] in the briefing scrolls to its footnote.
// Read by ui/assets.py and put in the page's <head>.
function ragFlash(card) {
  document.querySelectorAll('.src.flash').forEach(el => el.classList.remove('flash'));
  card.classList.add('flash');
}
function ragMirror(message) {
  const panel = document.querySelector('#sources');
  const folded = message.querySelector('.msg-sources');
  if (!panel || !folded) { return; }
  const list = document.createElement('div');
  list.className = 'sources';
  folded.querySelectorAll('.src').forEach(card => {
    const copy = card.cloneNode(true);
    const n = [...card.classList].find(c => /^src-\d+$/.test(c));
    copy.id = n; copy.classList.remove(n, 'flash');
    const doc = card.querySelector('.src-doc');
    if (doc) { copy.dataset.doc = doc.textContent; }
    list.appendChild(copy);
  });
  const target = panel.querySelector('.sources, .sources-empty');
  if (target) { target.replaceWith(list); }
}
document.addEventListener('click', function (event) {
  const copyLink = event.target.closest('a.copy-md');
  if (copyLink) {
    event.preventDefault(); event.stopPropagation();
    const message = copyLink.closest('[data-testid=bot]') || copyLink.parentElement;
    const text = message.querySelector('.md-export').textContent;
    navigator.clipboard.writeText(text).then(() => {
      copyLink.textContent = 'Copied'; setTimeout(() => copyLink.textContent =
        'Copy as Markdown', 1500); });
    return;
  }
  const fn = event.target.closest('a[href^="#fn-"]');
  if (fn) {
    const note = document.getElementById(fn.getAttribute('href').slice(1));
    if (note) { event.preventDefault(); event.stopPropagation();
      note.scrollIntoView({behavior: 'smooth', block: 'center'});
      const item = note.closest('li') || note; ragFlash(item); }
    return;
  }
  const link = event.target.closest('a[href^="#src-"]');
  if (!link) { return; }
  const n = link.getAttribute('href').slice(1);
  event.preventDefault(); event.stopPropagation();
  const message = link.closest('[data-testid=bot]');
  if (message && message.querySelector('.msg-sources')) {
    ragMirror(message);
    const folded = message.querySelector('.msg-sources');
    folded.open = true;
    const own = folded.querySelector('.' + n);
    const inPanel = document.getElementById(n);
    const beside = inPanel && inPanel.getBoundingClientRect().width > 0 &&
      window.innerWidth >= 900;
    if (own) { ragFlash(own); }
    if (beside) { inPanel.classList.add('flash');
      inPanel.scrollIntoView({behavior: 'smooth', block: 'nearest'}); }
    else if (own) {  // after the chat's own autoscroll has reacted to the unfolding
      setTimeout(() => own.scrollIntoView({behavior: 'smooth', block: 'start'}), 300); }
    return;
  }
  const card = document.getElementById(n);
  if (!card) { return; }
  card.scrollIntoView({behavior: 'smooth', block: 'center'});
  ragFlash(card);
}, true);
// On a phone the conversation list starts folded away, so it does not cover the chat.
(function () {
  if (window.innerWidth >= 900) { return; }
  let tries = 0;
  const fold = setInterval(function () {
    const bar = document.querySelector('#sidebar.open .toggle-button');
    if (bar) { bar.click(); clearInterval(fold); }
    if (++tries > 300) { clearInterval(fold); }
  }, 100);
})();
