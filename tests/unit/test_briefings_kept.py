"""Kept briefings: one folder the Briefing tab and the API share; newest first; deleted whole."""

from __future__ import annotations

from pathlib import Path

from ui.briefings_kept import KeptBriefings


def test_kept_briefings_list_newest_first_open_and_delete_both_files(tmp_path: Path) -> None:
    kept = KeptBriefings(tmp_path / "briefings")
    assert kept.list() == []
    first = kept.keep(
        "Gaza pier", {"topic": "Gaza pier", "generated_at": "2026-12-04T10:00"}, "# A"
    )
    second = kept.keep(
        "Hezbollah", {"topic": "Hezbollah", "generated_at": "2026-12-04T11:00"}, "# B"
    )
    assert [b.key for b in kept.list()] == [second.key, first.key]
    assert first.label == "Gaza pier · 2026-12-04 10:00"
    found = kept.get(first.key)
    assert found is not None and found[1] == "# A" and found[2]["topic"] == "Gaza pier"
    assert kept.delete(first.key) and not kept.delete(first.key)
    assert [b.key for b in kept.list()] == [second.key]
    assert sorted(p.name for p in (tmp_path / "briefings").iterdir()) == [
        f"{second.key}.json",
        f"{second.key}.md",
    ]


def test_keys_that_are_not_ours_are_never_read_or_deleted(tmp_path: Path) -> None:
    folder = tmp_path / "briefings"
    kept = KeptBriefings(folder)
    kept.keep("x", {"topic": "x"}, "# x")
    (tmp_path / "secret.json").write_text("{}", encoding="utf-8")
    for key in ("../secret", "", "20261204T1-../../secret", "old-slug"):
        assert kept.get(key) is None and not kept.delete(key)
    assert (tmp_path / "secret.json").exists()
