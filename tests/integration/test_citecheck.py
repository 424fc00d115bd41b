"""The citation check on hand-made passages and replies, with the real embedder: each case is
one a real small model (SmolLM2-135M, Qwen2.5-0.5B) got past the check before it was hardened."""

from __future__ import annotations

import pytest
from llama_index.core.schema import NodeWithScore, TextNode

from rag.answering.citecheck import check_citations
from rag.answering.generated import passages_block
from rag.index.embedder import get_embed_model
from rag.settings import Settings

THRESHOLD = 0.5


@pytest.fixture(scope="module")
def embed():  # type: ignore[no-untyped-def]
    return get_embed_model(Settings())


def passages(*texts: str, title: str = "An article") -> list[NodeWithScore]:
    return [NodeWithScore(node=TextNode(text=t, metadata={
        "title": title, "doc_id": f"doc{i}.txt", "date": "2024-01-04", "source": "Outlet"}),
        score=1.0) for i, t in enumerate(texts, start=1)]


GALLANT = ("Israeli Defense Minister Yoav Gallant spoke overnight Wednesday with his American "
           "counterpart Lloyd Austin about operational developments in the war against Hamas.")
DENIAL = ("The United States denied any role in the strike on the Hezbollah commander, a State "
          "Department spokesman told reporters in Washington.")
PIER = ("The 230 million dollars floating dock has been beset by problems since operations "
        "began, killing the hopes of aid groups. Some 1,200 tons of aid were delivered.")
MEETING = ("On January 4, 2024, Gallant met US envoy Amos Hochstein at the Defense Ministry in "
           "Tel Aviv to discuss the northern border.")


def test_a_weekday_the_passage_does_not_state_loses_its_citation(embed) -> None:
    result = check_citations("Gallant and Austin spoke by phone on Tuesday [1].",
                             passages(GALLANT), embed, THRESHOLD)
    assert result.citations == [] and result.text == ""
    assert result.summary["dropped"][0]["reason"] == "states “tuesday” not in [1]"
    ok = check_citations("Gallant and Austin spoke overnight Wednesday [1].",
                         passages(GALLANT), embed, THRESHOLD)
    assert [c.n for c in ok.citations] == [1]


@pytest.mark.parametrize("claim", ["The United States said it did [1].",
                                   "The United States played a role in the strike [1]."])
def test_a_claim_that_affirms_what_the_passage_denies_is_unsupported(embed, claim) -> None:
    result = check_citations(claim, passages(DENIAL), embed, THRESHOLD)
    assert result.citations == [] and result.abstained
    assert result.summary["dropped"][0]["reason"] in (
        "affirms what is denied in [1]", )


def test_a_claim_that_denies_what_the_passage_affirms_is_unsupported(embed) -> None:
    result = check_citations("Gallant did not speak with Lloyd Austin about the war [1].",
                             passages(GALLANT), embed, THRESHOLD)
    assert result.summary["dropped"][0]["reason"] == "denies what is affirmed in [1]"
    faithful = check_citations("The United States denied any role in the strike [1].",
                               passages(DENIAL), embed, THRESHOLD)
    assert [c.n for c in faithful.citations] == [1]


def test_a_title_is_not_evidence_for_a_chunk_that_does_not_contain_it(embed) -> None:
    nodes = passages(GALLANT, title="Gallant tells Hochstein the window for diplomacy is short")
    assert "Hochstein" in passages_block(nodes)  # the model sees the title in the header ...
    result = check_citations("Gallant told Hochstein the window for diplomacy is short [1].",
                             nodes, embed, THRESHOLD)
    assert result.citations == []  # ... but only the chunk's own text can support a claim
    assert "“Hochstein” not in [1]" in result.summary["dropped"][0]["reason"]


def test_dates_and_figures_match_however_they_are_written(embed) -> None:
    reply = ("Gallant met Hochstein in Tel Aviv (2024-01-04) [1]. The floating dock cost "
             "$230 million [2]. Some 1200 tons of aid were delivered by the dock [2].")
    result = check_citations(reply, passages(MEETING, PIER), embed, THRESHOLD)
    assert result.summary["dropped"] == [] and result.summary["removed_sentences"] == []
    assert [c.n for c in result.citations] == [1, 2]
    assert result.text.startswith("Gallant met Hochstein in Tel Aviv (2024-01-04). [1]")


def test_uncited_fragments_that_are_not_sentences_are_dropped(embed) -> None:
    reply = "Yes. The floating dock cost $230 million [1]. date 2024"
    result = check_citations(reply, passages(PIER), embed, THRESHOLD)
    assert result.text == "Yes. The floating dock cost $230 million. [1]"
    assert {"claim": "date 2024", "reason": "not a sentence of an answer"} in \
        result.summary["removed_sentences"]


def test_a_reply_that_echoes_the_prompt_is_degenerate(embed) -> None:
    reply = ("Rules:\n- Use only what the passages say.\nPassages:\n[1] An article\n"
             "The floating dock cost $230 million [1].\nQuestion: How much did it cost?")
    result = check_citations(reply, passages(PIER), embed, THRESHOLD)
    assert result.text == "" and result.citations == [] and result.abstained
    assert result.summary["degenerate"].startswith("the reply repeats the prompt")
    assert result.summary["claims"] >= 1  # the findings are kept for the notice


def test_a_refusal_followed_by_a_cited_claim_is_still_checked(embed) -> None:
    reply = "The articles do not say. The capital of Australia is Canberra [1]."
    result = check_citations(reply, passages(PIER), embed, THRESHOLD)
    assert "Canberra" not in result.text and result.citations == []
    assert result.abstained
