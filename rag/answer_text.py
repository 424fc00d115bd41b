"""An answer in words for a terminal: the text, its "as of" note, what the citation check
removed, and the numbered sources with their quotes and the story's other outlets.

Everything shown is stripped of escape sequences, control characters and bidi overrides
(`for_terminal`), since titles and quotes come from articles. What it leaves out: what an
answer holds and its JSON (`rag.answer`); the UI's HTML (`ui.render`).
"""

from __future__ import annotations

import re
import textwrap

from rag.answer import Answer, CheckReport

_TERMINAL_UNSAFE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|"
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def for_terminal(text: str) -> str:
    """`text` without escape sequences, control characters or bidi overrides, so an article's
    title can neither recolour or retitle the terminal nor reverse what is shown after it."""
    return _TERMINAL_UNSAFE.sub("", text)


def also_line(also: list[dict[str, str]], source: str = "") -> str:
    """ "also reported by usatoday.com (2022-07-28), cnn.com (2022-07-29)" or "": the story's
    other copies; copies under the cited outlet's own name (`source`) are counted, not listed
    ("also reported by usatoday.com (2022-07-28); 2 more copies on cnn.com")."""
    others = [a for a in also if not source or a.get("source") != source]
    same = len(also) - len(others)
    parts = []
    if others:
        parts.append(
            "also reported by "
            + ", ".join(
                f"{a.get('source') or a.get('doc')} ({a.get('date') or 'undated'})" for a in others
            )
        )
    if same:
        parts.append(f"{same} more {'copy' if same == 1 else 'copies'} on {source}")
    text = "; ".join(parts)
    return text if not text or others else "also: " + text


def _label(date: str, source: str) -> str:
    """ "cnn.com, 2024-05-01", or "cnn.com, undated"."""
    return ", ".join(x for x in (source, date or "undated") if x)


def render_text(answer: Answer, width: int = 100) -> str:
    """The answer followed by its numbered sources, for a terminal."""
    lines = [answer.answer]
    if answer.as_of_note:
        lines += ["", answer.as_of_note]
    if answer.notice:
        lines += ["", f"Note: {answer.notice}"]
    check = answer.citation_check or CheckReport()
    if check.removed_sentences or check.dropped:
        lines += [
            "",
            f"Citation check: removed {len(check.removed_sentences)} unsupported "
            f"sentence(s), dropped {len(check.dropped)} citation(s):",
        ]
        lines += [f"  - {d.reason}: “{d.claim}”" for d in check.dropped]
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.title or c.doc} ({_label(c.date, c.source)}) — {c.doc}")
            quote = textwrap.fill(
                f"“{c.quote}”", width=width, initial_indent="    ", subsequent_indent="     "
            )
            lines.append(quote)
            if c.also:
                lines.append(
                    textwrap.fill(
                        also_line(c.also, c.source),
                        width=width,
                        initial_indent="    ",
                        subsequent_indent="    ",
                    )
                )
    return for_terminal("\n".join(lines))
