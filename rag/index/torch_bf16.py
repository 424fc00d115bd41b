"""all-MiniLM-L6-v2 in bf16 on PyTorch: ingest's bulk embedder on CPUs with AMX.

On a CPU with AMX tiles the whole model cast to bf16 (weights and activations; PyTorch's
oneDNN kernels accumulate in fp32) embeds about twice as fast as the fp32 ONNX model
and gives the same vectors to a cosine of 0.9999 (min over RealTime QA chunks 0.9999), so its
vectors and the fp32 ones are one family: a store written in bf16 is queried by the fp32 ONNX
model, which starts in a fraction of a second where importing PyTorch takes seconds. Texts are
run in batches of similar length padded to a multiple of `PAD_TO` word pieces, so oneDNN
compiles kernels for a few shapes instead of one per length (unpadded runs varied 1.5x).

What it leaves out: queries and answer-time embedding (`rag.index.onnx_embed`), and CPUs
without bf16 units, where PyTorch emulates bf16 slower than fp32 (`rag.index.precision`
never picks it there).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import PrivateAttr

from rag.index.onnx_embed import MiniLMEmbedding, length_batches
from rag.index.onnx_model import minilm_dir
from rag.index.quiet_transformers import hide_progress_bars, hide_warnings

BATCH_TOKENS = 4096  # padded word pieces per forward pass (16 full windows)
PAD_TO = 32


class Bf16MiniLM(MiniLMEmbedding):
    """llama-index embedding model: MiniLM cast to bf16 (see the module docstring)."""

    _model: Any = PrivateAttr()

    def __init__(self, threads: int | None = None, **kwargs: Any) -> None:
        super().__init__(model_name="all-MiniLM-L6-v2 (torch, bf16)", **kwargs)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from transformers import AutoModel

        hide_progress_bars()
        hide_warnings()
        torch.set_num_threads(threads or os.cpu_count() or 1)
        model = AutoModel.from_pretrained(str(minilm_dir()), attn_implementation="sdpa")
        self._model = model.to(torch.bfloat16).eval()

    @classmethod
    def class_name(cls) -> str:
        return "Bf16MiniLM"

    def _embed(self, texts: list[str]) -> list[list[float]]:
        import torch

        encodings = self._tokenizer.encode_batch(texts)
        vectors: list[Any] = [None] * len(texts)
        for batch in length_batches([len(e.ids) for e in encodings], BATCH_TOKENS, PAD_TO):
            width = -(-len(encodings[batch[-1]].ids) // PAD_TO) * PAD_TO
            ids = torch.zeros((len(batch), width), dtype=torch.long)
            mask = torch.zeros_like(ids)
            for row, i in enumerate(batch):
                seq = encodings[i].ids
                ids[row, : len(seq)] = torch.tensor(seq)
                mask[row, : len(seq)] = 1
            with torch.inference_mode():
                hidden = self._model(
                    input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
                ).last_hidden_state.float()
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1)
            pooled = torch.nn.functional.normalize(pooled, dim=1)
            for row, i in enumerate(batch):
                vectors[i] = pooled[row].tolist()
        return vectors


class Bf16InChild(MiniLMEmbedding):
    """`Bf16MiniLM` run in a child process: the local ingest's bulk embedder.

    In one process, ingest's own Python work (chunking, building records, Chroma's client)
    and PyTorch's between-operator Python share one interpreter lock, so running them side by
    side slowed the embedder as much as it saved (measured: 80 s against 73 s for 600
    articles), and in line they left a third of 2 cores idle. In a child the embedder keeps
    both cores while this process prepares and commits the batches around it. The child is
    `python -m rag.index.bf16_child` on two pipes (`rag.index.bf16_child` says the protocol):
    not `multiprocessing`, whose fresh children import the parent's main script again. PyTorch
    is never imported here; the child ends on `release()` or with this process.
    """

    _threads: int | None = PrivateAttr()
    _child: Any = PrivateAttr()
    _send: Any = PrivateAttr()
    _receive: Any = PrivateAttr()
    _lock: Any = PrivateAttr()

    def __init__(self, threads: int | None = None, **kwargs: Any) -> None:
        import threading

        super().__init__(model_name="all-MiniLM-L6-v2 (torch, bf16, child process)", **kwargs)
        self._threads = threads
        self._child = None
        self._lock = threading.Lock()
        self._embed(["warm"])  # the model loads now, and a failure to load is raised here

    def _start(self) -> None:
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        # the child imports this process's `rag`, whatever the working folder holds (-P:
        # no working folder on its path; the folder `rag` was imported from goes first)
        root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        child = subprocess.Popen(
            [sys.executable, "-P", "-m", "rag.index.bf16_child", str(self._threads or 0)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert child.stdin is not None and child.stdout is not None
        self._send = Connection(os.dup(child.stdin.fileno()), readable=False)
        self._receive = Connection(os.dup(child.stdout.fileno()), writable=False)
        child.stdin.close()
        child.stdout.close()
        self._child = child

    @classmethod
    def class_name(cls) -> str:
        return "Bf16InChild"

    def _embed(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            if self._child is None:
                self._start()
            try:
                self._send.send(texts)
                kind, payload = self._receive.recv()
            except (EOFError, OSError) as err:
                code = self._child.poll()
                raise RuntimeError(
                    "the bf16 embedding process ended unexpectedly"
                    + (f" (exit code {code})" if code is not None else "")
                ) from err
        if kind == "error":
            raise RuntimeError(f"the bf16 embedding process failed: {payload}")
        vectors: list[list[float]] = payload.tolist()
        return vectors

    def release(self) -> None:
        """End the child and give back its memory (~0.6 GB: PyTorch and the model); the next
        call starts another. Ingest calls it when a bulk job is written, so a long-running
        server holds no idle embedder between uploads."""
        with self._lock:
            if self._child is None:
                return
            self._send.close()  # the child exits when its input closes
            self._receive.close()
            self._child.wait(timeout=60)
            self._child = None
