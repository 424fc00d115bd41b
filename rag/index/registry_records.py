"""Typed registry records: an article's bookkeeping (`ArticleRecord`) and a run's claim on an
article id (`ArticleClaim`), read from and written to Chroma's flat metadata.

A field's name is its metadata key on disk, so a store written by any version reads as it
is: a key an older version did not write reads as its field's empty default and is not
written back unless set; a key this version does not know is kept and written back as it
was. A record read and written unchanged therefore round-trips to the very same metadata,
and two records are equal exactly when their metadata is. What this leaves out: reading and
writing them (`rag.index.registry`, `rag.index.claims`) and what the fields mean to a run
(`rag.index.writers`, `rag.ingest.commit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping, TypeVar

PENDING = "pending"
DONE = "done"

R = TypeVar("R", bound="FlatRecord")
_BOOKKEEPING = ("absent", "extra")  # fields of the record itself, not metadata keys


@dataclass(frozen=True, kw_only=True)
class FlatRecord:
    """A record kept as one Chroma metadata mapping: scalar fields, one key each."""

    absent: frozenset[str] = field(default=frozenset(), repr=False)  # known keys not on disk
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False, hash=False)  # unknown

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The metadata keys this version knows, in field order."""
        return tuple(f.name for f in fields(cls) if f.name not in _BOOKKEEPING)

    @classmethod
    def from_metadata(cls: type[R], metadata: Mapping[str, Any]) -> R:
        """The record as stored, whichever version wrote it (see the module docstring)."""
        known = cls.keys()
        return cls(
            **{k: metadata[k] for k in known if k in metadata},
            absent=frozenset(k for k in known if k not in metadata),
            extra={k: v for k, v in metadata.items() if k not in known},
        )

    def to_metadata(self) -> dict[str, Any]:
        """The metadata to store: every field, but a key absent when read and still at its
        default stays absent, and unknown keys go back as they came."""
        out = dict(self.extra)
        for f in fields(self):
            if f.name in _BOOKKEEPING:
                continue
            value = getattr(self, f.name)
            if f.name in self.absent and value == f.default:
                continue
            out[f.name] = value
        return out


@dataclass(frozen=True, kw_only=True)
class ArticleRecord(FlatRecord):
    """One stored article version's registry record (`<collection>__articles`).

    `status` is `pending` from before its chunks are touched until they are all written,
    then `done`; `owner` and `lease_until` say which run wrote it and until when a pending
    record counts as that run's (`rag.index.writers`). `minhash`, `story` and
    `superseded_by` are its grouping (`rag.index.stories`); `root` the folder or file given
    that it was found under ("" for a web article).
    """

    # a record made now has no `superseded_by` until `Registry.mark_versions` sets one
    absent: frozenset[str] = field(default=frozenset({"superseded_by"}), repr=False)
    owner: str = ""
    lease_until: float = 0.0
    status: str = ""
    content_hash: str = ""
    recipe: str = ""
    title: str = ""
    date: str = ""  # ISO day, "" when undated
    date_int: int = 0  # the date as YYYYMMDD, 0 when undated
    source: str = ""
    url: str = ""
    path: str = ""
    root: str = ""
    chunks: int = 0
    chars: int = 0
    ingested_at: str = ""  # ISO time, UTC
    minhash: str = ""
    story: str = ""
    superseded_by: str = ""

    @property
    def done(self) -> bool:
        """Whether the article is fully stored (any other status counts as pending)."""
        return self.status == DONE


@dataclass(frozen=True, kw_only=True)
class ArticleClaim(FlatRecord):
    """A run's claim on an article id it has decided to write (`<collection>__claims`):
    which run, until when, from which host and file, with which text."""

    owner: str = ""
    lease_until: float = 0.0
    host: str = ""  # where the run's `RunMark` can be seen (`rag.index.writers.this_host`)
    path: str = ""
    content_hash: str = ""


NO_RECORD = ArticleRecord()  # what an article the registry does not know reads as
