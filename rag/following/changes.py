"""What changed in a topic since its last briefing: new facts, figures that moved, new events.

A refreshed briefing is compared with the version before it (`rag.following.topics.Version`):
- **new**: a line every article of which arrived since the last version (a syndicated copy of
  an old story cites an old article too, so it is not news), and which the topic's versions
  have not already said: not the same words (`merge.TWIN_OVERLAP` of content words) and not
  the same fact in other words (meaning within `paraphrase.SAME_FACT_COSINE` and no figure
  or date the old line lacked). Searching the older articles for each line as well was
  measured on a replay and dropped: precision stayed 0.52, recall fell from 0.92 to 0.84
  (`eval/findings/briefing-eval.md`, round 3);
- **moved**: a figure of a new line that counts the same thing at the same time as a figure
  the last version gave (`rag.briefing.quantities.same_quantity`) and differs from it
  ("killed: 1,200 → 1,400"), both quoted and cited;
- **on the timeline**: a new line the timeline places at a date it states.
What changed is about facts of the news that arrived, so two kinds of new line are left in
the briefing and out of the list: a line the timeline dates before the oldest article that
arrived (background a new article retells: "The 2003 outbreak…", "the first attempt was
scrubbed on August 29" a week later), and a view rather than a fact (`is_view`: a remark
mostly in quotes, "“It's too early to say,” said the mission manager"; a commentator's take,
"…, wrote tech analyst Dan Ives"; speculation). On the weekly replay of six real stories the
first two took 28 lines out of 162, 7 of them true news (`eval/findings/briefing-eval.md`,
round 5); views by commentators and speculation took 5 more, none true, and lines that do
not stand alone (`leans_on_another_sentence`: "The decision came the same day…") 2, both
false (round 7).
The list is in reading order (`_reading_order`): moved figures, then new events, then new
lines, each kind nearest its article's top first, so the surest news comes first.
Disagreements and open questions stay in their sections.
What this leaves out: building the briefing (`rag.briefing`) and keeping versions
(`rag.following.topics`).
"""

from __future__ import annotations

from datetime import date

from llama_index.core.schema import NodeWithScore, TextNode

from rag.answering.scoring import Sentence
from rag.briefing.merge import TWIN_OVERLAP
from rag.briefing.model import Briefing, Change, Event, Line
from rag.briefing.paraphrase import SAME_FACT_COSINE, figures
from rag.briefing.quantities import differ, quantities, same_quantity
from rag.following.topics import Mention
from rag.text.lexicon import cosine, terms
from rag.text.reporting_lines import is_view, leans_on_another_sentence


def mentions(briefing: Briefing) -> list[Mention]:
    """The briefing's lines as the next version compares with them (each once)."""
    seen: dict[str, Mention] = {}
    for line in _lines(briefing):
        first = line.sentences[0]
        seen.setdefault(
            line.text,
            Mention(
                text=line.text,
                docs=[s.doc for s in line.sentences],
                source=first.meta.get("source", ""),
                date=first.date,
                title=first.meta.get("title", ""),
                url=first.meta.get("url", ""),
                quote=first.text,
                vector=[round(x, 5) for x in first.vector],
            ),
        )
    return list(seen.values())


def what_changed(
    briefing: Briefing,
    before: list[Mention],
    candidates: list[Line],
    news_since: date | None = None,
) -> list[Change]:
    """The changes of `briefing` against the last version's `before`, among its `candidates`
    (`arrived_lines`: its lines from articles new or changed since), the oldest of which is
    dated `news_since`; see the module docstring."""
    events: dict[str, Event] = {}
    for ev in briefing.timeline:  # a line stands once on the timeline; by its words
        events.setdefault(ev.line.text, ev)
    found: list[Change] = []
    moved_kinds: set[tuple[str, str]] = set()
    for line in candidates:
        event = events.get(line.text)
        if _already_said(line, before) or (
            event is not None and news_since is not None and event.last_day < news_since
        ):
            continue
        moved = _moved(line, before, moved_kinds)
        if moved is not None:
            found.append(moved)
        elif is_view(line.text) or leans_on_another_sentence(line.text):
            continue
        elif event is not None and not event.label.endswith("(published)"):
            found.append(Change("event", line, what=event.label))
        else:
            found.append(Change("new", line))
    return sorted(found, key=_reading_order)


