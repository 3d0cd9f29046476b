"""The documentation site (``mkdocs build`` into reports/site/) as a reader sees it: served on
loopback and opened in headless Chromium.

Runs in ``nox -s docs`` (marker ``browser``) after the build. Starting from the home page it
visits every page the site links to: each must load with no console error and no uncaught
exception, and every internal link on it must resolve, to a page that exists and, for a link
with a ``#fragment``, to an element with that id. The site's search must find
``outcome_unknown``. Screenshots of the home page, a guide and the HTTP reference go to
reports/site-screenshots/.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urlsplit

import pytest

if TYPE_CHECKING:  # imported when the browser runs: a plain `pytest` needs no Playwright
    from playwright.sync_api import Browser, ConsoleMessage, Page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("SEQUENCE_SITE", ROOT / "reports/site"))
SHOTS = ROOT / "reports/site-screenshots"
#: The HTTP reference: a Redoc page, whose fragments are routes (``#/rules/createrule``); its
#: own test (test_reference_page) walks them, as Redoc pages' links are Redoc's.
REDOC = "reference/http-api.html"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: ANN401 - stdlib's signature
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The built site on a loopback port (Material's search runs in a worker: no file:// URLs)."""
    assert (SITE / "index.html").exists(), f"{SITE} is not built: run `nox -s docs`"
    handler = functools.partial(_Quiet, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@dataclass
class Visit:
    status: int
    ids: set[str]
    links: list[str]
    problems: list[str] = field(default_factory=list)
    redoc: bool = False


@pytest.fixture(scope="module")
def crawl(site: str, browser: Browser) -> dict[str, Visit]:
    """Every page reachable from the home page by internal links: path -> what was found."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)  # a loaded 2-core machine renders Redoc slowly
    visits: dict[str, Visit] = {}
    queue = ["index.html"]
    while queue:
        path = queue.pop(0)
        if path in visits:
            continue
        page = context.new_page()
        problems: list[str] = []

        def on_console(message: ConsoleMessage, problems: list[str] = problems) -> None:
            if message.type == "error":
                problems.append(f"console: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error, problems=problems: problems.append(f"error: {error}"))
        page.on(
            "requestfailed",
            lambda request, problems=problems: problems.append(
                f"request failed: {request.url} ({request.failure})"
            ),
        )
        response = page.goto(site + path, wait_until="load")
        status = response.status if response else 0
        settle(page)
        found = page.evaluate(
            """() => ({
              ids: [...document.querySelectorAll('[id]')].map(e => e.id),
              links: [...document.querySelectorAll('a[href]')].map(a => a.href),
              redoc: document.getElementById('redoc') !== null,
            })"""
        )
        redoc = bool(found["redoc"])  # its links and #routes are Redoc's own
        internal = [] if redoc else [link for link in found["links"] if link.startswith(site)]
        visits[path] = Visit(status, set(found["ids"]), internal, problems, redoc)
        for link in internal:
            target = urldefrag(link).url.removeprefix(site)
            if target.endswith(".html") and target not in visits:
                queue.append(target)
        page.close()
    context.close()
    return visits


def test_every_page_loads_without_errors(crawl: dict[str, Visit]) -> None:
    bad = {
        path: (v.status, v.problems) for path, v in crawl.items() if v.status != 200 or v.problems
    }
    assert bad == {}, "\n".join(f"{path}: {found}" for path, found in bad.items())
    docs = ROOT / "docs"
    pages = {str(page.relative_to(docs).with_suffix(".html")) for page in docs.rglob("*.md")}
    assert pages <= set(crawl), "pages no link leads to"
    assert crawl[REDOC].redoc


def test_every_internal_link_resolves(crawl: dict[str, Visit], site: str) -> None:
    broken = []
    checked = 0
    for source, visit in crawl.items():
        for link in visit.links:
            url, fragment = urldefrag(link)
            target = urlsplit(url).path.lstrip("/") or "index.html"
            if target.endswith("/"):
                target += "index.html"
            checked += 1
            if not (SITE / target).is_file():
                broken.append(f"{source} -> {link}: no such file")
            elif fragment and not crawl[target].redoc and fragment not in crawl[target].ids:
                broken.append(f"{source} -> {link}: no element #{fragment}")
    print(f"link check: {checked} internal links on {len(crawl)} pages, {len(broken)} broken")
    assert broken == []
    assert checked > 100  # navigation, tables of contents and the guides' own links


def test_search_finds_outcome_unknown(site: str, browser: Browser) -> None:
    page = browser.new_page()
    page.set_default_timeout(60_000)
    page.goto(site + "index.html")
    query = page.locator("input.md-search__input")
    query.click()
    query.press_sequentially("outcome_unknown")  # typed, as a reader does
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=60_000)  # the index loads in a worker; slow when loaded
    found = {
        urlsplit(link).path
        for link in page.locator(".md-search-result__item > a").evaluate_all(
            "links => links.map(a => a.href)"
        )
    }
    assert "/guides/client.html" in found, found  # where a failed write is explained
    assert any("outcome_unknown" in text for text in results.all_inner_texts())
    page.close()


def test_screenshots_of_home_a_guide_and_the_http_reference(site: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(60_000)
    for path, shot in (
        ("index.html", "home.png"),
        ("guides/client.html#when-a-write-fails", "guide-client.png"),
    ):
        page.goto(site + path, wait_until="load")
        settle(page)
        shoot(page, SHOTS / shot)
    page.goto(site + "reference/http.html", wait_until="load")
    redoc = page.frame_locator("iframe.http-reference")
    redoc.locator("text=Reading this reference.").wait_for(timeout=60_000)
    shoot(page, SHOTS / "http-reference.png")
    page.close()


def settle(page: Page) -> None:
    """Wait until the page's scripts are idle twice over (Material's search index, Redoc's
    rendering), then for the network to be quiet: what the page loads or logs by then counts.
    A loaded machine may keep a heavy page from 500 ms without a request for long, so quiet
    network is awaited for at most 10 s; the idle callbacks alone then decide."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate(
        "() => new Promise(done => requestIdleCallback("
        "() => requestIdleCallback(done, {timeout: 5000}), {timeout: 5000}))"
    )
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=10_000)


def shoot(page: Page, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
