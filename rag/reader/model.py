"""The trained answer reader on ONNX Runtime: where in a passage the answer to a question is.

The model (`model/reader-int8.onnx`, trained by `python -m eval.reader_train`, see
`model/MODEL_CARD.md`) reads the question and one passage together and scores every word
piece of the passage as the answer's first and last piece; the [CLS] piece's pair of scores
is "this passage does not answer". From those logits this module gives:
- the best answer span of a passage and its margin over "no answer" (how sure the reader is
  that the passage answers at all), and
- the best span inside any character range of the passage (one sentence), so the answerer can
  score sentences and take the short answer from the sentence it quotes.
Only `onnxruntime`, `tokenizers` and numpy are imported: no torch at answer time.
What it leaves out: deciding what to quote or when to refuse (`rag.answering.reading` and the
answerers do that with a calibrated bar) and any text outside the passage.
"""

from __future__ import annotations

import collections
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from rag.warm_start import Prepared

MODEL = Path(__file__).with_name("model") / "reader-int8.onnx"
MAX_LEN = 320  # word pieces of question + passage per window (the training recipe's)
STRIDE = 96  # overlap of consecutive windows of a passage longer than one window
MAX_QUESTION = 64  # word pieces of the question kept (the end: a news-quiz question's ask)
MAX_ANSWER = 30  # word pieces in an answer span
CACHE_SIZE = 256  # passage readings kept (a question's candidates, a few times over)


@dataclass
class Span:
    """An answer span: character offsets in the passage, its score and its text."""

    start: int
    end: int
    score: float
    text: str


@dataclass
class PassageReading:
    """The reader's logits over one passage, with the spans decoded from them."""

    passage: str
    null: float  # the score of "no answer" (lowest over the passage's windows)
    windows: list[tuple[np.ndarray, np.ndarray, list[tuple[int, int] | None]]] = field(
        default_factory=list, repr=False
    )
    best: Span | None = None

    @property
    def margin(self) -> float:
        """How far the best span scores above "no answer" (> 0: the reader would answer)."""
        return (self.best.score - self.null) if self.best else -1e9

    @property
    def span_text(self) -> str:
        return self.best.text if self.best else ""

    def best_within(self, lo: int, hi: int) -> Span | None:
        """The best span lying wholly inside characters [lo, hi) of the passage."""
        found: Span | None = None
        for starts, ends, offsets in self.windows:
            keep = _inside(offsets, lo, hi)
            span = _best_span(starts, ends, offsets, keep, self.passage)
            if span and (found is None or span.score > found.score):
                found = span
        return found

    def spans_within(self, lo: int, hi: int, limit: int) -> list[Span]:
        """The `limit` best spans lying wholly inside characters [lo, hi), best first: the
        reader's runners-up, for when its best span is not an answer (it names what the
        question already names)."""
        found: dict[tuple[int, int], Span] = {}
        for starts, ends, offsets in self.windows:
            keep = _inside(offsets, lo, hi)
            for span in _top_spans(starts, ends, offsets, keep, self.passage, limit):
                known = found.get((span.start, span.end))
                if known is None or span.score > known.score:
                    found[(span.start, span.end)] = span
        return sorted(found.values(), key=lambda s: -s.score)[:limit]


def _inside(offsets: list[tuple[int, int] | None], lo: int, hi: int) -> np.ndarray:
    """Which word pieces of a window lie wholly inside characters [lo, hi) of the passage."""
    return np.array([o is not None and o[0] >= lo and o[1] <= hi and o[1] > o[0] for o in offsets])


def _best_span(
    starts: np.ndarray,
    ends: np.ndarray,
    offsets: list[tuple[int, int] | None],
    keep: np.ndarray,
    passage: str,
) -> Span | None:
    idx = np.flatnonzero(keep)
    if idx.size == 0:
        return None
    s, e = starts[idx], ends[idx]
    pair = s[:, None] + e[None, :]
    gap = idx[None, :] - idx[:, None]
    pair = np.where((gap >= 0) & (gap < MAX_ANSWER), pair, -np.inf)
    i, j = np.unravel_index(int(np.argmax(pair)), pair.shape)
    if not np.isfinite(pair[i, j]):
        return None
    a, b = offsets[idx[i]][0], offsets[idx[j]][1]
    return Span(a, b, float(pair[i, j]), passage[a:b])


