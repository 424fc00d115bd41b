"""Each input format yields the right text and metadata; bad input names the file and line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from rag.ingest.readers import read_paths
from tests.helpers import SEEDS


def test_seed_ids_titles_and_dates() -> None:
    result = read_paths([SEEDS])
    assert not result.problems
    docs = {d.doc_id: d.metadata for d in result.documents}
    assert sorted(docs) == sorted(p.name for p in SEEDS.iterdir())
    # a "date YYYY-MM-DD" marker line
    assert docs["000_c50e7d479453b99d.txt"]["date"] == "2024-10-01"
    # a written date near the top ("January 4, 2024" in the photo caption)
    assert docs["003_450532c52fe375e5.txt"]["date"] == "2024-01-04"
    assert docs["003_450532c52fe375e5.txt"]["title"].startswith("Gallant tells US envoy")
    # the credit line after the date marker is not taken for a title
    assert not docs["000_c50e7d479453b99d.txt"]["title"].startswith("Photo Credit")
    assert docs["001_86b8b23eb7a99f56.txt"]["date"] == ""


def test_ids_are_relative_to_the_path_given(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("Title\n\nSome body text here.")
    assert [d.doc_id for d in read_paths([tmp_path / "a"]).documents] == ["b/x.txt"]
    assert [d.doc_id for d in read_paths([tmp_path / "a" / "b" / "x.txt"]).documents] == ["x.txt"]


def test_markdown_front_matter(tmp_path: Path) -> None:
    (tmp_path / "m.md").write_text(
        "---\ntitle: Pier closes\ndate: 2024-07-17\nsource: AP\n"
        "url: https://apnews.com/x\n---\n# Heading\n\nThe pier "
        "closed after two months.\n"
    )
    doc = read_paths([tmp_path / "m.md"]).documents[0]
    assert doc.metadata["title"] == "Pier closes"
    assert doc.metadata["date"] == "2024-07-17"
    assert doc.metadata["date_int"] == 20240717
    assert doc.metadata["source"] == "AP"
    assert doc.text.startswith("# Heading")


def test_html_main_text_title_and_meta_date(tmp_path: Path) -> None:
    body = " ".join(["The floating pier off Gaza cost 230 million dollars to build."] * 8)
    (tmp_path / "p.html").write_text(
        "<html><head><title>Gaza pier to close</title>"
        '<meta property="article:published_time" content="2024-07-17T10:00:00Z">'
        '<meta property="og:site_name" content="Example News">'
        "</head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>Gaza pier to close</h1><p>{body}</p></article>"
        "<footer>Copyright</footer></body></html>"
    )
    doc = read_paths([tmp_path / "p.html"]).documents[0]
    assert doc.metadata["title"] == "Gaza pier to close"
    assert doc.metadata["date"] == "2024-07-17"
    assert "230 million dollars" in doc.text
    assert "Home | World" not in doc.text


def plotted_pdf(path: Path) -> Path:
    """A two-line PDF written by a real PDF library (matplotlib), not built by hand like
    `tests.helpers.pdf.minimal_pdf`: the reader must cope with files as tools export them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    fig.text(0.1, 0.8, "Hochstein visits Beirut")
    fig.text(0.1, 0.6, "The envoy met Lebanese officials on March 4, 2024.")
    fig.savefig(path)
    plt.close(fig)
    return path


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    doc = read_paths([plotted_pdf(tmp_path / "a.pdf")]).documents[0]
    assert "envoy met Lebanese officials" in doc.text
    assert doc.metadata["title"] == "Hochstein visits Beirut"


