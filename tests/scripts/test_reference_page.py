"""The rendered reference (scripts/docs) as a reader sees it: opened in headless Chromium.

Runs in ``nox -s docs`` (marker ``browser``), after the site is built: for every operation of
openapi.yaml, webhooks included, it opens the operation's page, clicks through every response
status and checks that the operation shows its operationId, availability and provenance, that
every field on screen carries a provenance badge of the right kind, and that every filled or
chosen fact reachable from an operation is shown somewhere. It saves screenshots under
reports/site-screenshots/. Chromium is Debian's (``chromium``); Playwright only drives it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from sequence_contract.spec import Spec, escape

if TYPE_CHECKING:  # imported when the browser runs: a plain `pytest` needs no Playwright
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PAGE = Path(os.environ.get("SEQUENCE_DOCS_PAGE", ROOT / "reports/site/reference/http-api.html"))
SCREENSHOT = ROOT / "reports/site-screenshots/http-api.png"
KINDS = ("doc", "filled", "choice")
OURS = ("filled", "choice")
Json = Any


def at(spec: Json, pointer: str) -> Json:
    node = spec
    for token in pointer.lstrip("/").split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def own_kind(spec: Json, node: Json) -> str | None:
    """A node's marker, else that of the one schema it refers to (docs/contract.md)."""
    if not isinstance(node, dict):
        return None
    if node.get("x-provenance") in KINDS:
        return str(node["x-provenance"])
    if "$ref" in node:
        return own_kind(spec, at(spec, node["$ref"].removeprefix("#")))
    for keyword in ("anyOf", "oneOf"):
        branches = [b for b in node.get(keyword, []) if b != {"type": "null"}]
        if len(branches) == 1:
            return own_kind(spec, branches[0])
    return None


def kind_at(spec: Json, pointer: str) -> str:
    """The innermost marker from the named component (or the operation's part) down to
    ``pointer``; a parameter or header unmarked itself takes its schema's."""
    tokens = pointer.lstrip("/").split("/")
    # below the operation: fields say their own (the operation's badge is its own marker)
    start = min(3 if tokens[0] == "components" else 4, len(tokens))
    kind, node = "doc", None
    for end in range(start, len(tokens) + 1):
        node = at(spec, "/" + "/".join(tokens[:end]))
        if tokens[end - 1] not in ("properties", "content", "headers", "responses", "parameters"):
            kind = own_kind(spec, node) or kind
    if isinstance(node, dict) and "schema" in node and own_kind(spec, node) is None:
        kind = own_kind(spec, node["schema"]) or kind
    return kind


def operations(spec: Json) -> Iterator[tuple[str, str, Json]]:
    """(operationId, pointer, operation) for every path operation and webhook."""
    compiled = Spec(spec)
    for op in (*compiled.operations, *compiled.webhooks):
        yield op.operation_id, op.pointer, op.node


def marked_fields(spec: Json, node: Json, pointer: str, seen: set[str]) -> Iterator[str]:
    """Pointers of every field-level filled/choice marker reachable from ``node``."""
    if not isinstance(node, dict):
        return
    if "$ref" in node:
        target = node["$ref"].removeprefix("#")
        if target not in seen:
            seen.add(target)
            yield from marked_fields(spec, at(spec, target), target, seen)
        return
    is_field = "in" in node or pointer.rsplit("/", 2)[-2] == "headers"  # parameter, header
    if is_field and (own_kind(spec, node) or own_kind(spec, node.get("schema"))) in OURS:
        yield pointer
    for name, prop in (node.get("properties") or {}).items():
        where = f"{pointer}/properties/{escape(name)}"
        if isinstance(prop, dict) and prop.get("x-provenance") in OURS:
            yield where
        yield from marked_fields(spec, prop, where, seen)
    for keyword in ("items", "schema", "requestBody"):
        yield from marked_fields(spec, node.get(keyword), f"{pointer}/{keyword}", seen)
    for keyword in ("anyOf", "oneOf", "allOf", "parameters"):
        for index, child in enumerate(node.get(keyword) or []):
            yield from marked_fields(spec, child, f"{pointer}/{keyword}/{index}", seen)
    for keyword in ("content", "responses", "headers"):
        for name, child in (node.get(keyword) or {}).items():
            yield from marked_fields(spec, child, f"{pointer}/{keyword}/{escape(name)}", seen)


@pytest.fixture(scope="module")
def spec() -> Json:
    return yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    assert PAGE.exists(), f"{PAGE} is missing: build the site with `nox -s docs`"
    # Redoc renders what is in view: a tall window shows a whole operation at once.
    view = browser.new_page(viewport={"width": 1400, "height": 20_000})
    view.goto(PAGE.as_uri())
    yield view
    view.close()


def open_operation(page: Page, op_id: str, tag: str) -> str:
    """Go to the operation's own page (Redoc routes ``#/<tag>/<operationid>``); its section id."""
    section = f"{tag}/{op_id.lower()}"
    page.evaluate(f"location.hash = '#/{section}'")
    page.wait_for_selector(f'[data-operation-id="{op_id}"]', state="attached", timeout=15_000)
    return section


