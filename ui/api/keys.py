"""Who may call the API: bearer keys checked in constant time, and requests counted per key.

Keys come from `RAG_API_KEYS` (comma-separated) and `RAG_API_KEY_FILE` (one per line, `#`
comments); either may hold a key itself or `sha256:HEX` of it, so a key file need not hold
secrets. In memory only the SHA-256 of each key is kept, and a presented key is hashed and
compared with every stored hash by `hmac.compare_digest`, so neither the keys nor the time a
comparison takes give a key away. A caller is known by its key's hash (`KeyRing.caller`).

Without any key the API serves callers on this machine only (loopback addresses), the way
the UI binds to 127.0.0.1 by default: a server opened with `--host 0.0.0.0` does not open
its API to the network by accident. Requests are limited per key over a sliding minute
(`RequestLimit`); a caller over it gets 429 with `Retry-After`.

The UI's login (`RAG_UI_AUTH`) is not checked here: a person logs in, a program holds a key.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HASHED = "sha256:"


class KeyFileError(ValueError):
    """A key file that cannot be read, or a line that is not a key."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _stored(entry: str, where: str) -> str:
    """One configured key as the hash kept in memory."""
    if entry.startswith(HASHED):
        hexed = entry[len(HASHED) :].strip().lower()
        if len(hexed) != 64 or any(c not in "0123456789abcdef" for c in hexed):
            raise KeyFileError(f"{where}: 'sha256:' must be followed by 64 hex digits")
        return hexed
    if len(entry) < 16:
        raise KeyFileError(f"{where}: an API key must be at least 16 characters")
    return digest(entry)


@dataclass(frozen=True)
class KeyRing:
    """The hashes of the accepted keys (empty: no key configured, loopback callers only)."""

    hashes: tuple[str, ...] = ()

    @classmethod
    def load(cls, keys: str | None, key_file: Path | None) -> "KeyRing":
        """The keys of `RAG_API_KEYS` and `RAG_API_KEY_FILE`; a bad one is a `KeyFileError`
        naming where it is (never the key)."""
        hashes = [
            _stored(k.strip(), f"RAG_API_KEYS entry {n}")
            for n, k in enumerate((keys or "").split(","), start=1)
            if k.strip()
        ]
        if key_file is not None:
            try:
                lines = key_file.read_text(encoding="utf-8").splitlines()
            except OSError as err:
                raise KeyFileError(f"RAG_API_KEY_FILE {key_file}: {err.strerror}") from err
            for n, line in enumerate(lines, start=1):
                entry = line.split("#", 1)[0].strip()
                if entry:
                    hashes.append(_stored(entry, f"{key_file} line {n}"))
        return cls(tuple(dict.fromkeys(hashes)))

    @property
    def configured(self) -> bool:
        return bool(self.hashes)

    def caller(self, presented: str) -> str | None:
        """The hash naming the caller of `presented`, or None when it is no accepted key.
        Every stored hash is compared (constant time each), whichever matches."""
        offered = digest(presented)
        found = None
        for stored in self.hashes:
            if hmac.compare_digest(offered, stored):
                found = stored
        return found


def bearer(header: str | None) -> str | None:
    """The key of an `Authorization: Bearer KEY` header (None when there is none)."""
    scheme, _, key = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


def is_loopback(host: str | None) -> bool:
    """Whether a client address is this machine (127.0.0.0/8, ::1)."""
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass
class RequestLimit:
    """At most `per_minute` requests per caller in any sliding 60 s; `wait` says how long the
    caller must wait before the next one is allowed (0: allowed now, and counted)."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, caller: str) -> float:
        now = self.clock()
        with self._lock:
            times = self._seen.setdefault(caller, deque())
            while times and now - times[0] >= 60.0:
                times.popleft()
            if len(times) >= self.per_minute:
                return max(60.0 - (now - times[0]), 0.001)
            times.append(now)
            return 0.0