def test_json_feed_records_and_aliases(tmp_path: Path) -> None:
    records = [
        {"id": "r1", "title": "One", "date": "2024-02-01", "source": "Wire", "text": "Alpha."},
        {
            "title": "Two",
            "published_at": "2024-02-02T08:00:00Z",
            "url": "https://x.org/2",
            "body": "Beta.",
        },
    ]
    (tmp_path / "feed.json").write_text(json.dumps({"articles": records}))
    docs = {d.doc_id: d for d in read_paths([tmp_path / "feed.json"]).documents}
    assert docs["r1"].metadata["source"] == "Wire"
    url_doc = next(d for k, d in docs.items() if k != "r1")
    assert url_doc.doc_id.startswith("url-")
    assert url_doc.metadata["date"] == "2024-02-02"
    assert url_doc.metadata["source"] == "x.org"  # from the url when not given
    assert url_doc.text == "Beta."


def test_bad_input_is_reported_by_file_and_line_and_the_rest_reads(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good article\n\nIt has text.")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 article".encode("latin-1"))
    (tmp_path / "notes.docx").write_text("x")
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "a", "text": "Fine record."}\n{"id": "b", "text": \n'
        '{"id": "c", "title": "no text"}\n{"id": "d", "text": "Also fine."}\n'
    )
    result = read_paths([tmp_path])
    assert sorted(d.doc_id for d in result.documents) == ["a", "d", "good.txt"]
    messages = {str(p) for p in result.problems}
    assert f"{tmp_path / 'empty.txt'}: file is empty" in messages
    assert any(m.startswith(f"{tmp_path / 'binary.txt'}: looks binary") for m in messages)
    assert any(m.startswith(f"{tmp_path / 'latin1.txt'}: not valid UTF-8") for m in messages)
    assert any(
        m.startswith(f"{tmp_path / 'notes.docx'}: unsupported file type '.docx'") for m in messages
    )
    assert any(m.startswith(f"{tmp_path / 'feed.jsonl'}:2: malformed JSON") for m in messages)
    assert any(m.startswith(f"{tmp_path / 'feed.jsonl'}:3: record has no 'text'") for m in messages)
    assert len(result.problems) == 6


def test_unreadable_date_in_a_record_names_the_field_and_keeps_the_article(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text('{"id": "x", "date": "next week", "text": "T."}\n')
    result = read_paths([tmp_path / "f.jsonl"])
    assert [d.metadata["date"] for d in result.documents] == [""]
    assert not result.problems
    assert str(result.warnings[0]) == (
        f"{tmp_path / 'f.jsonl'}:1: record 'x': field 'date' "
        "has an unreadable date 'next week'; stored undated "
        "(use YYYY-MM-DD)"
    )


def test_a_hard_wrapped_sentence_is_one_sentence_but_a_headline_line_still_ends_one() -> None:
    """Found uploading a plain-text article wrapped at 90 columns: the answer quoted
    "… city engineers said on Friday, after" and lost the rest of the sentence."""
    from rag.text.sentences import sentence_spans

    text = (
        "Bridge to reopen\nThe bridge will reopen on March 3, engineers said, after\n"
        "repairs that cost $14 million. It closed in August.\nFerries run until then."
    )
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Bridge to reopen",
        "The bridge will reopen on March 3, engineers said, after\nrepairs that cost $14 million.",
        "It closed in August.",
        "Ferries run until then.",
    ]


def test_a_clock_times_am_or_pm_ends_a_sentence_only_where_a_new_one_starts() -> None:
    """Found reading real-news briefings: "began with fueling at 7:30 a.m." | "ET Wednesday."
    was split in two, and the timeline lost the line's day; an answer quoting "The vote is
    set for 10 a.m." lost when."""
    from rag.text.sentences import sentence_spans

    def split(text: str) -> list[str]:
        return [text[a:b] for a, b in sentence_spans(text)]

    assert split("Crews began fueling at 7:30 a.m. ET Wednesday. The launch was scrubbed.") == [
        "Crews began fueling at 7:30 a.m. ET Wednesday.",
        "The launch was scrubbed.",
    ]
    assert split("The vote is set for 10 a.m. Tuesday, officials said.") == [
        "The vote is set for 10 a.m. Tuesday, officials said."
    ]
    assert split("Launch is set for 8:33 a.m. Sept. 3 from pad 39B.") == [
        "Launch is set for 8:33 a.m. Sept. 3 from pad 39B."
    ]
    # a new sentence after the time still starts one; a lower-case word never does
    assert split("The store opens at 9 a.m. It closes at 5 p.m. on Sundays.") == [
        "The store opens at 9 a.m.",
        "It closes at 5 p.m. on Sundays.",
    ]
    assert split("Polls close at 8 p.m. Voters lined up early.") == [
        "Polls close at 8 p.m.",
        "Voters lined up early.",
    ]