def badges_under_each_status(
    page: Page, section: str, responses: dict[str, str], done: set[str]
) -> list[dict[str, Any]]:
    """Every field row and badge of the section, with each response status selected in turn;
    ``responses`` maps a status to the response's pointer, and a shared response already in
    ``done`` (read under another operation) is not selected again."""
    script = """(section) => {
      const root = document.getElementById(section);
      const rows = [...root.querySelectorAll('.schema-property-item')].map(row => {
        const own = [...row.querySelectorAll('[data-provenance]')].filter(
          b => b.closest('.schema-property-item') === row);
        return {row: row.id, badges: own.map(b => [b.dataset.provenance, b.dataset.at])};
      });
      const badges = [...root.querySelectorAll('[data-provenance][data-at]')].map(
        b => [b.dataset.provenance, b.dataset.at]);
      return {rows, badges};
    }"""
    settle(page)
    states = [page.evaluate(script, section)]
    tabs = page.locator(f'[id="{section}"] [data-response-codes-tablist] [role="tab"]')
    for index in range(tabs.count()):
        target = responses[tabs.nth(index).inner_text().strip()]
        if target in done:
            continue
        done.add(target)
        tabs.nth(index).evaluate("tab => tab.click()")  # no hover left behind: idle comes
        settle(page)
        states.append(page.evaluate(script, section))
    return states


def settle(page: Page) -> None:
    """Wait until the browser is idle twice over: Redoc renders deep schemas in later tasks."""
    page.evaluate(
        "() => new Promise(done => requestIdleCallback("
        "() => requestIdleCallback(done, {timeout: 5000}), {timeout: 5000}))"
    )


def test_every_operation_field_and_marker_is_on_the_page(page: Page, spec: Json) -> None:
    seen: dict[str, str] = {}  # data-at -> kind shown
    unbadged: list[str] = []
    done: set[str] = set()  # responses already read
    for op_id, pointer, op in operations(spec):
        responses = {
            str(status): response.get("$ref", f"#{pointer}/responses/{status}").removeprefix("#")
            for status, response in op["responses"].items()
        }
        section = open_operation(page, op_id, op["tags"][0])
        head = page.locator(f'[data-operation-id="{op_id}"]')
        assert head.get_attribute("data-availability") == op["x-availability"], op_id
        assert head.get_attribute("data-provenance") == (own_kind(spec, op) or "doc"), op_id
        assert op_id in head.inner_text()
        for state in badges_under_each_status(page, section, responses, done):
            seen.update({where: kind for kind, where in state["badges"]})
            # an "[i]" row is an array's element: the array's own row carries the badge
            fields = [r for r in state["rows"] if not r["row"].endswith("/[i]")]
            unbadged += [r["row"] for r in fields if len(r["badges"]) != 1]
        for status, response in op["responses"].items():
            kind = own_kind(spec, response) or "doc"
            assert seen.get(responses[str(status)]) == kind, (op_id, status)

    assert unbadged == [], "fields without exactly one provenance badge"
    wrong = {where: kind for where, kind in seen.items() if kind != kind_at(spec, where)}
    assert wrong == {}, "badges whose kind is not the spec's"
    reachable = {
        where
        for _, pointer, op in operations(spec)
        for where in marked_fields(spec, op, pointer, set())
    }
    assert reachable - set(seen) == set(), "filled/chosen fields not shown anywhere"
    assert len(seen) > 100  # the walk really saw the fields, not just a few headers


def test_the_webhooks_section_is_there(page: Page, spec: Json) -> None:
    """A section of its own, followed by one section per documented webhook."""
    page.evaluate("location.hash = '#/webhooks'")
    page.wait_for_selector('[id="webhooks"]', state="attached")
    expected = {item["post"]["operationId"] for item in spec["webhooks"].values()}
    for op_id in expected:
        section = f"webhooks/{op_id.lower()}"
        page.wait_for_selector(f'[id="{section}"] [data-operation-id="{op_id}"]', state="attached")
    shown = page.eval_on_selector_all(
        '[id^="webhooks/"] [data-operation-id]', "els => els.map(e => e.dataset.operationId)"
    )
    assert set(shown) == expected
    assert len(expected) == 3  # TransferCreated, TransferApprovalRequired, TransferStatusChanged


def test_screenshots_are_saved(page: Page) -> None:
    """The legend at the top, and an operation with its badges (createRule)."""
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.evaluate("location.hash = '#/'")
    page.locator("text=Reading this reference.").scroll_into_view_if_needed()
    shoot(page, SCREENSHOT.with_name(f"{SCREENSHOT.stem}-legend.png"))
    section = open_operation(page, "createRule", "rules")
    page.locator(f'[id="{section}"]').scroll_into_view_if_needed()
    shoot(page, SCREENSHOT)


def shoot(page: Page, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
