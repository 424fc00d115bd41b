"""Briefings on the seeds: timeline order, the displaced-Israelis disagreement, real footnotes."""

from __future__ import annotations

import re

import pytest

from rag.briefing import build_briefing, render_markdown
from tests.helpers import seed_texts

ARTICLES = seed_texts()

TOPIC = "Israel–Hezbollah border"


def test_seed_briefing_sections_timeline_disagreement_and_footnotes(seeded) -> None:
    briefing = build_briefing(seeded, TOPIC)
    md = render_markdown(briefing)
    for heading in (
        "## Summary",
        "## Key points",
        "## Timeline",
        "## Where sources disagree",
        "## Figures over time",
        "## Sources",
        "## Reproducibility",
    ):
        assert heading in md
    # the timeline is in date order
    days = [ev.when for ev in briefing.timeline]
    assert days == sorted(days) and len(days) >= 3
    assert any(ev.label.endswith("(published)") for ev in briefing.timeline)
    # displaced Israelis: October's figure against the undated one (which cannot be placed
    # in time, so it may count the same moment) is a disagreement; January's 80,000 then
    # October's 63,500 is a count that moved, shown over time, oldest first
    displaced = next(g for g in briefing.disagreements if any("63,500" in value for value, _ in g))
    assert [value.lower() for value, _ in displaced] == ["at least 63,500", "more than 60,000"]
    docs = [line.sentences[0].doc for _, line in displaced]
    assert docs == ["000_c50e7d479453b99d.txt", "004_7dc90b1bd24fe7e6.txt"]
    moved = next(g for g in briefing.over_time if any("63,500" in value for value, _ in g))
    assert [value.lower() for value, _ in moved] == ["more than 80,000", "at least 63,500"]
    assert [ln.sentences[0].date for _, ln in moved] == ["2024-01-04", "2024-10-01"]
    assert all(line.numbers for _, line in displaced + moved)
    # every footnote's quote stands verbatim in its article, and every [n] has a footnote
    for s in briefing.footnotes:
        assert s.text in ARTICLES[s.doc]
    used = {int(n) for n in re.findall(r"\[(\d+)\]", md.split("## Sources")[0])}
    assert used == set(range(1, len(briefing.footnotes) + 1))
    # the reproducibility block lists the cited articles' hashes, not the whole library
    listed = re.findall(r"^  - `(.+?)` sha256", md.split("## Reproducibility")[1], re.M)
    assert sorted(listed) == sorted({s.doc for s in briefing.footnotes})
    # every body line carries a citation
    body = md.split("## Summary")[1].split("## Sources")[0]
    for line in body.splitlines():
        if line.startswith("- ") or (
            line.startswith("| ")
            and not line.startswith("| date")
            and not line.startswith("| figure")
        ):
            assert re.search(r"\[\d+\]", line), line


@pytest.mark.slow
def test_llm_summary_is_checked_and_keeps_footnote_numbers(seeded) -> None:
    from pydantic import SecretStr

    from rag.assistant import Assistant
    from tests.helpers.scripted_llm import Reply, ScriptedLLM

    def reply(prompt: str) -> str:
        n = next(line.split("]")[0].lstrip("[") for line in prompt.splitlines() if "63,500" in line)
        return (
            f"At least 63,500 Israelis were evacuated from their homes in the north [{n}]. "
            f"Hezbollah fired 9,999 rockets in one day [{n}]."
        )

    with ScriptedLLM([Reply(reply)]) as server:
        settings = seeded.settings.model_copy(
            update={
                "llm_model": "scripted-model",
                "openai_base_url": server.base_url,
                "openai_api_key": SecretStr("k"),
                "llm_retries": 0,
            }
        )
        briefing = build_briefing(Assistant(settings=settings, store=seeded.store), TOPIC)
    md = render_markdown(briefing)
    summary = md.split("## Summary")[1].split("## Key points")[0]
    n = next(i for i, s in enumerate(briefing.footnotes, start=1) if "63,500" in s.text)
    assert (
        f"At least 63,500 Israelis were evacuated from their homes in the north. [{n}]" in summary
    )
    assert "9,999" not in md
    assert "the citation check removed 1 unsupported sentence(s)" in summary
    assert briefing.reproducibility["mode"] == "llm"
    assert briefing.reproducibility["model"] == "scripted-model"


def _edit_first_figure(md: str, section: str, new: str) -> tuple[str, int]:
    """`md` with the first number of a cited line in `section` changed to `new`."""
    lines = md.splitlines()
    start = lines.index(f"## {section}")
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("## "):
            break
        figures = re.finditer(r"(?<![\[\d])\d[\d,]*(?![\d\]])", lines[i])
        if re.search(r"\[\d+\]", lines[i]) and (m := next(figures, None)):
            lines[i] = lines[i][: m.start()] + new + lines[i][m.end() :]
            return "\n".join(lines) + "\n", i + 1
    raise AssertionError(f"no cited figure in {section}")


