"""Fixtures shared by the browser tests: one headless chromium per test module, and (unless a
module makes its own) one `rag serve` per module over its own copy of the seeds' store."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tests.helpers.browser import BROWSER_ARGS, CHROMIUM
from tests.helpers.servers import start_ui


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failing browser test shows the end of its server's log: a handler that raised
    is otherwise seen only as a page that never changes."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    data = getattr(item, "funcargs", {}).get("data_dir")
    log = data / "serve.log" if isinstance(data, Path) else None
    if report.failed and log is not None and log.exists():
        report.sections.append(
            ("rag serve's log, its end", log.read_text(errors="replace")[-6000:])
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by playwright (it cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def data_dir(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    seeded_store_copy: Callable[[Path], Path],
) -> Path:
    """The module's data dir: its own copy of the seeds' store, free to change."""
    return seeded_store_copy(tmp_path_factory.mktemp(request.module.__name__.rsplit(".")[-1]))


@pytest.fixture(scope="module")
def ui_url(data_dir: Path) -> Iterator[str]:
    """`rag serve` on the module's data dir, stopped when the module is done."""
    proc, url = start_ui(data_dir)
    yield url
    proc.terminate()
    proc.wait(timeout=30)
