"""Thirty wrong passwords in a burst through the real login route: five are checked, the rest
are told to wait; the right password then works once the wait is over."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.helpers.servers import start_ui


def test_password_guessing_is_throttled_on_the_login_route(tmp_path: Path) -> None:
    proc, url = start_ui(tmp_path / "data", {"RAG_UI_AUTH": "reader:s3cret"})
    try:
        with httpx.Client(base_url=url, timeout=30) as http:
            for _ in range(60):  # the login route answers once the app is up
                if http.get("config").status_code in (401, 403):
                    break
                time.sleep(0.5)
            started = time.monotonic()
            guesses = [
                http.post("login", data={"username": "reader", "password": f"guess{i}"})
                for i in range(30)
            ]
            burst = time.monotonic() - started
            right_too_soon = http.post("login", data={"username": "reader", "password": "s3cret"})
            time.sleep(float(right_too_soon.headers["retry-after"]) + 0.1)
            right = http.post("login", data={"username": "reader", "password": "s3cret"})
            config = http.get("config")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    codes = [g.status_code for g in guesses]
    assert codes == [400] * 5 + [429] * 25, codes
    assert guesses[-1].json()["detail"].startswith("Too many wrong passwords; try again in ")
    assert burst < 30  # refused at once, not by making the attacker's requests hang
    assert right_too_soon.status_code == 429  # no password is checked while waiting
    assert right.status_code == 200 and config.status_code == 200  # then the owner gets in
