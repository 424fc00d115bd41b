"""Fixtures shared by the browser tests: one headless chromium per test module."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from tests.helpers.browser import BROWSER_ARGS, CHROMIUM


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by playwright (it cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()
