"""Each metric on hand-made cases whose right value is known."""

from __future__ import annotations

import json
import math

import pytest

from eval.gold import Evidence, GoldItem
from eval.metrics import (
    answer_sentences,
    citation_scores,
    contains,
    exact_match,
    f1,
    faithfulness_proxy,
    passage_is_relevant,
    retrieval_scores,
    score,
)
from eval.summary import summarize

EVIDENCE = [{"doc": "a.txt", "quote": "The $230 million floating dock has been beset by problems"}]


def test_squad_normalisation_em_f1_contains() -> None:
    assert exact_match("The Osama bin Laden of Gaza!", ["Osama bin Laden of Gaza"]) == 1.0
    assert exact_match("bin Laden", ["Osama bin Laden of Gaza"]) == 0.0
    # prediction "bin laden" vs gold "osama bin laden of gaza": p=1, r=2/5 -> f1=4/7
    assert f1("bin Laden", ["Osama bin Laden of Gaza"]) == pytest.approx(4 / 7)
    assert f1("nothing alike", ["Osama bin Laden of Gaza", "bin Laden"]) == 0.0
    assert f1("Laden bin", ["xyz", "bin Laden"]) == 1.0  # best over acceptable answers
    assert (
        contains(
            "He called him the “Osama bin Laden of Gaza,” said the ministry.",
            ["Osama bin Laden of Gaza"],
        )
        == 1.0
    )
    assert contains("It cost $230 million.", ["230 million"]) == 1.0
    assert contains("It cost a lot.", ["230 million"]) == 0.0


def test_passage_relevance_needs_the_doc_and_the_quote() -> None:
    good = {
        "doc": "a.txt",
        "text": "Pier news. The  $230 MILLION floating dock has been\nbeset by problems since May.",
    }
    assert passage_is_relevant(good, EVIDENCE)  # whitespace and case do not matter
    assert not passage_is_relevant({**good, "doc": "b.txt"}, EVIDENCE)
    assert not passage_is_relevant({"doc": "a.txt", "text": "Other text."}, EVIDENCE)
    # a quote cut by a chunk boundary counts for either chunk
    head = {"doc": "a.txt", "text": "Pier news. The $230 million floating dock"}
    tail = {"doc": "a.txt", "text": "has been beset by problems since May."}
    assert passage_is_relevant(head, EVIDENCE) and passage_is_relevant(tail, EVIDENCE)
    assert not passage_is_relevant({"doc": "a.txt", "text": "problems since May."}, EVIDENCE)


def test_retrieval_scores_by_rank() -> None:
    miss = {"doc": "b.txt", "text": "x"}
    hit = {"doc": "a.txt", "text": EVIDENCE[0]["quote"]}
    s = retrieval_scores([miss, miss, hit], EVIDENCE)
    assert s["hit@1"] == 0.0 and s["hit@5"] == 1.0 and s["mrr"] == pytest.approx(1 / 3)
    assert s["ndcg@10"] == pytest.approx(1 / math.log2(4))
    assert retrieval_scores([hit], EVIDENCE) == {
        "hit@1": 1.0,
        "hit@5": 1.0,
        "hit@10": 1.0,
        "mrr": 1.0,
        "ndcg@10": 1.0,
        "article_hit@5": 1.0,
    }
    far = retrieval_scores([miss] * 7 + [hit], EVIDENCE)
    assert far["hit@5"] == 0.0 and far["hit@10"] == 1.0
    assert retrieval_scores([miss], EVIDENCE)["mrr"] == 0.0


def test_article_hit_counts_the_evidence_article_or_a_copy_of_its_story_in_the_top_5() -> None:
    """The passage taken from the evidence article may hold another part of it; a syndicated
    copy under another outlet carries the same report."""
    miss = {"doc": "b.txt", "text": "x"}
    other_part = {"doc": "a.txt", "text": "The pier opened in May."}
    s = retrieval_scores([miss, other_part], EVIDENCE)
    assert s["hit@5"] == 0.0 and s["article_hit@5"] == 1.0
    copy = {"doc": "c.txt", "text": "x", "also": [{"doc": "a.txt", "source": "AP"}]}
    assert retrieval_scores([copy], EVIDENCE)["article_hit@5"] == 1.0
    assert retrieval_scores([miss] * 5 + [other_part], EVIDENCE)["article_hit@5"] == 0.0


def test_answer_sentences_split_claims_and_markers() -> None:
    text = "The dock cost $230 million. [1] It closed in July [2][3]\nUncited trailing claim here."
    assert answer_sentences(text) == [
        ("The dock cost $230 million.", [1]),
        ("It closed in July", [2, 3]),
        ("Uncited trailing claim here.", []),
    ]
    assert answer_sentences("The articles give different figures:\n- 80,000 (x): A b c [1]") == [
        ("80,000 (x): A b c", [1])
    ]


