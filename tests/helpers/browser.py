"""How browser tests start Debian's chromium (playwright cannot download browsers here)."""

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def make_briefing(
    page,
    topic: str,  # type: ignore[no-untyped-def]
    until: str = "Where sources disagree",
) -> None:
    """In the UI's Briefing tab, brief `topic` and wait until the section `until` shows."""
    page.get_by_role("tab", name="Briefing").click()
    page.locator("#topic textarea, #topic input").first.fill(topic)
    page.locator("#brief").click()
    page.wait_for_function(
        "until => document.querySelector('#brief-text')?.innerText.includes(until)",
        arg=until,
        timeout=120_000,
    )