def test_check_catches_a_figure_edited_in_a_cited_line(seeded) -> None:
    from rag.briefing import check_briefing

    md = render_markdown(build_briefing(seeded, TOPIC))
    assert check_briefing(seeded.store, md) == []
    for section in ("Summary", "Key points", "Where sources disagree"):
        edited, lineno = _edit_first_figure(md, section, "90")
        problems = check_briefing(seeded.store, edited)
        assert len(problems) == 1, (section, problems)
        assert problems[0].startswith(f"line {lineno}: 90 is in none of its cited quotes [")
    # a marker whose footnote was deleted is reported too
    lines = md.splitlines()
    last = max(int(n) for n in re.findall(r"^\[(\d+)\]:", md, re.M))
    cut = "\n".join(ln for ln in lines if not ln.startswith(f"[{last}]: ")) + "\n"
    assert any(
        f"cites [{last}] but the file has no such footnote" in p
        for p in check_briefing(seeded.store, cut)
    )


def _quote_number(prompt: str, phrase: str) -> str:
    """The [n] of the numbered quote in a briefing prompt that contains `phrase`."""
    return next(line.split("]")[0].lstrip("[") for line in prompt.splitlines() if phrase in line)


def _llm_settings(seeded, base_url: str):  # type: ignore[no-untyped-def]
    from pydantic import SecretStr

    return seeded.settings.model_copy(
        update={
            "llm_model": "scripted-model",
            "openai_base_url": base_url,
            "openai_api_key": SecretStr("k"),
            "llm_retries": 0,
        }
    )


@pytest.mark.slow
def test_llm_key_points_keep_the_supported_point_and_drop_the_unsupported(seeded) -> None:
    from rag.assistant import Assistant
    from rag.briefing import check_briefing
    from tests.helpers.scripted_llm import Reply, ScriptedLLM

    def summary(prompt: str) -> str:
        return f"At least 63,500 Israelis were evacuated [{_quote_number(prompt, '63,500')}]."

    def key_points(prompt: str) -> str:
        n = _quote_number(prompt, "63,500")
        return (
            "Key points:\n"
            f"- Gallant said at least 63,500 Israelis were evacuated from their homes "
            f"along the northern border [{n}].\n"
            f"- Hezbollah fired 9,999 rockets at Haifa in a single day [{n}].\n"
        )

    with ScriptedLLM([Reply(summary), Reply(key_points)]) as server:
        assistant = Assistant(settings=_llm_settings(seeded, server.base_url), store=seeded.store)
        briefing = build_briefing(assistant, TOPIC)
        assert len(server.requests) == 2  # the summary, then the key points
        assert "Write the key points" in server.requests[1]["messages"][0]["content"]
    md = render_markdown(briefing)
    section = md.split("## Key points")[1].split("## Timeline")[0]
    points = [ln.strip() for ln in section.splitlines() if ln.startswith("- ")]
    n = next(i for i, s in enumerate(briefing.footnotes, start=1) if "63,500" in s.text)
    assert points == [
        f"- Gallant said at least 63,500 Israelis were evacuated from their homes "
        f"along the northern border. [{n}]"
    ]
    assert "9,999" not in md and "Haifa in a single day" not in md
    assert "the citation check dropped 1 unsupported key point(s)" in section
    assert briefing.reproducibility["key_points"] == "llm"
    # the footnotes are those still cited, numbered 1..m, and the file checks clean
    used = {int(n) for n in re.findall(r"\[(\d+)\]", md.split("## Sources")[0])}
    assert used == set(range(1, len(briefing.footnotes) + 1))
    assert check_briefing(seeded.store, md) == []


@pytest.mark.slow
def test_llm_key_points_fall_back_to_extractive_with_a_notice_when_the_endpoint_fails(
    seeded,
) -> None:
    from rag.assistant import Assistant
    from tests.helpers.scripted_llm import Reply, ScriptedLLM

    extractive = build_briefing(seeded, TOPIC)
    with ScriptedLLM([Reply(status=503)]) as server:
        assistant = Assistant(settings=_llm_settings(seeded, server.base_url), store=seeded.store)
        briefing = build_briefing(assistant, TOPIC)
    md = render_markdown(briefing)
    section = md.split("## Key points")[1].split("## Timeline")[0]
    assert "*LLM unavailable; extractive key points.*" in section
    assert briefing.reproducibility["key_points"] == "extractive"
    assert [[ln.text for ln in g] for _, g in briefing.key_points] == [
        [ln.text for ln in g] for _, g in extractive.key_points
    ]
    assert all(ln.numbers for _, g in briefing.key_points for ln in g)
