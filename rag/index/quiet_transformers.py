"""Typed switches for transformers' console output, which is noise in a CLI.

transformers' own `logging` helpers carry no annotations, so strict type checking refuses
calls to them; these wrappers give them one. Only the two switches the embedders use are here;
transformers' log levels otherwise stay as the user set them.
"""

from __future__ import annotations

from typing import Callable, cast


def hide_progress_bars() -> None:
    """No progress bar while weights load or convert."""
    from transformers.utils import logging as hf_logging

    cast(Callable[[], None], hf_logging.disable_progress_bar)()


def hide_warnings() -> None:
    """Only errors from transformers' loggers (its export notes are not for users)."""
    from transformers.utils import logging as hf_logging

    cast(Callable[[], None], hf_logging.set_verbosity_error)()
