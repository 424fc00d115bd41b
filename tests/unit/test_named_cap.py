"""The per-article cap gives a slot no answer can use to a passage naming what is asked."""

from __future__ import annotations

from llama_index.core.schema import NodeWithScore, TextNode

from rag.passage_caps import PerArticleCap
from rag.text.lexicon import question_names


def _ranked(*passages: tuple[str, str]) -> list[NodeWithScore]:
    return [
        NodeWithScore(node=TextNode(id_=f"{doc}#{i}", text=text, metadata={"doc_id": doc}))
        for i, (doc, text) in enumerate(passages)
    ]


RANKED = _ranked(
    ("a", "Hochstein arrived in Beirut on Monday."),
    ("a", "Hochstein spoke to reporters."),
    ("b", "Rockets were fired at the border."),  # never names Hochstein
    ("a", "Hochstein met Foreign Minister Abdallah Bou Habib."),  # a's third
    ("c", "Talks on the border went on."),  # never names Hochstein
    ("a", "Hochstein left on Tuesday."),  # a's fourth: one beyond the cap at most
)


def _texts(nodes: list[NodeWithScore]) -> list[str]:
    return [n.node.get_content() for n in nodes]


def test_a_passage_not_naming_what_is_asked_gives_way_in_rank_order() -> None:
    cap = PerArticleCap(
        max_per_article=2, top_n=4, must_name=question_names("Whom did Hochstein meet?")
    )
    kept = cap.postprocess_nodes(RANKED)
    assert _texts(kept) == [  # in rank order; the lowest-ranked unusable slot went first
        "Hochstein arrived in Beirut on Monday.",
        "Hochstein spoke to reporters.",
        "Rockets were fired at the border.",  # a's fourth may not take it: one beyond the cap
        "Hochstein met Foreign Minister Abdallah Bou Habib.",
    ]


def test_without_names_the_cap_is_the_cap() -> None:
    for must_name in (None, question_names("what did they agree on")):
        kept = PerArticleCap(max_per_article=2, top_n=4, must_name=must_name).postprocess_nodes(
            RANKED
        )
        assert _texts(kept) == _texts([RANKED[0], RANKED[1], RANKED[2], RANKED[4]])