def _top_spans(
    starts: np.ndarray,
    ends: np.ndarray,
    offsets: list[tuple[int, int] | None],
    keep: np.ndarray,
    passage: str,
    limit: int,
) -> list[Span]:
    """The `limit` best-scoring spans of one window among the kept pieces, best first."""
    idx = np.flatnonzero(keep)
    if idx.size == 0:
        return []
    pair = starts[idx][:, None] + ends[idx][None, :]
    gap = idx[None, :] - idx[:, None]
    flat = np.where((gap >= 0) & (gap < MAX_ANSWER), pair, -np.inf).ravel()
    order = np.argsort(-flat, kind="stable")[:limit]
    spans = []
    for k in order:
        if not np.isfinite(flat[k]):
            break
        i, j = divmod(int(k), idx.size)
        a, b = offsets[idx[i]][0], offsets[idx[j]][1]
        spans.append(Span(a, b, float(flat[k]), passage[a:b]))
    return spans


class Reader:
    """Scores answer spans in passages for a question; see the module docstring."""

    def __init__(self, model: Path = MODEL, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from rag.index.onnx_model import minilm_dir

        if not model.exists():
            raise FileNotFoundError(
                f"reader model not found: {model} (rebuild it: python -m eval.reader_train)"
            )
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._tok = Tokenizer.from_file(str(minilm_dir() / "tokenizer.json"))
        self._tok.no_padding()
        self._tok.no_truncation()
        self._cache: collections.OrderedDict[tuple[str, str], PassageReading] = (
            collections.OrderedDict()
        )  # the reranker's readings, reused by the answerer
        self._lock = threading.Lock()
        self.seconds = 0.0  # time spent running the model, and windows it read (`rag bench`)
        self.windows_read = 0

    def clear_cache(self) -> None:
        """Forget earlier readings (a benchmark asking the same questions again pays again)."""
        with self._lock:
            self._cache.clear()

    def _windows(
        self, question: str, passage: str
    ) -> list[tuple[list[int], list[int], list[tuple[int, int] | None]]]:
        q = self._tok.encode(question, add_special_tokens=False)
        q_ids = q.ids[-MAX_QUESTION:]
        p = self._tok.encode(passage, add_special_tokens=False)
        room = MAX_LEN - len(q_ids) - 3
        out = []
        begin = 0
        while True:
            piece_ids = p.ids[begin : begin + room]
            piece_offsets = p.offsets[begin : begin + room]
            ids = [101, *q_ids, 102, *piece_ids, 102]  # [CLS] q [SEP] p [SEP]
            types = [0] * (len(q_ids) + 2) + [1] * (len(piece_ids) + 1)
            offsets: list[tuple[int, int] | None] = (
                [None] * (len(q_ids) + 2) + [(start, end) for start, end in piece_offsets] + [None]
            )
            out.append((ids, types, offsets))
            if begin + room >= len(p.ids):
                return out
            begin += room - STRIDE

    def read(self, question: str, passages: Sequence[str]) -> list[PassageReading]:
        """One reading per passage, in order (passages read lately for the same question
        are not read again)."""
        with self._lock:
            known = {t: r for t in passages if (r := self._cache.get((question, t)))}
        todo = [t for t in dict.fromkeys(passages) if t not in known]
        known.update(zip(todo, self._read(question, todo)))
        with self._lock:
            for text in todo:
                self._cache[(question, text)] = known[text]
                if len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return [known[t] for t in passages]

    def _read(self, question: str, passages: Sequence[str]) -> list[PassageReading]:
        readings = [PassageReading(text, null=float("inf")) for text in passages]
        for r in readings:
            for ids, types, offsets in self._windows(question, r.passage):
                starts, ends = self._run(ids, types)
                r.null = min(r.null, float(starts[0] + ends[0]))
                r.windows.append((starts, ends, offsets))
                keep = np.array([o is not None and o[1] > o[0] for o in offsets])
                span = _best_span(starts, ends, offsets, keep, r.passage)
                if span and (r.best is None or span.score > r.best.score):
                    r.best = span
        return readings

    def _run(self, ids: list[int], types: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """One window per call: the int8 model quantises each call's activations with one
        scale, so windows batched together would change each other's scores (a passage would
        read differently depending on what it was read with, and cached readings would not
        match fresh ones). Unpadded single windows also cost fewer multiply-adds."""
        feed = {
            "input_ids": np.array([ids], dtype=np.int64),
            "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
            "token_type_ids": np.array([types], dtype=np.int64),
        }
        started = time.perf_counter()
        starts, ends = self._session.run(None, feed)
        self.seconds += time.perf_counter() - started
        self.windows_read += 1
        return starts[0].astype(np.float64), ends[0].astype(np.float64)


_SHARED: Prepared[Reader] = Prepared(Reader)


def shared_reader() -> Reader:
    """The process's one reader (loading the model takes a few hundred ms)."""
    return _SHARED.get()


def start_reader() -> None:
    """Begin loading the shared reader on a thread (`rag.warm_start`), its imports done here."""
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401

    from rag.index.onnx_model import minilm_dir

    minilm_dir()
    _SHARED.start()
