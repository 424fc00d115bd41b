"""The answer a user gets: text with `[n]` markers, the citations behind them, the passages.

`Answer.to_json()` is the stable interface of `rag ask --json` that the eval harness, the UI
and other tools read, and `Answer.from_json()` reads it back. What it leaves out: what a
person sees in a terminal (`rag.answer_text`); retrieving or deciding what to say.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# What a user asks for, and what answered: an LLM-mode answer that did not hold up is quoted
# from the passages instead and says so ("extractive-fallback").
AnswerMode = Literal["extractive", "llm"]
AnsweredBy = Literal["extractive", "llm", "extractive-fallback"]


@dataclass
class Passage:
    """One retrieved chunk, in rank order."""

    rank: int
    chunk_id: str
    doc: str
    title: str
    date: str
    source: str
    url: str
    text: str
    score: float
    start: int | None = None  # character offsets of the chunk in its article
    end: int | None = None
    also: list[dict[str, str]] = field(default_factory=list)  # other outlets of the story


@dataclass
class Citation:
    """What `[n]` points at: a verbatim span of one article."""

    n: int
    doc: str
    title: str
    date: str
    source: str
    url: str
    quote: str
    score: float
    chunk_id: str = ""
    start: int | None = None  # character offsets of the quote in its article
    end: int | None = None
    supported: bool = True  # passed the citation check (extractive quotes always do)
    passage: int | None = None  # rank of the cited passage among `passages`
    # the same story's copies under other outlets (source, date, url, title, doc): a wire
    # report is cited once with every outlet that ran it
    also: list[dict[str, str]] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        """Every outlet that ran the cited text: this copy's, then the others'."""
        names = [self.source] + [a.get("source", "") for a in self.also]
        return list(dict.fromkeys(n for n in names if n))


@dataclass
class Figure:
    """One side of a disagreement: the value one article gives, with its citation."""

    value: str
    n: int
    doc: str
    date: str
    source: str


@dataclass
class Dropped:
    """A citation the check took off a claim: the claim, the marker's number, and why."""

    claim: str
    marker: int
    reason: str


@dataclass
class Removed:
    """A sentence of the reply the check left out of the answer, and why."""

    claim: str
    reason: str


@dataclass
class CheckReport:
    """What the citation check (`rag.answering.citecheck`) did to a generated reply.

    An answer quoted from the articles carries none (`Answer.citation_check` is None): there
    was nothing written to check.
    """

    claims: int = 0  # sentences of the reply
    markers: int = 0  # citations they carried
    supported: int = 0  # citations a passage backs
    dropped: list[Dropped] = field(default_factory=list)
    removed_sentences: list[Removed] = field(default_factory=list)
    renumbered: bool = False  # the kept citations were numbered anew
    degenerate: str = ""  # why the reply as a whole is no answer (it echoes the prompt, …)
    generated: str = ""  # the model's reply as written
    off_question: str = ""  # why the checked reply does not answer the question asked

    def to_json(self) -> dict[str, Any]:
        """As `rag ask --json` has always written it: `degenerate` and `off_question` only
        when set."""
        data = asdict(self)
        return {k: v for k, v in data.items() if k not in ("degenerate", "off_question") or v}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "CheckReport | None":
        """The report `asdict` wrote (None, or an older empty `{}`: no check ran)."""
        if not data:
            return None
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["dropped"] = [Dropped(**d) for d in data.get("dropped", [])]
        fields["removed_sentences"] = [Removed(**r) for r in data.get("removed_sentences", [])]
        return cls(**fields)


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    mode: AnsweredBy
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    conflicts: list[list[Figure]] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    filters: dict[str, Any] = field(default_factory=dict)
    notice: str = ""
    citation_check: CheckReport | None = None  # set when an LLM wrote the reply
    short_answer: str | None = None  # the figure, date or name asked for, when one is found
    short_sure: bool = False  # the reader is sure of `short_answer`: it is shown first, in bold
    answerable: float | None = None  # the reader's probability that the passages answer it

    @property
    def as_of(self) -> str:
        """Date of the newest article cited ("" when none is dated)."""
        return max((c.date for c in self.citations if c.date), default="")

    @property
    def as_of_note(self) -> str:
        """ "As of …" in words, saying also when some cited articles carry no date."""
        undated = len({c.doc for c in self.citations if not c.date})
        articles = "article gives" if undated == 1 else "articles give"
        if not self.as_of:
            if not undated:
                return ""
            return (
                "The cited article gives no date."
                if undated == 1
                else f"None of the {undated} cited articles gives a date."
            )
        note = f"As of {self.as_of} (the newest article cited)"
        if undated:
            note = (
                f"As of {self.as_of}, the newest dated article cited; {undated} cited "
                f"{articles} no date and may be newer"
            )
        return note + "."

    @property
    def dropped(self) -> list[Dropped]:
        """Citations the check took off what an LLM wrote (none for a quoted answer)."""
        return self.citation_check.dropped if self.citation_check else []

    def to_json(self) -> dict[str, Any]:
        check = self.citation_check.to_json() if self.citation_check else {}
        return {**asdict(self), "citation_check": check, "as_of": self.as_of}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Answer":
        """The answer `to_json()` wrote, rebuilt (a kept conversation re-renders from it)."""
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["citations"] = [Citation(**c) for c in data.get("citations", [])]
        fields["passages"] = [Passage(**p) for p in data.get("passages", [])]
        fields["conflicts"] = [[Figure(**f) for f in group] for group in data.get("conflicts", [])]
        fields["citation_check"] = CheckReport.from_json(data.get("citation_check"))
        if "short_sure" not in data:  # written when a short answer was given only in bold
            fields["short_sure"] = bool(data.get("short_answer"))
        return cls(**fields)


def to_passages(nodes: list[Any]) -> list[Passage]:
    """Retrieved llama-index nodes (`NodeWithScore`) as numbered passages, in rank order."""
    passages = []
    for rank, nws in enumerate(nodes, start=1):
        meta = nws.node.metadata
        passages.append(
            Passage(
                rank=rank,
                chunk_id=nws.node.node_id,
                doc=meta.get("doc_id", ""),
                title=meta.get("title", ""),
                date=meta.get("date", ""),
                source=meta.get("source", ""),
                url=meta.get("url", ""),
                text=nws.node.get_content(),
                score=round(float(nws.score or 0.0), 6),
                start=nws.node.start_char_idx,
                end=nws.node.end_char_idx,
                also=also_reported_by(meta),
            )
        )
    return passages


def also_reported_by(meta: dict[str, Any]) -> list[dict[str, str]]:
    """The story's other copies a retrieved node carries (`rag.passage_caps.StoryCap`)."""
    return [dict(a) for a in meta.get("also_reported_by") or []]
