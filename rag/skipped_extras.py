"""Optional extras refused to the libraries that import them for parts we never use.

Some libraries import an optional package at their own import, behind `try: import ...
except ImportError`, for parts we never call; the imports cost a cold `rag ask` more than a
second in all (`python -X importtime`):

- NLTK's `__init__` imports every submodule it has, among them a scikit-learn classifier
  wrapper and a SciPy-backed collocation test (about 1 s). We use NLTK for Punkt only.
- bm25s (behind llama-index's `BM25Retriever`) builds its sparse score matrix with SciPy when
  SciPy imports and with numpy otherwise (0.13 s). Answering never builds one, and numpy's
  matrix holds the same scores (`tests/unit/test_skipped_extras.py`).

The finder, installed when `rag` is imported, answers "not installed" for those packages only
while that library itself is being imported; once it is in, they import as usual for
anything that needs them. What it leaves out: any other library's import cost.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from typing import Sequence

SKIPPED: dict[str, frozenset[str]] = {
    "nltk": frozenset({"sklearn", "scipy"}),
    "bm25s": frozenset({"scipy"}),
}


def _importing(library: str) -> bool:
    module = sys.modules.get(library)
    spec = getattr(module, "__spec__", None)
    return module is not None and bool(getattr(spec, "_initializing", False))


class SkipExtras(MetaPathFinder):
    """Refuses each library's skipped extras to that library's own import, and to nothing
    else."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: object = None
    ) -> ModuleSpec | None:
        top = fullname.partition(".")[0]
        for library, extras in SKIPPED.items():
            if top in extras and _importing(library):
                raise ModuleNotFoundError(
                    f"{fullname} skipped while {library} imports", name=fullname
                )
        return None


def install() -> None:
    """Put the finder first on the import path, once. A library already imported keeps what it
    imported."""
    if not any(isinstance(f, SkipExtras) for f in sys.meta_path):
        sys.meta_path.insert(0, SkipExtras())
