"""The citation check on hand-made passages, seed articles and replies, with the real
embedder: each case is one a real small model (SmolLM2-135M, Qwen2.5-0.5B) got past the check
before it was hardened, or a wrong claim that passed it (a swapped speaker, a reply of
questions copied from the passages)."""

from __future__ import annotations

import pytest
from llama_index.core.schema import NodeWithScore, TextNode

from rag.answer import Dropped, Removed
from rag.answering.citecheck import check_citations
from rag.answering.generated import passages_block
from rag.index.embedder import get_embed_model
from rag.settings import Settings
from tests.helpers import SEEDS

THRESHOLD = 0.5


@pytest.fixture(scope="module")
def embed():  # type: ignore[no-untyped-def]
    return get_embed_model(Settings())


def passages(*texts: str, title: str = "An article") -> list[NodeWithScore]:
    return [
        NodeWithScore(
            node=TextNode(
                text=t,
                metadata={
                    "title": title,
                    "doc_id": f"doc{i}.txt",
                    "date": "2024-01-04",
                    "source": "Outlet",
                },
            ),
            score=1.0,
        )
        for i, t in enumerate(texts, start=1)
    ]


GALLANT = (
    "Israeli Defense Minister Yoav Gallant spoke overnight Wednesday with his American "
    "counterpart Lloyd Austin about operational developments in the war against Hamas."
)
DENIAL = (
    "The United States denied any role in the strike on the Hezbollah commander, a State "
    "Department spokesman told reporters in Washington."
)
PIER = (
    "The 230 million dollars floating dock has been beset by problems since operations "
    "began, killing the hopes of aid groups. Some 1,200 tons of aid were delivered."
)
MEETING = (
    "On January 4, 2024, Gallant met US envoy Amos Hochstein at the Defense Ministry in "
    "Tel Aviv to discuss the northern border."
)


def test_a_weekday_the_passage_does_not_state_loses_its_citation(embed) -> None:
    result = check_citations(
        "Gallant and Austin spoke by phone on Tuesday [1].", passages(GALLANT), embed, THRESHOLD
    )
    assert result.citations == [] and result.text == ""
    assert result.report.dropped[0].reason == "states “tuesday” not in [1]"
    ok = check_citations(
        "Gallant and Austin spoke overnight Wednesday [1].", passages(GALLANT), embed, THRESHOLD
    )
    assert [c.n for c in ok.citations] == [1]


@pytest.mark.parametrize(
    "claim",
    ["The United States said it did [1].", "The United States played a role in the strike [1]."],
)
def test_a_claim_that_affirms_what_the_passage_denies_is_unsupported(embed, claim) -> None:
    result = check_citations(claim, passages(DENIAL), embed, THRESHOLD)
    assert result.citations == [] and result.abstained
    assert result.report.dropped[0].reason in ("affirms what is denied in [1]",)


def test_a_claim_that_denies_what_the_passage_affirms_is_unsupported(embed) -> None:
    result = check_citations(
        "Gallant did not speak with Lloyd Austin about the war [1].",
        passages(GALLANT),
        embed,
        THRESHOLD,
    )
    assert result.report.dropped[0].reason == "denies what is affirmed in [1]"
    faithful = check_citations(
        "The United States denied any role in the strike [1].", passages(DENIAL), embed, THRESHOLD
    )
    assert [c.n for c in faithful.citations] == [1]


def test_a_title_is_not_evidence_for_a_chunk_that_does_not_contain_it(embed) -> None:
    nodes = passages(GALLANT, title="Gallant tells Hochstein the window for diplomacy is short")
    assert "Hochstein" in passages_block(nodes)  # the model sees the title in the header ...
    result = check_citations(
        "Gallant told Hochstein the window for diplomacy is short [1].", nodes, embed, THRESHOLD
    )
    assert result.citations == []  # ... but only the chunk's own text can support a claim
    assert "“Hochstein” not in [1]" in result.report.dropped[0].reason


def test_dates_and_figures_match_however_they_are_written(embed) -> None:
    reply = (
        "Gallant met Hochstein in Tel Aviv (2024-01-04) [1]. The floating dock cost "
        "$230 million [2]. Some 1200 tons of aid were delivered by the dock [2]."
    )
    result = check_citations(reply, passages(MEETING, PIER), embed, THRESHOLD)
    assert result.report.dropped == [] and result.report.removed_sentences == []
    assert [c.n for c in result.citations] == [1, 2]
    assert result.text.startswith("Gallant met Hochstein in Tel Aviv (2024-01-04). [1]")


def test_uncited_fragments_that_are_not_sentences_are_dropped(embed) -> None:
    reply = "Yes. The floating dock cost $230 million [1]. date 2024"
    result = check_citations(reply, passages(PIER), embed, THRESHOLD)
    assert result.text == "Yes. The floating dock cost $230 million. [1]"
    assert Removed("date 2024", "not a sentence of an answer") in result.report.removed_sentences


def test_a_reply_that_echoes_the_prompt_is_degenerate(embed) -> None:
    reply = (
        "Rules:\n- Use only what the passages say.\nPassages:\n[1] An article\n"
        "The floating dock cost $230 million [1].\nQuestion: How much did it cost?"
    )
    result = check_citations(reply, passages(PIER), embed, THRESHOLD)
    assert result.text == "" and result.citations == [] and result.abstained
    assert result.report.degenerate.startswith("the reply repeats the prompt")
    assert result.report.claims >= 1  # the findings are kept for the notice