# the order a reader meets the changes in: figures that moved, then new events on the
# timeline, then other new lines (see `_reading_order`)
_KIND_ORDER = {"moved": 0, "event": 1, "new": 2}


def _reading_order(change: Change) -> tuple[int, int]:
    """Where a change goes in the list: by kind, then nearest its article's top first.

    Judged on round 8's weekly replays (`eval/findings/briefing-eval.md`, round 9), new
    timeline events were first reported that week 50 times in 70 and other new lines 44 in
    106; and news leads an article while background follows it (a line's place in its
    article tells them apart with an AUC of 0.60 to 0.69). So the surest changes come first:
    the first line of a refresh was true news in 21 of 31 refreshes, against 9 in the
    briefing's order. Which lines are listed does not change."""
    return _KIND_ORDER[change.kind], change.line.sentences[0].start


def arrived_lines(briefing: Briefing, arrived: set[str]) -> list[Line]:
    """The briefing's lines every article of which arrived since the last version: the
    candidates for news, before what was already said is taken out."""
    return [ln for ln in _lines(briefing) if all(s.doc in arrived for s in ln.sentences)]


def _lines(briefing: Briefing) -> list[Line]:
    """Summary, key points, timeline and open questions, each line once, in that order."""
    lines = briefing.summary + [ln for _, g in briefing.key_points for ln in g]
    lines += [ev.line for ev in briefing.timeline] + briefing.open_questions
    unique: dict[str, Line] = {}
    for line in lines:
        if line.sentences and "[" not in line.text:  # an LLM line carries its own markers
            unique.setdefault(line.text, line)
    return list(unique.values())


def _already_said(line: Line, before: list[Mention]) -> bool:
    """Whether the last version said this (`says_again`)."""
    return any(says_again(line.text, line.sentences[0].vector, m.text, m.vector) for m in before)


def says_again(text: str, vector: list[float], old: str, old_vector: list[float]) -> bool:
    """Whether `text` says what `old` said: the same words, or the same fact in other words
    with no figure or date `old` lacked."""
    words, old_words = terms(text), terms(old)
    if words and old_words:
        if len(words & old_words) / max(len(words), len(old_words)) >= TWIN_OVERLAP:
            return True
    elif text == old:
        return True
    return bool(
        vector
        and old_vector
        and cosine(vector, old_vector) >= SAME_FACT_COSINE
        and figures(text) <= figures(old)
    )


def _moved(line: Line, before: list[Mention], taken: set[tuple[str, str]]) -> Change | None:
    """The first figure of `line` that moved from a figure of one quantity the last version
    gave (once per thing counted), as a change citing both."""
    for new in quantities(line.text):
        for old in before:
            for was in quantities(old.text):
                key = (new.kind or new.unit, new.measure)
                if key in taken or not (same_quantity(new, was) and differ(new, was)):
                    continue
                taken.add(key)
                return Change(
                    "moved",
                    line,
                    was=Line(text=old.text, sentences=[_quoted(old)]),
                    what=new.kind or _counted(line.text, new.text),
                    before=was.text,
                    after=new.text,
                )
    return None


def _counted(text: str, figure: str) -> str:
    """What a figure counts, in the line's words: "federal workers" of "750,000 federal
    workers were furloughed"."""
    words = []
    for word in text[text.find(figure) + len(figure) :].split()[:3]:
        word = word.strip(".,;:“”\"'()")
        if not word or word.lower() in _NOT_COUNTED:
            break
        words.append(word)
        if word != word.rstrip(",;:"):
            break
    return " ".join(words) or "figure"


# words after a figure that say no more what it counts: "212,400 passengers since it opened"
_NOT_COUNTED = frozenset(
    "since in on at of to for from by who that which were was have has had are is said says "
    "will would could this last and or but as after before".split()
)


def _quoted(old: Mention) -> Sentence:
    """The last version's sentence as a footnote can cite it: its quote, article and date."""
    meta = {"doc_id": old.docs[0], "source": old.source, "date": old.date, "title": old.title}
    if old.url:
        meta["url"] = old.url
    node = TextNode(text=old.quote, metadata=meta)
    return Sentence(
        text=old.quote,
        start=0,
        end=len(old.quote),
        passage=NodeWithScore(node=node, score=1.0),
        passage_rank=0,
        vector=list(old.vector),
    )
