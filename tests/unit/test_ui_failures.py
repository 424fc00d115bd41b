"""Failures shown to people (ui.failures): expected refusals pass through as written; anything
else becomes one sentence with a reference, its traceback logged on the server."""

from __future__ import annotations

import logging

import pytest

from rag import StoreUnavailable
from ui.failures import as_gradio_error, for_people


def test_an_unexpected_error_is_a_sentence_with_a_logged_reference(
    caplog: pytest.LogCaptureFixture,
) -> None:
    try:
        {}["x"]
    except KeyError as err:
        with caplog.at_level(logging.ERROR, logger="ui"):
            message = for_people(err, "answering")
    assert message.startswith("Something went wrong on the server while answering (reference ")
    assert "KeyError" not in message and "'x'" not in message
    ref = message.split("(reference ", 1)[1][:8]
    (record,) = caplog.records
    assert record.getMessage() == f"Unexpected failure while answering (ref {ref})"
    assert record.exc_info and record.exc_info[0] is KeyError


def test_messages_written_for_people_pass_through(caplog: pytest.LogCaptureFixture) -> None:
    refusal = StoreUnavailable("Cannot reach the Chroma server at http://127.0.0.1:1")
    assert for_people(refusal, "answering") == str(refusal)
    assert (
        for_people(ValueError("top_k: must be a whole number"), "answering")
        == "top_k: must be a whole number"
    )
    assert as_gradio_error(refusal, "answering").message == str(refusal)
    assert not caplog.records
