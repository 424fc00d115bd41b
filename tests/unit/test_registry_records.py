"""Registry records read from and written to Chroma's flat metadata exactly as stored."""

from __future__ import annotations

from dataclasses import replace

from rag.index.registry_records import ArticleClaim, ArticleRecord

# a record as the current version writes it (and as `rag ingest` wrote it before records
# were typed): every key, one dict
CURRENT = {
    "owner": "3f2a9c0d1e4b5a67",
    "lease_until": 0.0,
    "status": "done",
    "content_hash": "9b1c",
    "recipe": "v1|bge-small|180|30",
    "title": "Ashford votes for water plant",
    "date": "2026-03-04",
    "date_int": 20260304,
    "source": "apnews.com",
    "url": "https://apnews.com/ashford-water",
    "path": "/news/feed.jsonl",
    "root": "/news",
    "chunks": 3,
    "chars": 1480,
    "ingested_at": "2026-03-04T10:00:00+00:00",
    "minhash": "AAAA",
    "story": "ap-1",
}


def test_a_record_in_the_old_dict_form_round_trips() -> None:
    record = ArticleRecord.from_metadata(CURRENT)
    assert record.to_metadata() == CURRENT
    assert (record.title, record.chunks, record.story, record.done) == (
        "Ashford votes for water plant",
        3,
        "ap-1",
        True,
    )
    marked = {**CURRENT, "superseded_by": "ap-2"}  # set once a newer version is stored
    assert ArticleRecord.from_metadata(marked).to_metadata() == marked
    assert ArticleRecord.from_metadata(CURRENT) == record


def test_an_older_record_reads_with_empty_defaults_and_writes_back_only_its_keys() -> None:
    before_stories = ("owner", "lease_until", "minhash", "story")  # keys added since
    older = {k: v for k, v in CURRENT.items() if k not in before_stories}
    older["legacy_flag"] = True  # a key this version does not know
    record = ArticleRecord.from_metadata(older)
    assert (record.owner, record.lease_until, record.minhash, record.story) == ("", 0.0, "", "")
    assert record.to_metadata() == older
    pending = replace(record, status="pending").to_metadata()
    assert pending == {**older, "status": "pending"}
    assert replace(record, story="ap-1").to_metadata() == {**older, "story": "ap-1"}


def test_a_record_made_now_has_every_key_but_superseded_by() -> None:
    made = ArticleRecord(**CURRENT)
    assert made.to_metadata() == CURRENT
    assert ArticleRecord.from_metadata(made.to_metadata()) == made


def test_a_claim_round_trips() -> None:
    stored = {
        "owner": "run-one",
        "lease_until": 1.5,
        "host": "box:/data",
        "path": "/news/a.txt",
        "content_hash": "x",
    }
    claim = ArticleClaim.from_metadata(stored)
    assert claim.to_metadata() == stored and claim.host == "box:/data"
