"""The page's style and script are files in `ui/static/`, and an installed package has them.

`pyproject.toml` lists packages by name and package data by glob, so a new sub-package or
static file that no entry names would be missing from the wheel while a checkout works.
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

from tests.helpers import ROOT


def test_the_page_style_and_script_are_read_from_ui_static() -> None:
    from ui.assets import CSS, HEAD

    assert CSS == (ROOT / "ui" / "static" / "app.css").read_text(encoding="utf-8")
    assert HEAD.startswith("<script>\n") and HEAD.endswith("</script>")
    assert "function ragMirror" in HEAD and "/^src-\\d+$/" in HEAD  # the regex kept as written
    assert ".src.flash" in CSS and ".invalid textarea" in CSS


def test_every_package_and_ui_static_file_is_in_the_wheel() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for top in ("rag", "ui", "eval"):
        for init in (ROOT / top).rglob("__init__.py"):
            package = ".".join(init.parent.relative_to(ROOT).parts)
            assert package in setuptools["packages"], f"{package} is not listed in pyproject.toml"
    shipped = setuptools["package-data"]["ui"]
    files = sorted((ROOT / "ui" / "static").iterdir())
    assert [f.name for f in files] == ["app.css", "app.js"]
    for f in files:
        assert any(fnmatch(f"static/{f.name}", glob) for glob in shipped), f.name
