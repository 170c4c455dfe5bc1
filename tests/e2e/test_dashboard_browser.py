"""The dashboard in a real browser during a demo run: stories and alerts appear, Arabic renders RTL.

Uses Debian's Chromium driven by Playwright (never a downloaded browser); the screenshot is kept in
``artifacts/dashboard.png`` for CI.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from streams.broker import free_port

pytestmark = [pytest.mark.broker, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture()
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed on this machine (apt-get install chromium)")
    pytest.importorskip("playwright")
    return CHROMIUM


def test_dashboard_shows_live_stories_and_alerts_with_rtl_headlines(tmp_path, chromium_path):
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSSTREAM_")}
    env.update({"NEWSSTREAM_DATA_DIR": str(tmp_path / "data"), "NEWSSTREAM_WEB_PORT": str(port)})
    log = tmp_path / "demo.log"
    demo = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "demo", "--duration", "15", "--linger", "60"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while b"dashboard:" not in log.read_bytes():
            assert demo.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        url = re.search(rb"http://[\d.]+:\d+/", log.read_bytes()).group().decode()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path,
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.wait_for_selector(".story", timeout=45_000)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.alert')]"
                ".some(n => n.textContent.includes('breaking'))",
                timeout=60_000,
            )
            headlines = page.eval_on_selector_all(
                ".story .headline",
                "nodes => nodes.map(n => [n.textContent, getComputedStyle(n).direction])",
            )
            arabic = [
                (text, direction) for text, direction in headlines if re.search("[\u0600-\u06ff]", text)
            ]
            latin = [(text, direction) for text, direction in headlines if re.match("[A-Za-z]", text)]
            assert arabic, headlines
            assert all(direction == "rtl" for _, direction in arabic), arabic
            assert all(direction == "ltr" for _, direction in latin), latin
            reasons = page.eval_on_selector_all(".alert .reason", "nodes => nodes.map(n => n.textContent)")
            assert all(reason.strip() for reason in reasons)
            page.click(".story")
            page.wait_for_selector("#detail.open .timeline li", timeout=10_000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
            browser.close()
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(30)
        except subprocess.TimeoutExpired:
            demo.kill()