def test_citation_precision_and_recall() -> None:
    result = {
        "abstained": False,
        "answer": "The floating dock cost $230 million. [1] Pigs fly over Gaza daily. [2]",
        "citations": [
            {"n": 1, "quote": EVIDENCE[0]["quote"]},
            {"n": 2, "quote": "Gallant spoke with Austin."},
        ],
    }
    # [1]: claim words dock/cost/230/million/float: 'cost' missing -> 4/5 = 0.8 >= 0.7
    assert citation_scores(result) == {"precision": 0.5, "recall": 0.5}
    bogus = {**result, "answer": "The floating dock cost $230 million. [7]"}
    assert citation_scores(bogus) == {"precision": 0.0, "recall": 0.0}  # [7] points nowhere
    assert citation_scores({"abstained": True, "answer": "The articles do not say."}) is None


def test_faithfulness_proxy_counts_words_found_in_cited_quotes() -> None:
    result = {
        "abstained": False,
        "answer": "floating dock problems [1] unicorns",
        "citations": [{"n": 1, "quote": EVIDENCE[0]["quote"]}],
    }
    assert faithfulness_proxy(result) == pytest.approx(3 / 4)


def test_score_and_summarize_with_refusals() -> None:
    answerable = GoldItem(
        "q1",
        "How much did the dock cost?",
        ("$230 million",),
        (Evidence("a.txt", EVIDENCE[0]["quote"]),),
        True,
        ("figure",),
    )
    unanswerable = GoldItem("q2", "Who won?", (), (), False, ("unanswerable",))
    answered = {
        "abstained": False,
        "answer": f"{EVIDENCE[0]['quote']}. [1]",
        "citations": [{"n": 1, "quote": EVIDENCE[0]["quote"]}],
        "passages": [{"doc": "a.txt", "text": EVIDENCE[0]["quote"]}],
        "timings_ms": {"total": 100.0},
    }
    refused = {
        "abstained": True,
        "answer": "The articles do not say.",
        "citations": [],
        "passages": [],
        "timings_ms": {"total": 300.0},
    }
    rows = [
        {**answered, "scores": score(answered, answerable)},
        {**refused, "scores": score(refused, unanswerable)},
        {**answered, "scores": score(answered, unanswerable)},  # should have refused
        {**refused, "scores": score(refused, answerable)},
    ]  # wrongly refused
    s = summarize(rows)
    assert s["n"] == 4 and s["accuracy"] == 0.5
    assert s["abstention"] == {"refused_unanswerable": 0.5, "refused_answerable": 0.5}
    assert s["answer"]["contains"] == 0.5
    assert s["retrieval"]["hit@1"] == 0.5
    assert s["citation"]["precision"] == 1.0
    assert s["latency_ms"] == {
        "p50": 200.0,
        "p95": 300.0,
        "first_token_p50": None,
        "first_token_p95": None,
    }
    assert s["fallback_rate"] == 0.0


def test_failures_are_classed_by_where_the_answer_was_lost() -> None:
    from eval.summary import failure_classes

    def row(contains: float, in_passages: float, refused: bool) -> dict:
        return {"refused": refused, "answer": {"contains": contains, "in_passages": in_passages}}

    rows = [
        row(1.0, 1.0, False),
        row(0.0, 0.0, False),
        row(0.0, 0.0, True),
        row(0.0, 1.0, True),
        row(0.0, 1.0, False),
        row(0.0, 1.0, False),
    ]
    assert failure_classes(rows) == {
        "failed": 5,
        "retrieval_missed": 2,
        "refused_with_answer_in_passages": 1,
        "other_sentences_quoted": 2,
    }


def test_evidence_quotes_match_as_the_retrieval_metric_matches_them() -> None:
    from eval.metrics import squash

    article = "“Fun Home” won five Tony Awards; the cast will rock the Tony Awards  this weekend."
    assert squash("The Tony Awards") in squash(article)  # RealTime QA gold, capitalised
    assert squash("“Fun  Home”") in squash(article)
    assert squash("Tony Award winners") not in squash(article)


HOCHSTEIN = GoldItem("q3", "Who is the US envoy?", ("Amos Hochstein",), (), True, ("name",))
NO_ANSWER = GoldItem("q4", "Who won the 2031 election?", (), (), False, ("unanswerable",))


def _bold(short: str | None, abstained: bool = False, sure: bool = True) -> dict:
    return {
        "abstained": abstained,
        "short_answer": short,
        "short_sure": sure,
        "citations": [],
        "passages": [],
        "answer": (
            "The articles do not say."
            if abstained
            else (f"**{short}**. " if short else "")
            + "US envoy Amos Hochstein met 500 Israelis. [1]"
        ),
    }


