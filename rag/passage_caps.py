"""Caps on retrieved passages: at most a few per article, and one article per story.

`PerArticleCap` keeps one long article from crowding out the others; `StoryCap` keeps, of
the copies of one wire report (`rag.index.stories`), the best-ranked copy's passages, marked
"also reported by" the other outlets, and leaves out an older version an update replaced.
Both are llama-index node postprocessors over a ranking that retrieval (`rag.retrieval`)
made; they neither search nor filter by date or outlet.
"""

from __future__ import annotations

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import BaseNode, NodeWithScore, QueryBundle

from rag.index.registry_records import NO_RECORD, ArticleRecord
from rag.text.lexicon import Names, names_missing


def doc_of(nws: NodeWithScore) -> str:
    """The article id a retrieved passage belongs to."""
    return nws.node.metadata.get("doc_id") or nws.node.ref_doc_id or ""


def unnamed_in(node: BaseNode, names: Names) -> list[str]:
    """The `names` a passage never mentions, its article's title read with it: a passage
    that does not name what the question asks about answers nothing, however alike it reads."""
    return names_missing(names, f"{node.metadata.get('title', '')} {node.get_content()}")


class PerArticleCap(BaseNodePostprocessor):
    """The best passages in rank order, at most `max_per_article` of one article, `top_n` in all.

    The cap keeps one long article from crowding out the others. Rank decides the rest:
    filling every slot with a different article first would let unrelated articles displace
    an article's second, answering, passage once the store holds more articles than slots.

    `must_name`: the names the question asks about (`Question.asked_names`). A kept passage
    that never mentions them is a slot no answer can use (the answerer quotes no sentence of
    such a passage), so it gives way to the best-ranked passage left out that does mention
    them, one beyond an article's cap at most: "which lebanese minister did hochstein meet"
    is answered by the third passage of the one article naming Hochstein, and the cap had
    kept in its place a passage of another article that never names him.
    """

    max_per_article: int = 2
    top_n: int = 6
    must_name: Names | None = None

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        names = self.must_name if self.must_name and self.must_name.entities else None
        taken: dict[str, int] = {}
        kept: list[NodeWithScore] = []
        left: list[NodeWithScore] = []
        for nws in nodes:
            doc = doc_of(nws)
            if len(kept) < self.top_n and taken.get(doc, 0) < self.max_per_article:
                taken[doc] = taken.get(doc, 0) + 1
                kept.append(nws)
            elif names is not None:
                left.append(nws)
            elif len(kept) == self.top_n:
                break
        return kept if names is None else self._naming(nodes, kept, left, taken, names)

    def _naming(
        self,
        nodes: list[NodeWithScore],
        kept: list[NodeWithScore],
        left: list[NodeWithScore],
        taken: dict[str, int],
        names: Names,
    ) -> list[NodeWithScore]:
        """`kept` with each passage not naming `names` (the lowest-ranked first) replaced by
        the best-ranked passage `left` out that does, in the ranking's order."""

        def names_it(nws: NodeWithScore) -> bool:
            return not unnamed_in(nws.node, names)

        unused = [i for i in reversed(range(len(kept))) if not names_it(kept[i])]
        for nws in left:
            if not unused:
                break
            doc = doc_of(nws)
            if taken.get(doc, 0) > self.max_per_article or not names_it(nws):
                continue
            i = unused.pop(0)
            taken[doc_of(kept[i])] -= 1
            taken[doc] = taken.get(doc, 0) + 1
            kept[i] = nws
        order = {id(n): i for i, n in enumerate(nodes)}
        return sorted(kept, key=lambda n: order[id(n)])


ALSO_REPORTED_BY = "also_reported_by"  # node metadata: the story's other copies


def also_reported(members: dict[str, ArticleRecord], doc: str) -> list[dict[str, str]]:
    """The other current copies of `doc`'s story, as outlet/date/url/title/doc, oldest first."""
    return [
        {"doc": d, "source": r.source, "date": r.date, "url": r.url, "title": r.title}
        for d, r in sorted(members.items(), key=lambda kv: (kv[1].date, kv[0]))
        if d != doc and not r.superseded_by
    ]


class StoryCap(PerArticleCap):
    """`PerArticleCap` over stories: passages of one article per story, the best ranked.

    The other copies of that story do not take slots; their outlets ride along in the kept
    passages' metadata (`also_reported_by`), so answers and briefings cite every outlet.
    A version an update replaced (`superseded_by`) is dropped when its replacement is one the
    question may read (within the filters); otherwise, as of an earlier date, it still counts.
    `records` holds the registry records of the retrieved articles and of their stories.
    """

    records: dict[str, ArticleRecord] = {}
    admissible: set[str] = set()  # articles within the question's filters

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        lead: dict[str, str] = {}
        kept: list[NodeWithScore] = []
        for nws in nodes:
            doc = doc_of(nws)
            rec = self.records.get(doc, NO_RECORD)
            if rec.superseded_by in self.admissible:
                continue
            story = rec.story or doc
            if lead.setdefault(story, doc) != doc:
                continue
            kept.append(nws)
        kept = super()._postprocess_nodes(kept, query_bundle)
        out = []
        for nws in kept:
            doc = doc_of(nws)
            story = self.records.get(doc, NO_RECORD).story or doc
            members = {d: r for d, r in self.records.items() if (r.story or d) == story}
            node = nws.node.model_copy(
                update={
                    "metadata": {**nws.node.metadata, ALSO_REPORTED_BY: also_reported(members, doc)}
                }
            )
            out.append(NodeWithScore(node=node, score=nws.score))
        return out
