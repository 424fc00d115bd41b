"""What one ingest run did: articles added, updated, skipped, removed or left to another
run, the problems and warnings met, and where the time went (for `rag bench`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.ingest.readers import ParseProblem, ParseWarning


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # the same text another run is writing
    repaired: list[str] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    grouping_seconds: float = 0.0  # MinHash signatures and story look-ups, all articles
    records_from: dict[str, list[str]] = field(default_factory=dict)  # file -> ids read from it
    feeds: list[str] = field(default_factory=list)  # per feed URL read, what it brought
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (benchmarks)
    workers: dict[str, float] = field(default_factory=dict)  # Ray worker -> peak RSS in MB

    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.skipped)} skipped (unchanged)",
            f"{len(self.removed)} removed",
        ]
        if self.deferred:
            parts.append(f"{len(self.deferred)} left to another ingest writing them now")
        line = ", ".join(parts) + f"; {self.chunks} chunks embedded in {self.seconds:.1f}s"
        if self.repaired:
            line += f"; repaired {len(self.repaired)} interrupted article(s)"
        if self.problems:
            line += f"; {len(self.problems)} problem(s)"
        if self.warnings:
            line += f"; {len(self.warnings)} warning(s)"
        return line
