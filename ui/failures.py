"""What a person sees when a request fails: a sentence written for them, never Python's text.

Expected refusals (`ValueError` from input checks, `StoreUnavailable`, `LLMConfigError`)
already carry a message written for people and pass through as they are. Anything else is
a fault of ours: its traceback goes to the server log under a short reference, and the page
or API caller gets one sentence with that reference, not "KeyError: 'x'" or a traceback.
Gradio's own complaint about an API call with too few values names the parameters wanted
(`NewsBlocks`). It does not retry or recover anything.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from typing import Any

import gradio as gr

from rag import LLMConfigError, StoreUnavailable

log = logging.getLogger("ui")
EXPECTED = (ValueError, LLMConfigError, StoreUnavailable)


def for_people(err: BaseException, doing: str) -> str:
    """The message to show for `err`, raised while `doing` (e.g. "answering"); unexpected
    errors are logged here with their traceback under the reference the message gives."""
    if isinstance(err, EXPECTED):
        return str(err)
    ref = uuid.uuid4().hex[:8]
    log.error("Unexpected failure while %s (ref %s)", doing, ref, exc_info=err)
    return (
        f"Something went wrong on the server while {doing} (reference {ref}); it is "
        "logged there. Try again, and tell whoever runs this server if it keeps failing."
    )


def as_gradio_error(err: BaseException, doing: str) -> gr.Error:
    """`for_people` as the error Gradio shows in the page or returns to an API client."""
    return gr.Error(for_people(err, doing), print_exception=False)


class NewsBlocks(gr.Blocks):
    """Blocks whose refusal of an API call with too few values names what is wanted.

    Gradio's own message lists Python objects ("<gradio.components.api_component.Api
    object at 0x…>"); this one names the parameters.
    """

    def validate_inputs(self, block_fn: Any, inputs: list[Any]) -> None:
        wanted = len(block_fn.inputs)
        if len(inputs) >= wanted:
            return
        try:
            names = list(inspect.signature(block_fn.fn).parameters)[:wanted]
        except (TypeError, ValueError):
            names = []
        route = f"/{block_fn.api_name}" if getattr(block_fn, "api_name", None) else "this call"
        listed = f": {', '.join(names)}" if len(names) == wanted else ""
        raise gr.Error(
            f"{route} takes {wanted} values{listed} (got {len(inputs)})", print_exception=False
        )