def test_a_duplicate_id_in_a_feed_names_both_lines(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text(
        '{"id": "a", "text": "One."}\n{"id": "b", "text": '
        '"Two."}\n\n{"id": "a", "text": "Again."}\n'
    )
    (tmp_path / "g.json").write_text(
        json.dumps(
            [
                {"id": "a", "text": "Three."},
                {"id": 7, "text": "Four."},
                {"id": "7", "text": "Five."},
            ]
        )
    )
    result = read_paths([tmp_path])
    assert [d.doc_id for d in result.documents] == ["a", "b", "7"]
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'f.jsonl'}:4: duplicate article id 'a' (first seen in "
        f"{tmp_path / 'f.jsonl'}:1); this copy was skipped",
        f"{tmp_path / 'g.json'}: record 1: duplicate article id 'a' (first seen in "
        f"{tmp_path / 'f.jsonl'}:1); this copy was skipped",
        f"{tmp_path / 'g.json'}: record 3: duplicate article id '7' (first seen in "
        f"{tmp_path / 'g.json'} (record 2)); this copy was skipped",
    ]


def test_a_record_field_of_the_wrong_kind_is_named_with_its_kind(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text(
        '{"id": "n", "text": 12345}\n{"id": "l", "body": ["a", "b"]}\n'
        '{"id": {"a": 1}, "text": "Object id."}\n{"id": ["x"], "text": "List id."}\n'
        '{"id": true, "text": "Boolean id."}\n{"id": 42, "text": "Number id."}\n'
        '{"id": "m"}\n'
    )
    result = read_paths([tmp_path / "f.jsonl"])
    assert [d.doc_id for d in result.documents] == ["42"]
    feed = tmp_path / "f.jsonl"
    assert [str(p) for p in result.problems] == [
        f'{feed}:1: "text" is a number, not a string; give the article text as a JSON string',
        f'{feed}:2: "body" is a list, not a string; give the article text as a JSON string',
        f'{feed}:3: "id" is an object; an id must be a string or a number',
        f'{feed}:4: "id" is a list; an id must be a string or a number',
        f'{feed}:5: "id" is true/false; an id must be a string or a number',
        f"{feed}:7: record has no 'text' (or 'body') field with article text",
    ]


def test_pypdf_warnings_become_one_warning_naming_the_file(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    import re

    raw = plotted_pdf(tmp_path / "a.pdf").read_bytes()
    pointer = re.search(rb"startxref\s+(\d+)", raw)
    assert pointer is not None
    damaged = tmp_path / "damaged.pdf"  # the cross-reference table is not where it says
    damaged.write_bytes(
        raw[: pointer.start(1)] + str(int(pointer.group(1)) + 7).encode() + raw[pointer.end(1) :]
    )
    logging.basicConfig(level=logging.WARNING)  # as the `rag` command configures logging
    with caplog.at_level(logging.WARNING):
        result = read_paths([damaged])
    assert "envoy met Lebanese officials" in result.documents[0].text  # read all the same
    said = [str(w) for w in result.warnings]
    assert len(said) == 1 and said[0].startswith(
        f"{damaged}: PDF is damaged in places (pypdf: incorrect startxref pointer("
    )
    assert said[0].endswith("it was read as far as possible, so its text may be incomplete")
    assert caplog.records == []  # pypdf's own lines no longer reach the log
    assert "startxref" not in capfd.readouterr().err
