"""How far `rag eval` is, on stderr, so that stdout (the figures) stays clean.

A 400-question run once printed nothing for 40 minutes: progress went only to a terminal and
the answering phase said nothing per question. Now a terminal gets a bar with the running
accuracy, and a log file (stderr not a terminal) one line per question, which reads well in
`tail -f` and CI logs where a redrawn bar would be a smear of carriage returns.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO


def say(message: str, enabled: bool = True, stream: TextIO | None = None) -> None:
    """One line of what the run is doing, on stderr."""
    if enabled:
        print(f"eval: {message}", file=stream or sys.stderr, flush=True)


class QuestionProgress:
    """n/N questions answered and the accuracy so far, counting answers reused from before."""

    def __init__(
        self,
        total: int,
        done: list[dict[str, Any]],
        enabled: bool = True,
        stream: TextIO | None = None,
    ) -> None:
        self.total = total
        self.count = len(done)
        self.correct = sum(bool(r["scores"]["correct"]) for r in done)
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self._bar = self._make_bar() if enabled and self.stream.isatty() else None

    def _make_bar(self) -> Any:
        from tqdm import tqdm

        bar = tqdm(
            total=self.total, initial=self.count, desc="Questions", unit="q", file=self.stream
        )
        if self.count:
            bar.set_postfix_str(self._accuracy())
        return bar

    def _accuracy(self) -> str:
        return f"accuracy {self.correct / self.count:.3f}" if self.count else "accuracy –"

    def update(self, row: dict[str, Any]) -> None:
        """Count one answered question and show it."""
        self.count += 1
        self.correct += bool(row["scores"]["correct"])
        if self._bar is not None:
            self._bar.set_postfix_str(self._accuracy(), refresh=False)
            self._bar.update(1)
        elif self.enabled:
            verdict = "correct" if row["scores"]["correct"] else "wrong"
            say(
                f"{self.count}/{self.total} {row['id']}: {verdict} · {self._accuracy()} so far",
                stream=self.stream,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
