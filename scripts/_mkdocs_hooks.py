"""MkDocs hooks (mkdocs.yml ``hooks:``): the site's generated pages, never copied by hand.

- ``reference/cli.md``: every command of ``sequence-contract`` and every option, read from the
  parsers the commands themselves use (``cli.SUBCOMMANDS``, each module's ``parser()``);
- ``reference/http-api.html``: the Redoc page with provenance badges (``scripts/docs``), which
  ``reference/http.md`` shows inside the site;
- ``reference/mock-admin-api.html``: the Redoc page of the mock's admin API document (the one
  ``GET /_mock/openapi.json`` serves), shown by ``reference/admin-api.md``;
- a page under ``guides/`` or ``reference/`` that mkdocs.yml's nav does not list joins the
  "Guides" or "Reference" section, so a page a feature adds is on the site (and its code
  blocks in the tests) from its first commit.
"""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # mkdocs is in the docs extra only; the tests read cli_reference() without it
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
CLI_PAGE = "reference/cli.md"
HTTP_PAGE = "reference/http-api.html"
ADMIN_PAGE = "reference/mock-admin-api.html"
ADMIN_DOCUMENT = ROOT / "src/sequence_contract/mock/http/admin.yaml"  # GET /_mock/openapi.json

EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
CLI_INTRO = """# Command line

`sequence-contract COMMAND [OPTIONS]`: one entry point, one command per tool. `sequence-mock` is
the same as `sequence-contract mock`. This page is generated from the commands' own parsers when
the site is built, so it lists exactly what `--help` prints.
"""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _option(action: argparse.Action) -> str:
    if not action.option_strings:  # a positional argument
        return f"`{action.metavar or action.dest}`"
    names = ", ".join(f"`{name}`" for name in action.option_strings)
    if action.nargs == 0:
        return names
    metavar = action.metavar or (action.dest.upper() if action.choices is None else None)
    if metavar is None:
        metavar = "{" + ",".join(str(choice) for choice in action.choices or ()) + "}"
    return f"{names} `{metavar if isinstance(metavar, str) else ' '.join(metavar)}`"


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    formatter = parser._get_formatter()
    text = formatter._expand_help(action) if action.help else ""
    if action.choices is not None and action.option_strings:
        text += " (one of: " + ", ".join(f"`{choice}`" for choice in action.choices) + ")"
    if action.nargs in ("*", "+"):
        text += " (several values)"
    if isinstance(action, argparse._AppendAction) and "repeatable" not in text:
        text += " (repeatable)"
    return text


def command_parsers() -> dict[str, tuple[str, str, argparse.ArgumentParser]]:
    """name -> (one-line help, the extra it needs, the command's parser), in the order
    ``sequence-contract`` lists them."""
    from sequence_contract import cli

    found: dict[str, tuple[str, str, argparse.ArgumentParser]] = {}
    for name, (module_name, extra, help_text) in cli.SUBCOMMANDS.items():
        parser = importlib.import_module(module_name).parser()
        parser.prog = f"sequence-contract {name}"
        found[name] = (help_text, extra, parser)
    return found


def cli_reference() -> str:
    """The Markdown of the CLI reference."""
    parsers = command_parsers()
    lines = [CLI_INTRO, "| command | what it does | needs |", "|---|---|---|"]
    lines += [
        f"| [`{name}`](#{name}) | {_cell(text)} | `sequence-contract[{extra}]` |"
        for name, (text, extra, _) in parsers.items()
    ]
    for name, (text, extra, parser) in parsers.items():
        summary = _cell(text)
        lines += ["", f"## `{name}` {{#{name}}}", "", f"{summary[:1].upper()}{summary[1:]}."]
        lines += ["", f"Needs the `{extra}` extra: `pip install 'sequence-contract[{extra}]'`.", ""]
        if parser.description:  # docstrings write ``code``; Markdown writes `code`
            lines += [parser.description.strip().replace("``", "`"), ""]
        lines += ["```text", parser.format_usage().strip(), "```", ""]
        actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
        if actions:
            lines += ["| argument | meaning |", "|---|---|"]
            lines += [f"| {_option(a)} | {_cell(_help(parser, a))} |" for a in actions]
        if parser.epilog:
            lines += ["", parser.epilog.strip()]
    return "\n".join(lines) + "\n"


def redoc_page(document: Path | None = None) -> bytes:
    """A Redoc page: openapi.yaml with its provenance badges (scripts/docs), or ``document``
    as it is (Redocly CLI, the options of redocly.yaml), made to load nothing from outside."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "page.html"
        if document is None:
            command = [sys.executable, str(ROOT / "scripts/docs"), "--output", str(output)]
        else:
            command = [str(ROOT / "scripts/redocly"), "build-docs", str(document), "--inlineBundle"]
            command += ["--config", str(ROOT / "redocly.yaml"), "--output", str(output)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603 - our own scripts
        if done.returncode != 0 or not output.exists():
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        page = output.read_text(encoding="utf-8")
    # Redoc's attribution logo (its text and link stay) becomes an empty inline image, and the
    # page takes the site's icon (no /favicon.ico 404).
    for logo in ("logo-mini-full.svg", "logo-mini.svg"):
        page = page.replace(f"https://cdn.redoc.ly/redoc/{logo}", EMPTY_SVG)
    icon = '<link rel="icon" href="../assets/images/favicon.png">'
    return page.replace("<head>", f"<head>{icon}", 1).encode()


def on_files(files: Files, config: Any) -> Files:  # noqa: ANN401 - MkDocsConfig
    from mkdocs.structure.files import File

    files.append(File.generated(config, CLI_PAGE, content=cli_reference()))
    files.append(File.generated(config, HTTP_PAGE, content=redoc_page()))
    files.append(File.generated(config, ADMIN_PAGE, content=redoc_page(ADMIN_DOCUMENT)))
    return files


#: A page in one of these folders that mkdocs.yml's nav leaves out joins this section.
SECTIONS = {"guides/": "Guides", "reference/": "Reference"}


def on_nav(nav: Navigation, config: Any, files: Files) -> Navigation:  # noqa: ANN401
    from mkdocs.structure.nav import Section
    from mkdocs.structure.pages import Page

    sections = {i.title: i for i in nav.items if isinstance(i, Section)}
    listed = {page.file.src_uri for page in nav.pages}
    for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
        folder = file.src_uri.split("/", 1)[0] + "/"
        if folder in SECTIONS and file.src_uri not in listed:
            section = sections[SECTIONS[folder]]
            page = Page(None, file, config)
            page.parent = section
            section.children.append(page)
    nav.pages = _walk(nav.items)
    return nav


def _walk(items: list[Any]) -> list[Page]:
    from mkdocs.structure.nav import Section
    from mkdocs.structure.pages import Page

    pages: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            pages.append(item)
        elif isinstance(item, Section):
            pages += _walk(item.children)
    return pages


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:  # noqa: ANN401
    """Docstrings end a line with reST's ``::`` before a literal block: a plain colon on the
    site, and no paragraph of its own."""
    html = re.sub(r"<p>::</p>\s*", "", html)
    return re.sub(r"::</p>", ":</p>", html)
