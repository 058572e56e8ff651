"""The Mini App in a real browser (Debian's Chromium, driven by Playwright) against the real bot: a person who
answered the questions in chat filters the catalog, opens an offering, enrolls, logs hours on their plan and
compares their picks; the chat then shows what the page did. Screenshots at 360 and 1280 px go to docs/.

Chromium comes from Debian (`.ci/run` installs it); without it the test is skipped, unless
CREDBOT_REQUIRE_BROWSER=1 (set by `.ci/run`), when it fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sandbox.emulator import BotApiEmulator
from tests.e2e.harness import run, world
from tests.e2e.test_conversation import onboard_by_buttons
from webapp.server import serve_local

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DOCS = ROOT / "docs"
USER = 9301
FREE_ONLY = """() => {
  const cards = [...document.querySelectorAll('#results .card')];
  return cards.length > 0 && cards.every(c => c.textContent.includes('Free'));
}"""


def require_browser() -> str:
    if CHROMIUM is None:
        if os.environ.get("CREDBOT_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here (CREDBOT_REQUIRE_BROWSER=1) and is not installed")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    pytest.importorskip("playwright")
    return CHROMIUM


def test_the_web_view_filters_enrolls_logs_and_the_chat_sees_it(tmp_path: Path) -> None:
    chromium = require_browser()
    from playwright.async_api import async_playwright

    async def scenario() -> None:
        async with BotApiEmulator() as emu, world(tmp_path, emu=emu) as w:
            chat = w.chat(user_id=USER, first_name="Web")
            await onboard_by_buttons(chat)  # answers and picks, in chat
            picks = w.services.store.last_batch(USER)
            assert picks
            web, url = await serve_local(w.services, emu.token, {"id": USER, "first_name": "Web"})
            try:
                async with async_playwright() as p:
                    browser = await p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                    page = await browser.new_page(viewport={"width": 360, "height": 780})
                    await page.goto(url)
                    await page.wait_for_selector("#results .card")
                    assert "found" in await page.inner_text("#results .meta")

                    await page.fill("input[name=q]", "python")
                    await page.press("input[name=q]", "Enter")
                    await page.click("summary")  # the filters fold away on a phone
                    await page.select_option("select[name=cost]", "free")
                    try:
                        await page.wait_for_function(FREE_ONLY, timeout=15_000)
                    except Exception:
                        raise AssertionError(await page.inner_text("main")) from None
                    DOCS.mkdir(exist_ok=True)
                    await page.screenshot(path=str(DOCS / "webapp-catalog-360.png"), full_page=True)

                    title = await page.inner_text("#results .card h3 a")
                    await page.click("#results .card h3 a")
                    await page.wait_for_selector("#enroll button")
                    assert title in await page.inner_text("main h2")
                    await page.screenshot(path=str(DOCS / "webapp-offering-360.png"), full_page=False)
                    await page.click("#enroll button")
                    await page.wait_for_function("document.getElementById('enrolled').textContent.length > 0")
                    assert "Enrolled" in await page.inner_text("#enrolled")
                    [enrolled] = [e for e in w.services.store.enrollments(USER)]
                    credential = w.services.credential(enrolled.credential_id)
                    assert credential is not None and credential.title == title

                    await page.goto(url.split("#")[0] + "#plan")
                    await page.wait_for_selector("form.log button")
                    await page.fill("form.log input[name=hours]", "2")
                    await page.click("form.log button")
                    try:
                        await page.wait_for_function("document.querySelector('main').textContent.includes('2 of ')")
                    except Exception:
                        raise AssertionError(await page.inner_text("main")) from None
                    assert w.services.store.enrollments(USER)[0].hours_logged == 2.0
                    await page.wait_for_function("document.getElementById('chart').naturalWidth > 0")
                    await page.screenshot(path=str(DOCS / "webapp-plan-360.png"), full_page=True)

                    wide = await browser.new_page(viewport={"width": 1280, "height": 800})
                    await wide.goto(url)  # a new tab: it signs in with the fragment, then keeps it for the session
                    await wide.wait_for_selector("#results .card")
                    await wide.goto(url.split("#")[0] + "#picks")
                    await wide.wait_for_selector("table th a")
                    headers = await wide.eval_on_selector_all("table thead th a", "as => as.map(a => a.textContent)")
                    assert len(headers) == len(picks)
                    await wide.screenshot(path=str(DOCS / "webapp-picks-1280.png"), full_page=False)
                    await wide.goto(url.split("#")[0] + "#catalog")
                    await wide.wait_for_selector("#results .card")
                    await wide.screenshot(path=str(DOCS / "webapp-catalog-1280.png"), full_page=False)

                    # no initData, no data: the page says so instead of showing anyone's
                    stranger = await browser.new_page(viewport={"width": 360, "height": 780})
                    await stranger.goto(url.split("#")[0] + "#plan")
                    await stranger.wait_for_selector(".error")
                    assert "initData" in await stranger.inner_text(".error")
                    await browser.close()
            finally:
                await web.cleanup()

            # the chat side sees what the page did: the enrollment and the logged hours
            shown = await chat.say("/progress", until="sendPhoto")
            text = " ".join((s.text or s.caption or "") for s in shown)
            assert title.split()[0] in text and "2" in text

    run(scenario())
