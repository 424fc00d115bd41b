"""Stories: near-duplicate articles (wire copies, re-posts, one text under several outlets or
urls) grouped into one story at ingest, with MinHash signatures and LSH from `datasketch`.

News is syndicated: the same AP text runs under many outlets, so without grouping, the top
passages of a question are five copies of one report and the "disagreements" of a briefing are
one article against itself. Each article record carries its MinHash signature (`minhash`,
word 5-gram shingles, base64) and its `story` id; a new article joins the story of the most
similar stored article whose estimated Jaccard similarity reaches `STORY_THRESHOLD`, else it
starts its own story (named after itself). Grouping is incremental: an LSH index is built from
the stored signatures (milliseconds for thousands of articles) and only new or changed
articles are looked up; nothing already stored is regrouped.

An updated version of an article (same outlet, same url or title, newer date, in the same
story) replaces the older one for readers: the older record is marked `superseded_by` and
retrieval leaves it out; it stays stored, so nothing is lost and deleting the newer one brings
it back. An article stored again under its own id with new text keeps its story when it is
still a near-duplicate of it.

A story is a connected group: an article that copies members of two stories joins them, and
a story is named after its smallest article id, so the same articles make the same stories
whatever order (or how many concurrent runs) they arrive in; a run regroups against the
store as it is at each commit, not as it was when the run started.

What this leaves out: topical clustering (two different reports of one event are two stories);
regrouping when thresholds change (re-ingest with a new recipe for that); and splitting a story
when a changed article no longer bridges its halves. Scraped
stubs with identical text (a registration wall, a video-ad form) group as one story: the text
is a copy even when the articles behind it are not.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Iterable, Mapping

import numpy as np

if TYPE_CHECKING:  # datasketch imports SciPy (0.4 s): loaded when a story is first grouped
    from datasketch import MinHash, MinHashLSH

from rag.index.registry_records import ArticleRecord

NUM_PERM = 128
SHINGLE_WORDS = 5
STORY_THRESHOLD = 0.5  # estimated Jaccard of 5-gram shingles; copies with new heads/tails pass
# Below this, a match must also be published within `NEAR_DAYS` of the article: on the
# realtimeqa-2022 corpus the false groups between 0.5 and 0.8 were pages sharing a photo
# gallery or a newsletter template weeks apart, and a yearly evergreen re-run (eval/stories.py).
SURE_THRESHOLD = 0.8
NEAR_DAYS = 7
MIN_SHINGLES = 20  # shorter texts (a paywall stub, an empty page) are too short to judge
_WORD = re.compile(r"\w+")
_SEED = 1  # fixed, so signatures stored by one run compare with the next run's
_SCHEME = "affine32"  # named, not left to the library's default: stored values are 32-bit


def shingles(text: str) -> set[bytes]:
    """Word `SHINGLE_WORDS`-grams of the lower-cased text, as bytes for hashing."""
    words = _WORD.findall(text.lower())
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(max(0, len(words) - SHINGLE_WORDS + 1))
    }


def signature(text: str) -> MinHash | None:
    """The MinHash of `text`'s shingles, or None when the text is too short to group."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    mh.update_batch(list(grams))
    return mh


story_signature = signature  # the public name (`from rag import story_signature`)


def encode(mh: MinHash | None) -> str:
    """A signature as a string a Chroma metadata field can hold ("" for none)."""
    if mh is None:
        return ""
    return base64.b64encode(mh.hashvalues.astype("<u4").tobytes()).decode("ascii")


def decode(text: str) -> MinHash | None:
    if not text:
        return None
    values = np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint64)
    if len(values) != NUM_PERM:
        return None  # written with other settings: treated as ungrouped
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashvalues=values, scheme=_SCHEME)


