// One delegated handler. A click on [n] in an answer opens THAT answer's sources: its own
// folded cards are unfolded and the card flashed, and the side panel is refilled with that
// answer's cards (so the panel follows the message clicked). "Copy as Markdown" copies the
// export the message carries. A click on [n] in the briefing scrolls to its footnote.
// "Read the article" opens a card's whole article; "Ask next" links ask their question; the
// address follows the conversation.
// Read by ui/assets.py and put in the page's <head>.
function ragFlash(card) {
  document.querySelectorAll('.flash').forEach(el => el.classList.remove('flash'));
  void card.offsetWidth;  // a second click on the same [n] flashes it again
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
// The open conversation names the page's address (?c=ID), so a reload, a bookmark or a
// shared link reopens it; back and forward reload the page, whose load opens the address.
// An empty chat that becomes a conversation with its first question takes its place in the
// history (as in ChatGPT), so back goes to the conversation before, not to a blank page.
function ragAddress(c) {
  const url = new URL(window.location.href);
  const was = url.searchParams.get('c') || '';
  if (was === (c || '')) { return; }
  if (c) { url.searchParams.set('c', c); } else { url.searchParams.delete('c'); }
  if (!was) { history.replaceState({c: c || ''}, '', url); }
  else { history.pushState({c: c || ''}, '', url); }
}
window.addEventListener('popstate', () => window.location.reload());
// "Read the article" on a card asks the server for the whole article (a hidden button
// whose js= step hands over window.ragWanted); once shown, the quote is scrolled to.
function ragReadArticle(card) {
  const doc = card.querySelector('.src-doc');
  const mark = card.querySelector('.passage mark');
  const open = document.querySelector('#article-open');
  if (!doc || !open) { return; }
  window.ragWanted = JSON.stringify({doc: doc.textContent, quote: mark ? mark.textContent : ''});
  open.click();
}
function ragQuote() {
  let tries = 0;
  const look = setInterval(function () {
    const mark = document.querySelector('#article-view #article-quote');
    if (mark) { clearInterval(look); mark.scrollIntoView({block: 'center'}); }
    if (++tries > 50) { clearInterval(look); }
  }, 60);
}
// What was typed leaves its box (`selector`: the question, a feed's address) the moment it
// is sent, here in the page: emptied by the server's reply instead, the box lost what the
// reader had typed since. The send's inputs go on as they were.
function ragSent(selector, inputs) {
  const box = document.querySelector(selector);
  if (box && box.value) {
    box.value = '';
    box.dispatchEvent(new Event('input', {bubbles: true}));
  }
  return inputs;
}
// Files chosen for the library leave their box as Add is clicked: still listed there, they
// were taken for files not yet added, and an Add clicked again sent them twice.
function ragFilesSent(files) {
  const clear = document.querySelector('#upload button[aria-label="Clear"]');
  if (clear && files && files.length) { clear.click(); }
  return [files];
}
// A link in a message acts through a hidden button: `value` is left in window[name], where
// that button's js= step hands it over, and the button is clicked.
function ragHandOver(event, name, value, button) {
  event.preventDefault(); event.stopPropagation();
  window[name] = value;
  const go = document.querySelector(button);
  if (go) { go.click(); }
}
// A question asked before a delete is scrolled to where the reader is looking.
function ragShow(selector) {
  let tries = 0;
  const look = setInterval(function () {
    const row = document.querySelector(selector);
    if (row && row.offsetParent !== null) {
      clearInterval(look); row.scrollIntoView({behavior: 'smooth', block: 'center'}); }
    if (++tries > 50) { clearInterval(look); }
  }, 60);
}
document.addEventListener('keydown', function (event) {
  const close = document.querySelector('#article-view #article-close');
  if (event.key === 'Escape' && close && close.offsetParent !== null) { close.click(); }
});
document.addEventListener('click', function (event) {
  const next = event.target.closest('a.follow-up');
  if (next) {  // a suggested next question, asked as if typed
    ragHandOver(event, 'ragFollowUp', next.textContent, '#follow-up-ask');
    return;
  }
  const back = event.target.closest('a[href^="#take-back-"]');
  if (back) {  // a question waiting its turn, taken back
    const turn = back.getAttribute('href').slice('#take-back-'.length);
    ragHandOver(event, 'ragTakeBack', turn, '#take-back');
    return;
  }
  const read = event.target.closest('a.open-article');
  if (read) {
    event.preventDefault(); event.stopPropagation();
    ragReadArticle(read.closest('.src'));
    return;
  }
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
    const own = folded.querySelector('.' + n);  // a card quoting one passage twice has both
    const inPanel = document.querySelector('#sources #' + n + ', #sources .' + n);
    const beside = inPanel && inPanel.getBoundingClientRect().width > 0 &&
      window.innerWidth >= 900;
    if (own) { ragFlash(own); }
    if (beside) { inPanel.classList.add('flash');
      inPanel.scrollIntoView({behavior: 'smooth', block: 'nearest'}); }
    else if (own) {  // after the chat's own autoscroll has reacted to the unfolding
      setTimeout(() => own.scrollIntoView({behavior: 'smooth', block: 'start'}), 300); }
    return;
  }
  const card = document.getElementById(n) || document.querySelector('#sources .' + n);
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
