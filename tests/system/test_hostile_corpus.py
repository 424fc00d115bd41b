"""Hostile corpora: every bad file or record is named with its reason, good articles still land,
and nothing already stored is lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rag.doctor import diagnose
from rag.index.store import Store
from rag.ingest.readers import Limits, read_paths
from rag.settings import Settings
from tests.helpers import SEEDS, run_rag

TINY_FILES = 10_000


def _hostile_folder(root: Path, tiny: int) -> Path:
    """One folder holding every kind of trouble next to a few good articles."""
    root.mkdir()
    (root / "good.txt").write_text(
        "Harbour reopens\n\nDate: 2024-03-02\n\nThe harbour of Port Vale reopened after the storm."
    )
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_text("  \n\n \t\n")
    (root / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x00\x00" + os.urandom(256))
    (root / "cp1252.txt").write_bytes(
        "Caf\u00e9 owners protest \u201cnew rules\u201d".encode("cp1252")
    )
    with open(root / "huge.txt", "w") as f:  # 200 MB of real text, not a sparse file
        line = "The council met again and said nothing new about the budget. " * 16 + "\n"
        for _ in range(200 * 1_048_576 // len(line) + 1):
            f.write(line)
    deep = root / "deep"
    for level in range(300):
        deep = deep / f"level{level}"
    deep.mkdir(parents=True)
    (deep / "bottom.txt").write_text(
        "Mine reopens\n\nThe deepest article says the copper mine at Kell reopened on Monday."
    )
    loop = root / "loop"
    loop.mkdir()
    (loop / "to_parent").symlink_to("..")
    (loop / "to_self").symlink_to(".")
    (loop / "dangling.txt").symlink_to("nowhere.txt")
    (loop / "beside.txt").write_text("Loop story\n\nA real article beside two link loops.")
    (root / "feed.jsonl").write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "feed-1", "date": "2024-05-01", "text": "The ferry to Lund resumed."}
                ),
                '{"id": "feed-broken", "text": "cut off here',
                json.dumps({"id": "feed-1", "text": "A second record with the same id."}),
                json.dumps(
                    {"id": "feed-future", "date": "2099-01-01", "text": "Dated in the future."}
                ),
                json.dumps(
                    {
                        "id": "feed-garbled",
                        "date": "the 45th of Smarch",
                        "text": "An unreadable date.",
                    }
                ),
                json.dumps(["not", "an", "object"]),
                json.dumps({"id": "feed-2", "text": "The last good record, after the bad ones."}),
            ]
        )
        + "\n"
    )
    (root / "front.md").write_text(
        "---\ntitle: Launch\ndate: 2090-12-31\n---\nThe rocket launch was scheduled for the spring."
    )
    (root / "001_86b8b23eb7a99f56.txt").write_text(
        "Impostor\n\nA different article that happens to share a seed's file name."
    )
    tiny_dir = root / "tiny"
    tiny_dir.mkdir()
    for i in range(tiny):
        (tiny_dir / f"n{i:05d}.txt").write_text(f"Note {i}\n\nDepot {i} counted {i % 97} crates.")
    return root


def _assert_reported(found: set[str], expected: list[str]) -> None:
    """Each expected line opens exactly one reported line, and nothing else was reported."""
    for line in expected:
        assert any(f.startswith(line) for f in found), (line, found)
    assert len(found) == len(expected)


def test_every_kind_of_bad_input_is_named_with_its_reason(tmp_path: Path) -> None:
    folder = _hostile_folder(tmp_path / "hostile", tiny=3)
    result = read_paths([folder], Limits(max_file_mb=100))
    problems = {str(p) for p in result.problems}
    warnings = {str(w) for w in result.warnings}
    expect_problems = [
        f"{folder / 'empty.txt'}: file is empty",
        f"{folder / 'blank.md'}: file is empty",
        f"{folder / 'binary.txt'}: looks binary",
        f"{folder / 'cp1252.txt'}: not valid UTF-8 (byte 0xe9 at offset 3)",
        f"{folder / 'huge.txt'}: is 200 MB, over the 100 MB limit for one file",
        f"{folder / 'feed.jsonl'}:2: malformed JSON",
        f"{folder / 'feed.jsonl'}:3: duplicate article id 'feed-1' (first seen in "
        f"{folder / 'feed.jsonl'}:1)",
        f"{folder / 'feed.jsonl'}:6: record is a JSON list, expected an object",
    ]
    _assert_reported(problems, expect_problems)
    expect_warnings = [
        f"{folder / 'feed.jsonl'}:4: record 'feed-future': field 'date' 2099-01-01 is in the "
        "future; stored undated",
        f"{folder / 'feed.jsonl'}:5: record 'feed-garbled': field 'date' has an unreadable "
        "date 'the 45th of Smarch'; stored undated",
        f"{folder / 'front.md'}: front matter 'date' 2090-12-31 is in the future",
        f"{folder / 'loop' / 'to_parent'}: link to a folder, not followed",
        f"{folder / 'loop' / 'to_self'}: link to a folder, not followed",
        f"{folder / 'loop' / 'dangling.txt'}: broken link",
    ]
    _assert_reported(warnings, expect_warnings)
    docs = {d.doc_id: d for d in result.documents}
    deep_id = "deep/" + "/".join(f"level{i}" for i in range(300)) + "/bottom.txt"
    assert set(docs) == {
        "good.txt",
        "loop/beside.txt",
        "feed-1",
        "feed-future",
        "feed-garbled",
        "feed-2",
        "front.md",
        "001_86b8b23eb7a99f56.txt",
        deep_id,
        "tiny/n00000.txt",
        "tiny/n00001.txt",
        "tiny/n00002.txt",
    }
    assert docs["feed-1"].text == "The ferry to Lund resumed."  # the first copy wins
    assert docs["feed-future"].metadata["date"] == "" and docs["front.md"].metadata["date"] == ""
    assert docs["good.txt"].metadata["date"] == "2024-03-02"


def test_an_oversized_article_inside_a_feed_is_refused_by_line(tmp_path: Path) -> None:
    feed = tmp_path / "big.jsonl"
    feed.write_text(
        json.dumps({"id": "ok", "text": "Short."})
        + "\n"
        + json.dumps({"id": "archive", "text": "word " * 1000})
        + "\n"
    )
    result = read_paths([feed], Limits(max_article_chars=2000))
    assert [d.doc_id for d in result.documents] == ["ok"]
    assert str(result.problems[0]).startswith(
        f"{feed}:2: article text is 5,000 characters, over the 2,000 limit (RAG_MAX_ARTICLE_CHARS)"
    )


def test_hostile_ingest_keeps_what_was_stored_and_lands_the_good(
    tmp_path: Path, seeded_data: Path
) -> None:
    data = seeded_data
    env = {"RAG_DATA_DIR": str(data)}
    settings = Settings(data_dir=data)
    before = Store.open(settings).fingerprint()
    folder = _hostile_folder(tmp_path / "hostile", tiny=TINY_FILES)

    result = run_rag("ingest", str(folder), env=env, timeout=900)
    assert result.returncode == 1  # something was refused: the exit status says so
    stderr = result.stderr
    assert f"skipped {folder / 'huge.txt'}: is 200 MB, over the 100 MB limit" in stderr
    assert f"skipped {folder / 'binary.txt'}: looks binary" in stderr
    assert f"warning {folder / 'loop' / 'to_parent'}: link to a folder, not followed" in stderr
    assert (
        f"skipped {folder / '001_86b8b23eb7a99f56.txt'}: id '001_86b8b23eb7a99f56.txt' "
        f"is already stored from {SEEDS / '001_86b8b23eb7a99f56.txt'}, which still exists; "
        "not replaced"
    ) in stderr
    assert "Traceback" not in stderr
    landed = 8 + TINY_FILES  # good, beside, deep, front, feed-1/-future/-garbled/-2, tiny
    assert f"{landed} added, 0 updated" in result.stdout, result.stdout
    assert "9 problem(s)" in result.stdout and "6 warning(s)" in result.stdout

    store = Store.open(settings)
    after = store.fingerprint()
    assert after["articles"] == before["articles"] + landed
    assert all(after["content_hashes"][k] == v for k, v in before["content_hashes"].items())
    assert diagnose(store) == []
    ids = [r["id"] for r in store.chunk_records()]
    assert len(ids) == len(set(ids))
    answer = json.loads(
        run_rag(
            "ask", "Where did the deepest article say a mine reopened?", "--json", env=env
        ).stdout
    )
    assert "Kell" in answer["answer"] and answer["citations"][0]["doc"].endswith("bottom.txt")

    again = run_rag("ingest", str(folder), env=env, timeout=600)
    assert f"0 added, 0 updated, {landed} skipped" in again.stdout, again.stdout
    assert "9 problem(s)" in again.stdout  # the same refusals, said again, still harmless
    assert Store.open(settings).fingerprint() == after
