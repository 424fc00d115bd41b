"""A question read once: its text and everything the answering steps read from it.

`Question.parse(text, today)` keeps the text and the day it is asked; what retrieval, the
reader and the answerers need from it is read on first use and kept: the kind of answer it
asks for (`rag.text.asked_kind`), its content words and what a "how many" counts
(`rag.text.lexicon`), the names it depends on with their aliases, the office whose holder it
asks for (`rag.text.offices`) or the name whose description it asks for
(`rag.text.descriptions`), the time it names (`rag.text.timeframe`) and its parts
(`rag.text.question_parts`), each part a `Question` too. A follow-up or a later part read
with what it leans on is `part.after(context)`: the words of both, the kind of answer the
part asks for.
What it leaves out: the parsing itself (the modules above do it, over plain text) and any
passage: matching a question against text is the answering steps' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import AbstractSet, Iterable, Mapping

from rag.text.asked_kind import (
    TopicAsked,
    answer_kind,
    asked_place,
    asked_sentence,
    asked_topic,
    asks_for_a_number,
)
from rag.text.descriptions import asked_who_is
from rag.text.figures import counts_things
from rag.text.lexicon import Names, counted_terms, name_alone, names_missing, question_names, terms
from rag.text.offices import Office, asked_office
from rag.text.question_parts import split_question
from rag.text.timeframe import (
    RecentWindow,
    Timeframe,
    news_window,
    parse_timeframe,
    recent_window,
)
from rag.text.truecase import cased_like

_WHO_OR_WHERE = re.compile(r"\W*(who|whom|where)\b", re.I)
# the words a follow-up leans on the chat with before its own question: "and who paid for
# it?" (`rag.conversation` reads them as leaning on the turn before)
CONNECTIVES = ("and", "but", "also", "so", "then", "or")
_CONNECTIVE = re.compile(rf"^\W*(?:(?:{'|'.join((*CONNECTIVES, 'ok', 'okay'))})\b[\s,]*)+", re.I)
# a question of its own: a question word or a verb opens it, and it is not "what about X?"
_OWN_QUESTION = re.compile(
    r"^(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|will|"
    r"would|can|could|has|have|had|should)\b(?!\s+(?:about|else)\b)",
    re.I,
)


@dataclass(frozen=True, eq=False)
class Question:
    """A question's text, the day it is asked (None: today) and, when the text carries
    context before what is asked (`after`), the question that asks."""

    text: str
    today: date | None = None
    asking: Question | None = None

    @classmethod
    def parse(cls, text: str, today: date | None = None) -> Question:
        """`text` as a question asked on `today`."""
        return cls(text, today)

    @classmethod
    def of(cls, question: str | Question) -> Question:
        """`question` itself, or a plain text parsed as a question asked today."""
        return question if isinstance(question, Question) else cls.parse(question)

    def after(self, context: str) -> Question:
        """This question read after `context` (the earlier question a follow-up leans on, the
        first part of a multi-part question): searched and matched with the words of both, it
        still asks for the kind of answer this one asks for. The words a follow-up opens
        with to lean on the conversation ("and who paid for it?") are not part of what it
        asks: read with them, "who" no longer opened it and it asked for no kind. One that
        asks nothing of its own ("what about the channel?", "in 2023?") asks the earlier
        question again, so the whole text is what asks."""
        own = _CONNECTIVE.sub("", self.text).strip()
        if not _OWN_QUESTION.match(own):
            return Question(f"{context} {self.text}", self.today)
        asking = self if own == self.text else Question(own, self.today)
        return Question(f"{context} {self.text}", self.today, asking=asking)

    def cased_like(
        self, passages: Iterable[str], names: Mapping[str, str] | None = None
    ) -> Question:
        """This question, typed in lower case, with its names written as its `passages` and
        the store (`names`) write them (`rag.text.truecase`): "who won the british open"
        depends on "British Open" as the question typed with capitals does. Itself when
        nothing changes."""
        passages = list(passages)
        text = cased_like(self.text, passages, names)
        asking = self.asking.cased_like(passages, names) if self.asking is not None else None
        if text == self.text and asking is self.asking:
            return self
        return Question(text, self.today, asking=asking)

    @cached_property
    def reader_text(self) -> str:
        """What the trained reader reads: the asking question alone when it asks a thing of
        its own ("and who paid for it?" after "How much did the dredging cost?": "who paid
        for it?"), else the whole text ("what about Lebanon?" asks the earlier question
        again). Given both questions the reader, trained on single ones, answers the first:
        the follow-up got the cost. The passages it reads were found with both, so "it" is
        the earlier question's subject there."""
        return self.asking.text if self.asking is not None else self.text

    @cached_property
    def kind(self) -> str | None:
        """The kind of answer asked for ('quantity', 'date', 'person'…; None: no kind)."""
        return self.asking.kind if self.asking else self.whole_kind

    @cached_property
    def topic(self) -> TopicAsked | None:
        """What it asks to be told about (and the outlet it names), when it asks what the
        articles say on a topic rather than for a fact ("What do the articles say about
        Hochstein?": "Hochstein"); else None."""
        return self.asking.topic if self.asking else asked_topic(self.text)

    @cached_property
    def asks_for_a_number(self) -> bool:
        """Whether it asks for a number outright ("how many", "how much", "what did it cost"),
        so that only a sentence giving a number can answer it."""
        return self.asking.asks_for_a_number if self.asking else asks_for_a_number(self.text)

    @cached_property
    def counts_things(self) -> bool:
        """Whether it asks "how many" of things, not people ("how many rockets"), so that a
        sentence whose only numbers count people cannot answer it (`rag.text.figures`)."""
        return self.asking.counts_things if self.asking else counts_things(self.text)

    @cached_property
    def place(self) -> str | None:
        """'country' or 'state' when it asks for a country or a US state by its noun ("Which
        nation…"), so that the answer must be one (`rag.text.places`); else None."""
        return self.asking.place if self.asking else asked_place(self.text)

    @cached_property
    def asks_who_or_where(self) -> bool:
        """Whether "who" or "where" leads the asking sentence (a person or a place is asked
        for surely; "which X" is read less surely)."""
        if self.asking:
            return self.asking.asks_who_or_where
        return bool(_WHO_OR_WHERE.match(asked_sentence(self.text)))

    @cached_property
    def office(self) -> Office | None:
        """The office whose holder it asks for ("who's the us ambassador to israel"), so that
        someone the passages give another office does not answer it (`rag.text.offices`)."""
        return self.asking.office if self.asking else asked_office(asked_sentence(self.text))

    @cached_property
    def who_is(self) -> str | None:
        """The name a "who is X?" question asks about ("who is deif": "deif"), answered by a
        sentence saying who X is (`rag.text.descriptions`); else None."""
        return self.asking.who_is if self.asking else asked_who_is(asked_sentence(self.text))

    @cached_property
    def whole_kind(self) -> str | None:
        """The kind of answer the whole text asks for, context included: what the conflict
        finder goes by (for a question with no context, `kind`)."""
        return answer_kind(self.text)

    @cached_property
    def terms(self) -> AbstractSet[str]:
        """Stemmed content words and bare numbers (`rag.text.lexicon.terms`)."""
        return terms(self.text)

    @cached_property
    def counted(self) -> AbstractSet[str]:
        """What a "how many X" question counts: the terms of X (empty when it counts none)."""
        return counted_terms(self.text)

    @cached_property
    def names(self) -> Names:
        """The names the question depends on, with the runs and aliases passages may use."""
        return question_names(self.text)

    @property
    def entities(self) -> tuple[str, ...]:
        """The names the question mentions, as written."""
        return self.names.entities

    @cached_property
    def each_name(self) -> tuple[Names, ...]:
        """Each name on its own, as a question that mentions only it (its first word not
        taken for a sentence opener): to tell whether a candidate answer restates one."""
        return tuple(name_alone(e) for e in self.entities)

    def missing_in(self, haystack: str) -> list[str]:
        """The names the question depends on that `haystack` never mentions."""
        return names_missing(self.names, haystack)

    @cached_property
    def asked_names(self) -> Names:
        """The names of the sentence that asks (`asked_sentence`), which a passage quoted for
        the answer must mention. The sentences before it set the story: "Season 5 of “The
        Crown” was released this week on Netflix. Who plays Princess Diana in the series?" is
        answered by a passage on the cast that never says Netflix (on RealTime QA, holding
        passages to every name refused 0.053 of the answerable questions, to the asking
        sentence's 0.046, the unanswerable ones refused alike). A follow-up or a later part
        keeps the names of what it leans on: those are its subject."""
        if self.asking is not None:
            return self.names
        sentence = asked_sentence(self.text)
        return self.names if sentence == self.text else question_names(sentence)

    @cached_property
    def timeframe(self) -> Timeframe | None:
        """The publication range the question names ("in January 2024"), if any."""
        return parse_timeframe(self.text, self.today)

    @cached_property
    def recent(self) -> RecentWindow | None:
        """The days before `today` a "this week" or "recently" question is about, if any."""
        return recent_window(self.text, self.today)

    @cached_property
    def news_days(self) -> RecentWindow:
        """The days retrieval ranks first: `recent`, or the last days before `today` when
        the question names no time (`rag.text.timeframe.news_window`)."""
        return news_window(self.text, self.today)

    @cached_property
    def parts(self) -> tuple[Question, ...]:
        """The questions it holds; itself alone when it asks one thing."""
        texts = split_question(self.text)
        if len(texts) == 1:
            return (self,)
        return tuple(Question(t, self.today) for t in texts)
