"""The answer reader's training data: SQuAD 2.0 questions split by article, and their windows.

Held-out articles (every third title) are never trained on; every answerable training
question is also paired with another paragraph of its article that does not hold its answer,
so the no-answer score learns the news reader's commonest mistake. Each example becomes
word-piece windows of at most MAX_LEN, overlapping by STRIDE, with the answer's start and end
positions ([CLS] for none). Training on them is `eval.reader_train`'s job.
"""

from __future__ import annotations

import collections
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SQUAD = Path(__file__).resolve().parents[1].parent / "shared/data/squad-v2-dev/dev-v2.0.json"
WRITTEN = Path(__file__).with_name("reader_written")  # news-style passages and questions we wrote
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


def load_written(*folders: Path) -> tuple[list[Example], list[Example]]:
    """Our own written news passages and questions (`eval/reader_written/*.jsonl`, one passage
    a line) as (train, held-out) examples, each folder split by article on its own: every
    fifth article id in sorted order is held out, so the figures on them come from stories
    never trained on, and adding a folder leaves another's split as it was.
    An answer is placed at its first occurrence as whole words ("one" not inside "stone"),
    else its first occurrence; a line whose answer is not in its passage is an error naming
    the file and line (a silent skip would shrink the set)."""
    train: list[Example] = []
    test: list[Example] = []
    for folder in folders:
        folder_train, folder_test = _load_written_folder(folder)
        train += folder_train
        test += folder_test
    return train, test


def _load_written_folder(folder: Path) -> tuple[list[Example], list[Example]]:
    lines: list[tuple[str, int, dict[str, Any]]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                lines.append((path.name, n, json.loads(line)))
    ids = sorted({rec["article_id"] for _, _, rec in lines})
    held = set(ids[4::5])
    train: list[Example] = []
    test: list[Example] = []
    for name, n, rec in lines:
        context = rec["context"]
        out = test if rec["article_id"] in held else train
        for k, qa in enumerate(rec["qas"]):
            answer = qa["answer"]
            answers: list[tuple[str, int]] = []
            if answer:
                whole = re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", context)
                at = whole.start() if whole else context.find(answer)
                if at < 0:
                    raise ValueError(f"{name}:{n}: answer {answer!r} is not in its passage")
                answers = [(answer, at)]
            qid = f"{rec['article_id']}-p{rec.get('passage', 0)}-q{k}"
            out.append(Example(qid, rec["article_id"], qa["question"], context, answers))
    return train, test


def held_to_share(
    written: list[Example], others: int, share: float, rng: random.Random
) -> list[Example]:
    """The written examples, whole passages drawn at random until they would make more than
    `share` of the questions trained on (`others` being the SQuAD questions beside them).

    Why: our written passages are cleaner and more regular than scraped news, and adding
    folders lets them outweigh SQuAD's real paragraphs (stop 48's candidate, four fifths
    written, read RealTime QA worse; `eval/findings/realtimeqa-2022.md`). A recipe can then
    draw on every folder without changing the mix. Whole passages are kept so that each keeps
    its answerable questions beside the traps written against them."""
    if not 0 < share < 1:
        raise ValueError(f"--written-share must be between 0 and 1, not {share}")
    cap = int(share / (1 - share) * others)
    if len(written) <= cap:
        return list(written)
    passages: dict[tuple[str, str], list[Example]] = {}
    for example in written:
        passages.setdefault((example.title, example.context), []).append(example)
    groups = list(passages.values())
    rng.shuffle(groups)
    kept: list[Example] = []
    for group in groups:
        if len(kept) + len(group) <= cap:
            kept += group
    return kept


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