def test_short_answer_is_scored_on_its_own() -> None:
    from eval.metrics import short_is_right

    right = score(_bold("Amos Hochstein"), HOCHSTEIN)["answer"]
    assert right["contains"] == 1.0 and right["f1"] < 0.5  # the whole answer holds it
    assert (right["short_em"], right["short_f1"], right["short_given"], right["short_right"]) == (
        1.0,
        1.0,
        1.0,
        1.0,
    )
    wrong = score(_bold("500 Israelis"), HOCHSTEIN)
    assert wrong["answer"]["contains"] == 1.0 and wrong["correct"]  # contains is unchanged
    assert (
        wrong["answer"]["short_em"],
        wrong["answer"]["short_f1"],
        wrong["answer"]["short_given"],
        wrong["answer"]["short_right"],
    ) == (0.0, 0.0, 1.0, 0.0)
    assert wrong["short"] == {"given": 1.0, "right": 0.0}
    for none in (None, "", "   "):
        s = score(_bold(none), HOCHSTEIN)
        assert (s["answer"]["short_em"], s["answer"]["short_f1"], s["answer"]["short_given"]) == (
            0.0,
            0.0,
            0.0,
        )
        assert s["short"] == {"given": 0.0, "right": 0.0}
    # a refusal gives no bold answer even if the field were filled
    assert score(_bold("Amos Hochstein", abstained=True), HOCHSTEIN)["short"]["given"] == 0.0
    # a bold answer to an unanswerable question is a wrong one
    un = score(_bold("Amos Hochstein"), NO_ANSWER)
    assert un["short"] == {"given": 1.0, "right": 0.0} and "answer" not in un
    # right: part of the name with F1 >= 0.5; wrong: a long sentence that holds the name
    partial = score(_bold("Hochstein"), HOCHSTEIN)["answer"]
    assert partial["short_f1"] == pytest.approx(2 / 3) and partial["short_right"] == 1.0
    assert not short_is_right(
        "the US envoy Amos Hochstein of the State Department", ["Amos Hochstein"]
    )  # F1 = 4/11 though it holds the name
    assert short_is_right("$230 million", ["230 million"])  # EM after normalisation
    assert not short_is_right("Hochstein Amos", ["Amos Hochstein"])  # F1 1.0, not a run
    assert not short_is_right("23", ["230 million"])  # words, not characters
    # the same day written in another order (RealTime QA: the coronation "on May 6" against
    # the gold "6 May 2023"); a year both give must agree, and so must the month
    assert short_is_right("May 6", ["6 May 2023"])
    assert short_is_right("Sept. 14th, 2022", ["14 September 2022"])
    assert not short_is_right("May 6, 2022", ["6 May 2023"])
    assert not short_is_right("May 16", ["6 May 2023"])
    assert not short_is_right("June 6", ["6 May 2023"])
    # a short answer the reader is not sure of is scored, but not counted as bold
    unsure = score(_bold("Amos Hochstein", sure=False), HOCHSTEIN)
    assert (unsure["answer"]["short_em"], unsure["answer"]["short_f1"]) == (1.0, 1.0)
    assert unsure["short"] == {"given": 0.0, "right": 0.0}
    assert score(_bold("Amos Hochstein", sure=False), NO_ANSWER)["short"]["given"] == 0.0
    # a row written before `short_sure` existed gave a short answer only in bold
    old = {k: v for k, v in _bold("500 Israelis").items() if k != "short_sure"}
    assert score(old, HOCHSTEIN)["short"] == {"given": 1.0, "right": 0.0}


def test_summarize_short_answer_figures() -> None:
    cases = [
        (_bold("Amos Hochstein"), HOCHSTEIN),  # right bold answer
        (_bold("Hochstein"), HOCHSTEIN),  # right, F1 2/3
        (_bold("500 Israelis"), HOCHSTEIN),  # wrong bold answer
        (_bold(None), HOCHSTEIN),  # no bold answer: 0 in the short F1
        (_bold("Amos Hochstein"), NO_ANSWER),  # bold answer where there is none: wrong
        (_bold(None, abstained=True), NO_ANSWER),
    ]  # rightly refused, nothing bold
    rows = [{**result, "scores": score(result, gold)} for result, gold in cases]
    s = summarize(rows)
    assert s["answer"]["short_em"] == 0.25  # 1 of 4 answerable
    assert s["answer"]["short_f1"] == round((1 + 2 / 3 + 0 + 0) / 4, 4)
    assert s["short"] == {"given": 4, "right": 2, "bold_precision": 0.5}
    # contains reads the whole answer, which names the envoy each time: only the short
    # answer figures tell the four apart
    assert s["answer"]["contains"] == 1.0 and s["answer"]["em"] == 0.0
    assert s["counts"] == {"answerable": 4, "unanswerable": 2}
    nobold = summarize([{**_bold(None), "scores": score(_bold(None), HOCHSTEIN)}])
    assert nobold["short"] == {"given": 0, "right": 0, "bold_precision": None}
    # rows scored before short answers were: figures absent, not zero
    old = [{**r, "scores": {k: v for k, v in r["scores"].items() if k != "short"}} for r in rows]
    for r in old:
        if "answer" in r["scores"]:
            r["scores"]["answer"] = {
                k: v for k, v in r["scores"]["answer"].items() if not k.startswith("short_")
            }
    before = summarize(old)
    assert before["answer"]["short_f1"] is None and before["short"]["given"] is None
    assert before["short"]["bold_precision"] is None
    assert before["answer"]["contains"] == s["answer"]["contains"]