@dataclass
class StoryIndex:
    """Stored articles' signatures in an LSH index, for grouping new ones as they come."""

    threshold: float = STORY_THRESHOLD
    lsh: MinHashLSH = field(init=False)
    signatures: dict[str, MinHash] = field(default_factory=dict)
    story_of: dict[str, str] = field(default_factory=dict)
    day_of: dict[str, str] = field(default_factory=dict)  # ISO dates, "" when undated
    members: dict[str, set[str]] = field(default_factory=dict)  # story -> its articles
    relabeled: dict[str, str] = field(default_factory=dict)  # others moved by a merge

    def __post_init__(self) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)
        for doc_id, story in self.story_of.items():
            self.members.setdefault(story, set()).add(doc_id)

    @classmethod
    def from_records(
        cls, records: Mapping[str, ArticleRecord], threshold: float = STORY_THRESHOLD
    ) -> "StoryIndex":
        index = cls(threshold)
        for doc_id, rec in records.items():
            index._move(doc_id, rec.story or doc_id)
            index.day_of[doc_id] = rec.date
            if (mh := decode(rec.minhash)) is not None:
                index.add(doc_id, mh)
        return index

    def add(self, doc_id: str, mh: MinHash | None) -> None:
        if doc_id in self.signatures:
            self.lsh.remove(doc_id)
            del self.signatures[doc_id]
        if mh is not None:
            self.signatures[doc_id] = mh
            self.lsh.insert(doc_id, mh)

    def matches(self, doc_id: str, mh: MinHash | None, day: str = "") -> dict[str, float]:
        """Stored articles `doc_id` is a copy of, with their estimated similarity: at least
        `SURE_THRESHOLD`, or at least the threshold and published within `NEAR_DAYS`."""
        if mh is None:
            return {}
        found = {}
        for other in self.lsh.query(mh):
            if other == doc_id:
                continue
            sim = mh.jaccard(self.signatures[other])
            if sim >= max(SURE_THRESHOLD, self.threshold) or (
                sim >= self.threshold and _near(day, self.day_of.get(other, ""))
            ):
                found[other] = sim
        return found

    def assign(self, doc_id: str, mh: MinHash | None, day: str = "") -> str:
        """Group `doc_id` (new or changed) and remember it; returns its story id.

        A story is every article linked to another of it by a copy (`matches`), named after
        its smallest article id, so the grouping is the same whatever order articles arrive
        in: an article that is a copy of members of two stories joins them into one, and the
        other members it moves are kept in `relabeled` for the caller to store. A changed
        article keeps its story while it is still a copy of one of its members.
        """
        old_story = self.story_of.get(doc_id)
        self.add(doc_id, None)  # its old signature must not match itself
        found = self.matches(doc_id, mh, day)
        if not found:  # a story of its own, named after it unless others still use that
            others = [d for d in self.members.get(doc_id, ()) if d != doc_id]
            story = doc_id if not others else f"{doc_id}#{len(self.story_of)}"
            self._move(doc_id, story)
        else:
            joined = {self.story_of.get(d, d) for d in found}
            if old_story in joined or old_story is None:
                joined.add(old_story or doc_id)
            together = {doc_id}.union(*(self.members.get(s, {s}) for s in joined))
            story = min(together)
            if leftover := self.members.get(story, set()) - together:
                for member in leftover:  # the story it left was named after this article
                    self._move(member, min(leftover))
                    self.relabeled[member] = min(leftover)
            for member in together:
                if self.story_of.get(member) != story:
                    self._move(member, story)
                    if member != doc_id:
                        self.relabeled[member] = story
        self.day_of[doc_id] = day
        self.add(doc_id, mh)
        return story

    def take_relabeled(self) -> dict[str, str]:
        """Articles a merge moved to another story since the last call (doc id -> story)."""
        moved, self.relabeled = self.relabeled, {}
        return moved

    def _move(self, doc_id: str, story: str) -> None:
        old = self.story_of.get(doc_id)
        if old is not None:
            self.members.get(old, set()).discard(doc_id)
        self.story_of[doc_id] = story
        self.members.setdefault(story, set()).add(doc_id)


def group(
    texts: Iterable[tuple[str, str, str]], threshold: float = STORY_THRESHOLD
) -> dict[str, str]:
    """Story id of each `(doc_id, text, iso_date)`, grouped as ingest groups them."""
    index = StoryIndex(threshold)
    order = []
    for doc_id, text, day in texts:
        index.assign(doc_id, signature(text), day)
        order.append(doc_id)
    return {doc_id: index.story_of[doc_id] for doc_id in order}


def _near(a: str, b: str) -> bool:
    """Whether two ISO dates are within `NEAR_DAYS` (undated articles count as near)."""
    if not a or not b:
        return True
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= NEAR_DAYS
    except ValueError:
        return True


def _same_piece(a: ArticleRecord, b: ArticleRecord) -> bool:
    """Whether two records of one story are versions of one piece by one outlet."""
    if not a.source or a.source != b.source:
        return False
    same_url = bool(a.url) and a.url == b.url
    same_title = bool(a.title) and _norm(a.title) == _norm(b.title)
    return same_url or same_title


def _norm(title: str) -> str:
    return " ".join(_WORD.findall(title.lower()))


def superseded(records: Mapping[str, ArticleRecord]) -> dict[str, str]:
    """Older versions within each story: doc id -> the id of the newest version of it.

    A version is newer by date, then by ingest time; undated versions are never judged older.
    """
    by_story: dict[str, list[str]] = {}
    for doc_id, rec in records.items():
        by_story.setdefault(rec.story or doc_id, []).append(doc_id)
    result: dict[str, str] = {}
    for members in by_story.values():
        if len(members) < 2:
            continue
        order = sorted(
            members,
            key=lambda d: (records[d].date, records[d].ingested_at, d),
            reverse=True,
        )
        for i, newer in enumerate(order):
            if newer in result:
                continue
            for older in order[i + 1 :]:
                if (
                    older not in result
                    and records[older].date
                    and _same_piece(records[newer], records[older])
                ):
                    result[older] = newer
    return result
