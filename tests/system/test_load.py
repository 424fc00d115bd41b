"""Load: 20 clients ask through the UI's API for 60 s while an ingest runs.

Loopback only and bounded in time; the figures are printed (run with `-s` to see them), and
the soak is the same driver run longer: `python -m tests.load --seconds 3600`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from tests.helpers.load import run


def test_twenty_clients_for_a_minute_during_an_ingest(
    tmp_path: Path, seeded_store_copy: Callable[[Path], Path]
) -> None:
    seeded = seeded_store_copy(tmp_path / "seeded")
    report = run(seconds=60, clients=20, articles=300, workdir=tmp_path, seeded=seeded)
    print("\n" + report.table())
    assert report.errors == 0, report.error_samples
    assert report.unexplained == []  # every answer: as before, as after, or citing new ones
    assert report.ingest_overlap_s > 5  # the ingest really ran under the load
    assert report.requests >= 20 and report.same_as_before > 0
    assert report.new_articles == 300
