"""NLTK without its optional scikit-learn and SciPy parts: a second off every cold start.

llama-index imports NLTK, and NLTK's `__init__` imports every submodule it has, among them a
scikit-learn classifier wrapper and a SciPy-backed collocation test, each behind
`try: import ... except ImportError`. We use NLTK for Punkt sentence splitting only, and those
two imports were about 1 s of `rag ask`'s 3.8 s cold start (python -X importtime). This finder,
installed when `rag` is imported, answers "not installed" for scikit-learn and SciPy only
while NLTK itself is being imported, so NLTK skips its extras; once NLTK is in, both import as
usual for anything that needs them. What it leaves out: any other library's import cost.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from typing import Sequence

SKIPPED = frozenset({"sklearn", "scipy"})


def _nltk_importing() -> bool:
    nltk = sys.modules.get("nltk")
    spec = getattr(nltk, "__spec__", None)
    return nltk is not None and bool(getattr(spec, "_initializing", False))


class SkipNltkExtras(MetaPathFinder):
    """Refuses scikit-learn and SciPy to NLTK's own import, and to nothing else."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: object = None
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in SKIPPED and _nltk_importing():
            raise ModuleNotFoundError(f"{fullname} skipped while NLTK imports", name=fullname)
        return None


def install() -> None:
    """Put the finder first on the import path, once; a no-op when NLTK is already in."""
    if "nltk" in sys.modules or any(isinstance(f, SkipNltkExtras) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, SkipNltkExtras())
