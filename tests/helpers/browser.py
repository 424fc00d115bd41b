"""How browser tests start Debian's chromium (playwright cannot download browsers here)."""

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