def test_report_and_compare_show_the_short_answer_figures(tmp_path) -> None:
    from eval.compare import compare
    from eval.report import _figures_table

    rows = [
        {**_bold("Amos Hochstein"), "scores": score(_bold("Amos Hochstein"), HOCHSTEIN)},
        {**_bold("Amos Hochstein"), "scores": score(_bold("Amos Hochstein"), NO_ANSWER)},
    ]
    table = dict(_figures_table(summarize(rows)))
    assert table["short answer F1"] == "1.000" and table["short answer EM"] == "1.000"
    assert table["bold short answer precision"] == "0.500"
    assert table["bold short answers given / right"] == "2 / 1"
    for name, short in (("a", "500 Israelis"), ("b", "Amos Hochstein")):
        (tmp_path / name).mkdir()
        row = {
            "id": "q3",
            "question": HOCHSTEIN.question,
            **_bold(short),
            "scores": score(_bold(short), HOCHSTEIN),
        }
        (tmp_path / name / "results.jsonl").write_text(json.dumps(row) + "\n")
    deltas = {d.metric: (d.a, d.b) for d in compare(tmp_path / "a", tmp_path / "b")[0]}
    assert deltas["answer.short_f1"] == (0.0, 1.0) and deltas["answer.short_em"] == (0.0, 1.0)


def test_rescore_scores_an_old_run_from_the_gold_in_its_rows(tmp_path, capsys) -> None:
    from eval.rescore import main

    def row(qid: str, short: str | None, gold: GoldItem) -> dict:
        old_scores = {"answerable": gold.answerable, "refused": False, "correct": False}
        return {
            "id": qid,
            "tags": list(gold.tags),
            "question": gold.question,
            "gold": {
                "answers": list(gold.answers),
                "answerable": gold.answerable,
                "evidence": [{"doc": e.doc, "quote": e.quote} for e in gold.evidence],
            },
            **_bold(short),
            "scores": old_scores,
            "resume_key": "k",
        }

    rows = [
        row("q1", "Amos Hochstein", HOCHSTEIN),
        row("q2", "500 Israelis", HOCHSTEIN),
        row("q3", "Amos Hochstein", NO_ANSWER),
    ]
    del rows[1]["short_answer"]  # a row made before answers carried a short answer
    (tmp_path / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main([str(tmp_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 3 and out["answer"]["short_f1"] == 0.5
    assert out["short"] == {"given": 2, "right": 1, "bold_precision": 0.5}
    assert out["accuracy"] == round(2 / 3, 4)  # q1, q2 hold the name; q3 should refuse
    assert out["by_tag"]["name"]["answer"]["contains"] == 1.0
    assert main([str(tmp_path / "nowhere")]) == 1


def test_squad_scores_read_the_bold_and_the_unbold_short_answer_apart() -> None:
    from eval.findings.squad_scores import squad_scores

    def row(short: str | None, sure: bool, answerable: bool) -> dict:
        gold = {"answers": ["Amos Hochstein"] if answerable else [], "answerable": answerable}
        answer = "US envoy Amos Hochstein met Gallant. [1]"
        return {"abstained": False, "short_answer": short, "short_sure": sure, "answer": answer,
                "gold": gold}  # fmt: skip

    scores = squad_scores([row("Amos Hochstein", False, True), row("Gallant", False, False)])
    assert scores["short"] == {"em": 50.0, "f1": 50.0}  # nothing bold: "no answer" twice
    assert scores["short, any"] == {"em": 50.0, "f1": 50.0}  # right once, wrong once
    assert squad_scores([row("Amos Hochstein", True, True)])["short"]["em"] == 100.0
    assert squad_scores([row("Amos Hochstein", False, True)])["short, any"]["em"] == 100.0
