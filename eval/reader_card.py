"""The answer reader's model card (MODEL_CARD.md), written from training.json and calibration.json.

The card records the recipe, the held-out figures, the calibration and the model's sha256
(a test checks that hash against the shipped file). Training and scoring are
`eval.reader_train`'s and `eval.reader_scores`'.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import cast


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


CARD = """# Answer reader: model card

`reader-int8.onnx` finds the answer to a question in a news passage and says how sure it is
that the passage answers at all. It is read by `rag.reader.model` (ONNX Runtime, no torch)
and used by the extractive answerer, the passage reranker and LLM mode's relevance gate.

- **Base model**: {base} (Apache-2.0), 6 layers, hidden size 384, uncased word pieces.
- **Head**: a start and an end logit per word piece (BERT's extractive QA head); the [CLS]
  pair scores "no answer". A passage longer than {max_len} word pieces with the question is
  read in windows overlapping by {stride}.
- **Training data**: SQuAD 2.0 dev (CC BY-SA 4.0; `shared/data/squad-v2-dev`, half the
  official dev set), split by Wikipedia article: trained on {train_questions} questions of
  the other articles plus {negatives} pairs of an answerable question with another paragraph
  of its article that does not hold its answer ({neg_source}){written}; the
  {held_n} questions of these articles are held out: {held}.{news}
  RealTime QA (no licence) never trains it: it only chose the numbers of the calibration below.
- **Recipe**: {epochs} epochs, AdamW lr {lr}, batch {batch}, linear warm-up and decay, seed
  {seed}, bf16 autocast on CPUs that have it ({bf16}); {train_minutes} min on {threads} CPU
  threads; then dynamic int8 quantisation (ONNX Runtime), {size_mib:.1f} MiB.
- **Rebuild**: `python -m eval.reader_train{train_flags}` (then
  `python -m eval.reader_calibrate fit{fit_flags}` and
  `python -m eval.reader_calibrate bars RUN --choose-on
  shared/data/{bars_gold} --also CASUAL_RUN --also SEEDS_RUN --write`,
  where the runs are `rag eval` runs with `RAG_ANSWER_BAR=0 RAG_BOLD_BAR=0` over RealTime QA,
  and over `eval/gold/casual.jsonl` and `eval/gold/seeds.jsonl` on the seeds{gate_step}){sentences_step}.
- **Licence of the weights**: CC BY-SA 4.0 (they are trained on SQuAD 2.0{licensed_too}), over an
  Apache-2.0 base.

## Figures (held-out SQuAD 2.0 articles, the shipped int8 model)

| | EM | F1 | questions |
|---|---|---|---|
| reader, answering when its margin is above 0 | {r_em} | {r_f1} | {held_n} |
| answerable questions only | {a_em} | {a_f1} | {a_n} |
| unanswerable questions only (refused) | {u_em} | {u_f1} | {u_n} |
| "always no answer" | {z_em} | {z_f1} | {held_n} |

{news_figures}## Calibration (`calibration.json`)

P(answers) = sigmoid(scale × margin + bias), fitted on the held-out questions (SQuAD's, and
our written news questions' where the recipe has them). The answerer's sentence score averages this probability with the embedder's relevance of the
sentence; `answer_bar` (answer or refuse) and `bold_bar` (show the short answer in bold) are
bars on that score, chosen on {bars_chosen_on} together with our own gold sets over
the seeds (casual plain wording, and the seeds gate's questions) (the most questions right while refusing at most 5% of
the answerable ones; bold answers right at least 80% of the time).{own_bars} Values: {calibration}.

sha256: `{sha256}`
"""


def _written(meta: dict[str, object]) -> str:
    """The examples `eval/reader_synth.py` wrote, when a recipe used any (none by default:
    measured on RealTime QA they did not help, eval/findings/realtimeqa-2022.md)."""
    removed, cloze = meta.get("answer_removed", 0), meta.get("cloze", 0)
    if not removed and not cloze:
        return ""
    return (
        f", {removed} answerable questions with the sentence holding the answer cut from "
        f"their paragraph and {cloze} cloze questions ({meta.get('cloze_answer_removed', 0)} "
        "of them with that sentence cut; `eval/reader_synth.py`)"
    )


def _recipe_parts(meta: dict[str, object]) -> dict[str, str]:
    """The card's words that depend on whether the recipe trained on our written news
    (`eval.reader_train --written`): the folders in the rebuild commands, the licence, the
    source of the negatives and the held-out news figures; all plain SQuAD words otherwise."""
    names = cast(list[str], meta.get("written_folders") or [])
    folders = " ".join(f"eval/{name}" for name in names)
    if not meta.get("written_questions"):
        return {
            "news": "",
            "news_figures": "",
            "train_flags": "",
            "fit_flags": "",
            "gate_step": "",
            "licensed_too": "",
            "neg_source": "made here from SQuAD itself",
        }
    share = f" --written-share {meta['written_share']:g}" if meta.get("written_share") else ""
    return {
        "news": _news(meta, folders),
        "news_figures": _news_figures(meta),
        "train_flags": f" --written {folders}{share} --epochs {meta['epochs']:g}",
        "fit_flags": f" --written {folders}",
        "gate_step": f"; then `python -m eval.reader_calibrate gate --written {folders} "
        "--write` for the relevance gate's own bar",
        "licensed_too": " and on our written news questions, shared under the same licence",
        "neg_source": "made here from SQuAD itself and from the written passages below",
    }


def _news(meta: dict[str, object], folders: str) -> str:
    """Our own written news questions (`eval/reader_written`) the recipe trained on."""
    held = meta.get("written_held_out", {})
    n = held.get("at_margin_0", {}).get("all_n", 0) if isinstance(held, dict) else 0
    return (
        f"\n  Also {meta['written_questions']} questions over fictional news passages that we "
        f"wrote ourselves (`{folders}`, CC BY-SA 4.0; its README says how), "
        f"split by article: the {n} questions of every fifth article are held out."
    )


def _news_figures(meta: dict[str, object]) -> str:
    held = meta.get("written_held_out")
    if not isinstance(held, dict) or not held:
        return ""
    at0, zero = held["at_margin_0"], held["always_no_answer"]
    return (
        "## Figures (held-out written news articles)\n\n| | EM | F1 | questions |\n"
        "|---|---|---|---|\n"
        f"| reader, answering when its margin is above 0 | {at0['all_em']} | {at0['all_f1']} "
        f"| {at0['all_n']} |\n"
        f"| answerable questions only | {at0['answerable_em']} | {at0['answerable_f1']} | "
        f"{at0['answerable_n']} |\n"
        f"| answerable, the best span when made to answer | | "
        f"{held.get('answerable_f1_forced', '')} | {at0['answerable_n']} |\n"
        f"| unanswerable questions only (refused) | {at0['unanswerable_em']} | "
        f"{at0['unanswerable_f1']} | {at0['unanswerable_n']} |\n"
        f'| "always no answer" | {zero["all_em"]} | {zero["all_f1"]} | {at0["all_n"]} |\n'
    )


SMALL = "realtimeqa-2022/small/gold.jsonl"  # what chose the bars before `chosen_on` was kept


def _bars_chosen_on(cal: dict[str, object]) -> str:
    where = str(cal.get("chosen_on", SMALL))
    return "RealTime QA's small split" if where == SMALL else f"`{where}` (RealTime QA)"


def _sentences_step(cal: dict[str, float]) -> str:
    """How the runner-up margin and reader share were chosen with the bars, when they were."""
    if "runner_up" not in cal and "reader_share" not in cal:
        return ""
    return (
        ". The runner-up margin and the reader's share were chosen with the bars instead of "
        "`bars`: `python -m eval.findings.answer_replay RUN REPLAY/full --runner-up 0.06 0.08 "
        "0.1 0.12 0.14 --reader-share 0.5 0.6 0.7` (the same for CASUAL_RUN and SEEDS_RUN "
        "into REPLAY/casual and REPLAY/seeds), then `python -m eval.reader_calibrate "
        f"sentences REPLAY --choose-on shared/data/{cal.get('chosen_on', SMALL)} --write`"
    )


def _own_bars(cal: dict[str, float]) -> str:
    """The calibration's words for what a recipe with its own gate bar, runner-up margin or
    reader share adds (nothing for a calibration without them, so an older card reads as it did)."""
    words = ""
    if "gate_bar" in cal:
        words += (
            " `gate_bar` is LLM mode's relevance gate's own bar on the reader's probability "
            "alone, the highest keeping 0.95 of the sentences that hold the answer in the "
            "held-out written passages (`eval.reader_calibrate gate`)."
        )
    if "runner_up" in cal:
        words += (
            " `runner_up` is how far below the best sentence's score another sentence may "
            "score and still be quoted (`eval.findings.answer_replay` measures it)."
        )
    if "reader_share" in cal:
        words += (
            f" `reader_share` is the reader's part of a sentence's score (the rest the "
            f"embedder's relevance), {cal['reader_share']:g} here."
        )
    if "agreement" in cal:
        words += (
            " `agreement` is how far below the best sentence's score a sentence may score and "
            "still lend its support to the short answer it writes (`rag.answering.short`), "
            "chosen by the same replay with `--agreement 0 0.08 0.15 0.25 0.35`: the margin "
            "giving the best short-answer F1 on RealTime QA and the casual set, and no worse on the "
            "seeds."
        )
    if "stale_cost" in cal:
        words += (
            " `stale_cost` is the share of its score a sentence of an article older than the "
            "question's news days (the 10 days before it is asked) loses when a passage is from "
            "those days, never below the answer bar (`rag.answering.staleness`), chosen by the "
            "same replay with `--stale-cost 0 0.1 0.2 0.3 0.4 0.5 --gold` on RealTime QA: the "
            "cost giving the best contains plus short-answer F1 (every cost from 0.1 to 0.5 is "
            "within 0.005 of it); it changes nothing on the seeds, whose articles are older "
            "than the days they are asked."
        )
    return words


def write_card(out_dir: Path) -> Path:
    """MODEL_CARD.md beside the model, from training.json and calibration.json."""
    meta = json.loads((out_dir / "training.json").read_text())
    cal_path = out_dir / "calibration.json"
    cal = json.loads(cal_path.read_text()) if cal_path.exists() else {}
    held = meta["held_out"]
    at0, zero = held["at_margin_0"], held["always_no_answer"]
    model = out_dir / "reader-int8.onnx"
    card = CARD.format(
        **meta,
        written=_written(meta),
        **_recipe_parts(meta),
        held_n=at0["all_n"],
        held=", ".join(meta["held_out_titles"]),
        size_mib=model.stat().st_size / 2**20,
        r_em=at0["all_em"],
        r_f1=at0["all_f1"],
        a_em=at0["answerable_em"],
        a_f1=at0["answerable_f1"],
        a_n=at0["answerable_n"],
        u_em=at0["unanswerable_em"],
        u_f1=at0["unanswerable_f1"],
        u_n=at0["unanswerable_n"],
        z_em=zero["all_em"],
        z_f1=zero["all_f1"],
        calibration=json.dumps(cal) if cal else "not yet calibrated",
        own_bars=_own_bars(cal),
        sentences_step=_sentences_step(cal),
        bars_chosen_on=_bars_chosen_on(cal),
        bars_gold=cal.get("chosen_on", SMALL),
    )
    path = out_dir / "MODEL_CARD.md"
    path.write_text(card)
    return path
