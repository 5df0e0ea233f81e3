"""The dashboard in a real browser: Debian's Chromium driven by Playwright, over a served app.

The numbers each page shows are compared with the API's JSON for the same view; screenshots are
saved in the test's temporary folder (printed with -s): one per test, named after it, and the
overview and a contact page in Chinese.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from execrank.web import create_app
from execrank.web._i18n import catalog
from tests.web.conftest import SCRIPT_TITLE, TOP, bearer, free_port

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
START_TIMEOUT_SECONDS = 10.0

if not CHROMIUM.exists():
    pytest.skip(
        "no /usr/bin/chromium: install Debian's `chromium` (see .ci/run) for the browser tests",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def served(
    scored: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The app over a copy of the scored store, served by uvicorn in a thread; its base URL."""
    path = tmp_path_factory.mktemp("served") / "store.duckdb"
    shutil.copy(scored[0], path)
    port = free_port()
    config = uvicorn.Config(
        create_app(path, top=TOP), host="127.0.0.1", port=port, log_level="warning", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(START_TIMEOUT_SECONDS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"screenshots in {folder}")
    return folder


def _page_as(browser: Browser, served: str, token: str) -> Page:
    """A fresh browser page logged in through the login form."""
    page = browser.new_page()
    page.goto(f"{served}/login")
    page.fill("#token", token)
    page.click("#log-in")
    page.wait_for_url(f"{served}/")
    return page


@pytest.fixture
def open_as(
    browser: Browser,
    served: str,
    tokens: dict[str, str],
    screenshots: Path,
    request: pytest.FixtureRequest,
) -> Iterator[Callable[[str], Page]]:
    """Opens a logged-in page for a token's name; each page opened is saved as a screenshot
    named after the test when it ends (whether it passed or not)."""
    opened: list[Page] = []

    def open_page(name: str) -> Page:
        opened.append(_page_as(browser, served, tokens[name]))
        return opened[-1]

    yield open_page
    for page in opened:
        page.screenshot(path=screenshots / f"{request.node.name}.png", full_page=True)
        page.close()


def _api(served: str, path: str, token: str) -> dict[str, Any]:
    response = httpx.get(f"{served}{path}", headers=bearer(token))
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _rows(page: Page, table: str) -> list[tuple[str, str, str, str]]:
    """(contact_id, rank, tier, total) of each row of a ranked table, as the browser shows them."""
    return [
        (
            row.get_attribute("data-contact"),
            row.locator(".rank").inner_text(),
            row.locator(".tier").inner_text(),
            row.locator(".total").inner_text(),
        )
        for row in page.locator(f"#{table} tbody tr[data-contact]").all()
    ]


def _tier_counts(page: Page) -> dict[str | None, int]:
    return {
        tile.get_attribute("data-tier"): int(tile.locator(".count").inner_text())
        for tile in page.locator("#tier-counts .tier-count").all()
    }


def _expected(contacts: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    return [(c["contact_id"], str(c["rank"]), c["tier"], f"{c['total']:.2f}") for c in contacts]


def test_overview_shows_the_api_numbers(
    open_as: Callable[[str], Page], served: str, tokens: dict[str, str]
) -> None:
    page = open_as("manager")
    body = _api(served, "/api/overview", tokens["manager"])
    assert _rows(page, "top") == _expected(body["top"])
    assert _rows(page, "entrants") == _expected(body["new_entrants"])
    assert _tier_counts(page) == body["tier_counts"]
    assert page.locator("#heat-trend svg circle.dot").count() == len(body["heat_trend"])


def test_a_reps_queue_shows_the_api_numbers(
    open_as: Callable[[str], Page], served: str, tokens: dict[str, str]
) -> None:
    page = open_as("alice")
    page.click("#nav-queue-C")
    page.wait_for_url(f"{served}/queue/C")
    body = _api(served, "/api/queue/C", tokens["alice"])
    assert _rows(page, "queue") == _expected(body["contacts"]) != []


def test_contact_page_escapes_text_and_shows_the_api_numbers(
    open_as: Callable[[str], Page], served: str, tokens: dict[str, str]
) -> None:
    page = open_as("alice")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.click("#top a[href='/contacts/e']")
    page.wait_for_url(f"{served}/contacts/e")
    body = _api(served, "/api/contacts/e", tokens["alice"])
    assert page.locator("#contact-title").inner_text() == SCRIPT_TITLE
    assert page.locator("#contact-name").inner_text() == body["name"]
    assert page.locator("main script, main b").count() == 0
    assert dialogs == []
    figures = [page.locator(f"#{k}").inner_text() for k in ("total", "rank", "tier")]
    assert figures == [f"{body['total']:.2f}", str(body["rank"]), body["tier"]]
    shown_points = page.locator("#contributions td.points").all_inner_texts()
    assert shown_points == [f"{c['points']:.2f}" for c in body["contributions"]]
    assert page.locator("#history svg circle.dot").count() == len(body["history"])


def test_the_chinese_pages_show_the_same_numbers(
    open_as: Callable[[str], Page], served: str, tokens: dict[str, str], screenshots: Path
) -> None:
    page = open_as("manager")
    page.click("#lang-zh")
    zh = catalog("zh")
    assert page.locator("h1").inner_text() == zh["overview.title"]
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    body = _api(served, "/api/overview", tokens["manager"])
    assert _rows(page, "top") == _expected(body["top"])
    assert _tier_counts(page) == body["tier_counts"]
    page.screenshot(path=screenshots / "overview-zh.png", full_page=True)
    page.click("#top a[href='/contacts/a']")  # the language stays chosen (a cookie)
    assert page.locator("#contributions th").first.inner_text() == zh["column.dimension"]
    page.screenshot(path=screenshots / "contact-a-zh.png", full_page=True)
    page.click("#nav-snapshots")
    assert page.locator("h1").inner_text() == zh["snapshots.title"]
    assert page.locator("#snapshots thead th").last.inner_text() == zh["column.started_by"]
    page.screenshot(path=screenshots / "snapshots-zh.png", full_page=True)
    page.click("#lang-en")
    assert page.locator("h1").inner_text() == catalog("en")["snapshots.title"]


def test_an_adjustment_posted_through_the_api_shows_on_the_contact_page(
    open_as: Callable[[str], Page], served: str, tokens: dict[str, str]
) -> None:
    raise_c = {"points": 5, "reason": "展会上确认了预算", "expires_at": "2099-12-31T00:00:00"}
    posted = httpx.post(
        f"{served}/api/contacts/c/adjustments", json=raise_c, headers=bearer(tokens["alice"])
    )
    assert posted.status_code == 200, posted.text
    page = open_as("alice")
    page.goto(f"{served}/contacts/c?lang=zh")
    body = _api(served, "/api/contacts/c", tokens["alice"])
    figures = [page.locator(f"#{k}").inner_text() for k in ("total", "rank", "tier")]
    assert figures == [f"{body['total']:.2f}", str(body["rank"]), body["tier"]]
    assert body["total"] == posted.json()["score"]["total"]
    shown = [
        row.locator("td").all_inner_texts() for row in page.locator("#adjustments tbody tr").all()
    ]
    assert [cells[:3] for cells in shown] == [["5.00", raise_c["reason"], "alice"]]
    evidence = page.locator("#contributions td.evidence").all_inner_texts()
    assert any(raise_c["reason"] in text for text in evidence)
