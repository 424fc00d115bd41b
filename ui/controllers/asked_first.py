"""Removals that ask first (an article, a watched feed): the question, then yes or no.

The first click names what would go and shows a `ui.layout.ConfirmRow` (`asking`); yes
removes it (`remove`, the subclass's `act`) and reads the area anew (`view`); no puts the
row away (`keep`). What is asked about waits in the row's `doomed` state between the two
clicks. Subclasses say what removing does; nothing is removed here.
"""

from __future__ import annotations

from typing import Sequence

import gradio as gr
from gradio.blocks import Block

from ui.controllers.shared import Outputs
from ui.layout import ConfirmRow


class AskedFirst:
    """`said` is where each step is said; `nothing` answers a yes with nothing chosen and
    `kept` a no. Outputs: `asked` for `asking` and `keep`, `answered` for `remove`."""

    confirm: ConfirmRow
    said: Block
    nothing: str
    kept: str

    def outputs(self, viewed: Sequence[Block]) -> None:
        """Declare `asked` and `answered`; `viewed` are the outputs of `view`."""
        confirm = self.confirm
        self.asked: list[Block] = [self.said, confirm.text, confirm.row, confirm.doomed]
        self.answered: list[Block] = [*viewed, self.said, confirm.row, confirm.doomed]

    def ask_first(self, choice: str | None) -> Outputs:
        """The first click only asks, naming what would go (`asking`)."""
        raise NotImplementedError

    def view(self) -> Outputs:
        raise NotImplementedError

    def act(self, doomed: str) -> str:
        """Remove `doomed`; what happened, in one line."""
        raise NotImplementedError

    def asking(self, said: str, question: str = "", doomed: str | None = None) -> Outputs:
        """The row asking `question` about `doomed` (hidden when there is none)."""
        row = gr.update(visible=doomed is not None)
        confirm = self.confirm
        return {self.said: said, confirm.text: question, confirm.row: row, confirm.doomed: doomed}

    def remove(self, doomed: str | None) -> Outputs:
        """Yes: remove it, then read the area anew."""
        said = self.act(doomed) if doomed else self.nothing
        return self.view() | self._settled(said)

    def keep(self) -> Outputs:
        """No: nothing is removed."""
        return self._settled(self.kept)

    def _settled(self, said: str) -> Outputs:
        row = gr.update(visible=False)
        return {self.said: said, self.confirm.row: row, self.confirm.doomed: None}