def test_a_refusal_followed_by_a_cited_claim_is_still_checked(embed) -> None:
    reply = "The articles do not say. The capital of Australia is Canberra [1]."
    result = check_citations(reply, passages(PIER), embed, THRESHOLD)
    assert "Canberra" not in result.text and result.citations == []
    assert result.abstained


def seed_article(prefix: str) -> str:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# Seed 003: "Defense Minister Yoav Gallant told US special envoy to the region Amos Hochstein
# that there is “a short window of time for diplomatic understandings” …"; seed 002: "Gallant
# detailed the recent strike targeting Mohammed Deif …, calling him the “Osama bin Laden of
# Gaza”". Each whole article is the passage, as a long chunk would be.
HOCHSTEIN = seed_article("003")
DEIF = seed_article("002")


@pytest.mark.parametrize(
    "claim, article, reason",
    [
        (
            "Hochstein told Gallant there is a short window for a diplomatic solution [1].",
            HOCHSTEIN,
            "names “Hochstein” as the one who told where it is “Defense Minister Yoav "
            "Gallant” in [1]",
        ),
        (
            "Austin called him the Osama bin Laden of Gaza [1].",
            DEIF,
            "names “Austin” as the one who called where it is “Gallant” in [1]",
        ),
    ],
)
def test_a_claim_that_swaps_the_speaker_is_unsupported(embed, claim, article, reason) -> None:
    result = check_citations(claim, passages(article), embed, THRESHOLD)
    assert result.citations == [] and result.text == "" and result.abstained
    assert result.report.dropped == [Dropped(claim.replace(" [1]", ""), 1, reason)]


@pytest.mark.parametrize(
    "claim, article",
    [
        (
            "Gallant told Hochstein there is a short window for a diplomatic solution [1].",
            HOCHSTEIN,
        ),
        (
            "Defense Minister Yoav Gallant told US envoy Amos Hochstein that there is a short "
            "window "
            "for diplomatic understandings [1].",
            HOCHSTEIN,
        ),
        (
            "Hochstein was told by Gallant that there is a short window for diplomatic "
            "understandings [1].",
            HOCHSTEIN,
        ),
        ("Gallant called Deif the Osama bin Laden of Gaza [1].", DEIF),
        (
            "Defense Minister Yoav Gallant called Mohammed Deif the “Osama bin Laden of Gaza” [1].",
            DEIF,
        ),
        (
            "Austin confirmed to Gallant that the temporary Gaza pier will soon cease "
            "operations [1].",
            DEIF,
        ),
    ],
)
def test_a_claim_with_the_right_speaker_keeps_its_citation(embed, claim, article) -> None:
    result = check_citations(claim, passages(article), embed, THRESHOLD)
    assert result.report.dropped == [] and result.report.removed_sentences == []
    assert [c.n for c in result.citations] == [1] and not result.abstained
    assert result.text == claim.replace(" [1].", ". [1]")


CIVICS = (
    "Civics test, question one. In the U.S., what is the supreme law of the land? The "
    "answer is the Constitution, which sets up the government."
)
RIGHTS = (
    "Question two. What is the Bill of Rights? The Bill of Rights is the first ten "
    "amendments to the Constitution."
)
QUESTIONS = "In the U.S., what is the supreme law of the land? [1] What is the Bill of Rights? [2]"


def test_a_reply_of_questions_copied_from_the_passages_fails_the_check(embed) -> None:
    result = check_citations(QUESTIONS, passages(CIVICS, RIGHTS), embed, THRESHOLD)
    assert result.text == "" and result.citations == [] and result.abstained
    assert result.report.degenerate == "the reply asks questions instead of answering"
    assert result.report.supported == 0
    assert [(d.marker, d.reason) for d in result.report.dropped] == [
        (1, "a question is not a claim [1]"),
        (2, "a question is not a claim [2]"),
    ]
    assert [r.reason for r in result.report.removed_sentences] == ["a question, not a claim"] * 2


def test_a_question_beside_an_answer_is_removed_and_the_answer_kept(embed) -> None:
    reply = (
        "What is the Bill of Rights? [2] The Bill of Rights is the first ten amendments "
        "to the Constitution [2]."
    )
    result = check_citations(reply, passages(CIVICS, RIGHTS), embed, THRESHOLD)
    assert result.text == (
        "The Bill of Rights is the first ten amendments to the Constitution. [1]"
    )
    assert [c.passage for c in result.citations] == [2] and not result.abstained
    assert (
        Dropped("What is the Bill of Rights?", 2, "a question is not a claim [2]")
        in result.report.dropped
    )


def test_llm_mode_quotes_the_passages_when_the_reply_only_asks(embed, monkeypatch) -> None:
    from rag.answer import Answer
    from rag.answering import generated
    from rag.answering.fallback import FallbackAnswerer

    class Quoter:  # stands in for the extractive answerer: it has an answer to quote
        def answer(self, question, nodes, on_token=None, topic=""):  # type: ignore[no-untyped-def]
            return Answer(
                question=question,
                answer="The Constitution. [1]",
                abstained=False,
                mode="extractive",
            )

    monkeypatch.setattr(generated, "chat", lambda *args, **kwargs: QUESTIONS)
    primary = generated.GeneratedAnswerer(Settings(), embed)
    llm = FallbackAnswerer(primary, Quoter())  # type: ignore[arg-type]
    answer = llm.answer("What is the supreme law of the land?", passages(CIVICS, RIGHTS))
    assert answer.mode == "extractive-fallback" and answer.answer == "The Constitution. [1]"
    assert "did not hold up against the passages" in answer.notice
    assert answer.citation_check.degenerate == "the reply asks questions instead of answering"
    assert answer.citation_check.generated == QUESTIONS
