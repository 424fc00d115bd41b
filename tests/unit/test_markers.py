"""The `[n]` marker is one syntax everywhere: written, parsed, stripped and renumbered by
`rag.text.markers`, and read the same way by the citation check, the UI, briefing files and
the eval harness."""

from __future__ import annotations

from eval.metrics import answer_sentences
from rag import Answer, cited_numbers, strip_markers
from rag.answering.claims import split_claims
from rag.briefing.markdown import _cited_claims
from rag.text.markers import NOT_SAID, is_refusal, leading_markers, marker_runs, markers, renumber
from ui.render import answer_markdown, briefing_markdown, chat_markdown

REPLY = "The pier cost $230 million [1, 2]. It will close soon [3] [1]."


def test_numbers_are_read_from_single_and_grouped_markers() -> None:
    assert cited_numbers(REPLY) == [1, 2, 3, 1]
    assert cited_numbers("no markers, [a] nor [1.5] nor [ 2 ]") == []
    assert markers([4, 7]) == "[4] [7]"
    assert markers([]) == ""


def test_stripping_takes_the_space_before_each_marker() -> None:
    assert strip_markers(REPLY) == "The pier cost $230 million. It will close soon."
    assert strip_markers("[3] leads") == " leads"


def test_renumbering_maps_every_number_of_a_group() -> None:
    assert (
        renumber(REPLY, {1: 5, 2: 6, 3: 7})
        == "The pier cost $230 million [5, 6]. It will close soon [7] [5]."
    )
    assert renumber("x [2]", lambda n: n * 10) == "x [20]"


def test_a_run_of_markers_closes_the_claim_before_it() -> None:
    runs = list(marker_runs(REPLY))
    assert [numbers for _, _, numbers in runs] == [[1, 2], [3, 1]]
    start, end, _ = runs[1]
    assert REPLY[start:end] == " [3] [1]"
    assert leading_markers(" [2] [4] Next sentence.") == ([2, 4], " Next sentence.")
    assert leading_markers("Next [2].") == ([], "Next [2].")


def test_the_check_the_harness_and_briefing_files_read_a_group_alike() -> None:
    claims = split_claims(REPLY)
    assert [(c.text, c.cited) for c in claims] == [
        ("The pier cost $230 million.", [1, 2]),
        ("It will close soon.", [3, 1]),
    ]
    assert answer_sentences(REPLY) == [
        ("The pier cost $230 million", [1, 2]),
        (". It will close soon", [3, 1]),
    ]
    assert _cited_claims(REPLY, "Summary") == [
        ("The pier cost $230 million", [1, 2]),
        (". It will close soon", [3, 1]),
    ]


def test_the_chat_links_every_number_of_a_group() -> None:
    answer = Answer(
        question="q", answer="It cost $230 million [1, 2].", abstained=False, mode="extractive"
    )
    assert "[\\[1\\]](#src-1) [\\[2\\]](#src-2)" in chat_markdown(answer)
    assert "It cost $230 million [1] [2]." in answer_markdown(answer)
    shown = briefing_markdown("## Summary\n\nA point [1, 3].\n\n## Sources\n\n[1]: a\n[3]: b")
    assert "A point [\\[1\\]](#fn-1) [\\[3\\]](#fn-3)." in shown
    assert "1. <span class='fn' id='fn-1'></span>a" in shown


def test_the_refusal_is_recognised_in_the_ways_models_say_it() -> None:
    assert is_refusal(f"{NOT_SAID}.")
    assert is_refusal("  The articles do not mention the pier's cost.")
    assert not is_refusal("Officials say the articles do not say much.")
