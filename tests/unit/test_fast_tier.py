"""The fast tier starts no subprocess and no server (tests/conftest.py refuses them outside
`slow`), while a library running its own helper process is left alone."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest


def test_a_fast_test_may_not_start_a_subprocess() -> None:
    with pytest.raises(RuntimeError, match="starts a subprocess: mark it @pytest.mark.slow"):
        subprocess.run([sys.executable, "-c", "pass"], check=True)


def test_a_fast_test_may_not_start_a_server() -> None:
    with pytest.raises(RuntimeError, match=r"starts a server on \('127.0.0.1', \d+\)"):
        HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)


def test_a_library_may_run_its_own_helper() -> None:
    assert ctypes.util.find_library("c")  # may ask ldconfig or gcc, from the standard library


@pytest.mark.slow
def test_a_slow_test_may_start_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "print(6 * 7)"], check=True, capture_output=True, text=True
    )
    assert done.stdout.strip() == "42"
