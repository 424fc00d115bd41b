"""API keys are kept hashed and compared in constant time; requests are counted per key
(ui.api.keys)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.api.keys import KeyFileError, KeyRing, RequestLimit, bearer, digest, is_loopback

KEY = "k3y-for-tests-0123456789"


def test_keys_from_the_variable_and_a_file_are_kept_as_hashes_only(tmp_path: Path) -> None:
    other = "another-key-abcdefghijkl"
    key_file = tmp_path / "keys"
    key_file.write_text(f"# the team's keys\nsha256:{digest(other)}  # alice\n\n{KEY}\n")
    ring = KeyRing.load(f" {KEY} , ", key_file)
    assert ring.hashes == (digest(KEY), digest(other))  # the same key twice is kept once
    assert KEY not in repr(ring) and other not in repr(ring)
    assert ring.caller(KEY) == digest(KEY) and ring.caller(other) == digest(other)
    assert ring.caller(KEY + "x") is None and ring.caller("") is None
    assert ring.configured and not KeyRing.load(None, None).configured


@pytest.mark.parametrize(
    "keys, line, message",
    [
        ("short", "", "RAG_API_KEYS entry 1: an API key must be at least 16 characters"),
        ("", "sha256:abc", "line 1: 'sha256:' must be followed by 64 hex digits"),
        ("", f"{KEY}\nsha256:{'g' * 64}", "line 2: 'sha256:' must be followed by 64 hex"),
    ],
)
def test_a_bad_key_is_refused_naming_where_it_is_never_what_it_is(
    tmp_path: Path, keys: str, line: str, message: str
) -> None:
    key_file = tmp_path / "keys"
    key_file.write_text(line)
    with pytest.raises(KeyFileError) as refused:
        KeyRing.load(keys, key_file)
    assert message in str(refused.value)
    assert "g" * 64 not in str(refused.value) and "abc" not in str(refused.value)


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match=r"RAG_API_KEY_FILE .*nokeys: No such file"):
        KeyRing.load(None, tmp_path / "nokeys")


def test_bearer_header_and_loopback_addresses() -> None:
    assert bearer(f"Bearer {KEY}") == KEY and bearer(f"bearer  {KEY} ") == KEY
    assert bearer(f"Basic {KEY}") is None and bearer("Bearer ") is None and bearer(None) is None
    assert is_loopback("127.0.0.1") and is_loopback("127.8.9.1") and is_loopback("::1")
    assert not is_loopback("10.0.0.5") and not is_loopback("testclient") and not is_loopback("")


def test_requests_over_the_limit_wait_until_the_oldest_is_a_minute_old() -> None:
    now = [1000.0]
    limit = RequestLimit(per_minute=3, clock=lambda: now[0])
    assert [limit.wait("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    now[0] += 20
    assert limit.wait("a") == pytest.approx(40.0)  # the first of the three is 20 s old
    assert limit.wait("b") == 0.0  # each caller has its own count
    now[0] += 40
    assert limit.wait("a") == 0.0
