"""Recorded traffic, read one exchange at a time: HAR 1.2, Schemathesis VCR cassettes, and the
proxy's NDJSON log.

Files are streamed, never loaded whole: a HAR file's ``log.entries`` array is decoded entry by
entry from a sliding buffer, a cassette is cut at each top-level ``- id:`` item (Schemathesis
writes one item per interaction, its values on single lines), an NDJSON log line by line.
A malformed entry raises ``RecordingError`` naming the file and the entry; the readers of
cassettes and logs go on with the next entry, a HAR file cannot (its syntax is one document).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import yaml

from ..conformance._checker import lower_headers
from ..conformance._exchange import Exchange, from_record

Json = Any
CHUNK = 1 << 16
FORMATS = ("har", "cassette", "ndjson")


class RecordingError(ValueError):
    """A file, or one entry of it, that is not a recording this module reads."""


def sniff(path: Path) -> str:
    """The format of a file, from its name or first bytes: ``har``, ``cassette`` or ``ndjson``."""
    by_name = {".har": "har", ".ndjson": "ndjson", ".jsonl": "ndjson", ".yaml": "cassette"}
    if path.suffix.lower() in by_name:
        return by_name[path.suffix.lower()]
    with path.open(encoding="utf-8", errors="replace") as handle:
        head = handle.read(4096)
    stripped = head.lstrip()
    if stripped.startswith("{"):
        try:
            first = json.loads(stripped.split("\n", 1)[0])
        except ValueError:
            return "har"  # one document over several lines, or a long one
        return "har" if isinstance(first, dict) and "log" in first else "ndjson"
    if "http_interactions:" in head or stripped.startswith(("command:", "recorded_with:")):
        return "cassette"
    raise RecordingError(
        f"{path}: neither a HAR file, a Schemathesis cassette nor a proxy log (starts "
        f"{stripped[:40]!r})"
    )


def read(path: Path) -> Iterator[Exchange | RecordingError]:
    """Every exchange of ``path``, or a ``RecordingError`` in place of a malformed entry."""
    kind = sniff(path)
    with path.open(encoding="utf-8") as handle:
        if kind == "ndjson":
            yield from _ndjson(path, handle)
        elif kind == "cassette":
            yield from _cassette(path, handle)
        else:
            yield from _har(path, handle)


# -- NDJSON (the proxy's log) --------------------------------------------------------------------


def _ndjson(path: Path, handle: TextIO) -> Iterator[Exchange | RecordingError]:
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        where = f"{path}: line {number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            if record.get("type", "exchange") != "exchange":
                continue  # not an exchange: nothing to judge
            if record.get("outcome", "forwarded") != "forwarded":
                continue  # the proxy's guard answered itself: nothing of the server's
            yield from_record(record, where)
        except ValueError as bad:
            yield RecordingError(f"{where}: {bad}")


# -- VCR cassettes (Schemathesis) ----------------------------------------------------------------


def _cassette(path: Path, handle: TextIO) -> Iterator[Exchange | RecordingError]:
    item: list[str] = []
    start = 0
    inside = False
    for number, line in enumerate(handle, 1):
        if not inside:
            inside = line.startswith("http_interactions:")
            continue
        if line.startswith("- ") and item:
            yield _interaction(path, start, "".join(item))
            item = []
        if line.startswith("- "):
            start = number
        if item or line.startswith("- "):
            item.append(line)
    if not inside:
        yield RecordingError(f"{path}: no http_interactions in this cassette")
    elif item:
        yield _interaction(path, start, "".join(item))


def _interaction(path: Path, line: int, text: str) -> Exchange | RecordingError:
    where = f"{path}: interaction at line {line}"
    try:
        loaded = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
        entry = loaded[0] if isinstance(loaded, list) and loaded else None
        if not isinstance(entry, dict):
            raise ValueError("not a mapping")
        where = f"{path}: interaction {entry.get('id', '?')} (line {line})"
        request, response = entry["request"], entry.get("response")
        status = int(response["status"]["code"]) if response else None
        return Exchange(
            method=str(request["method"]),
            url=str(request["uri"]),
            status=status,
            request_headers=_vcr_headers(request.get("headers")),
            response_headers=_vcr_headers(response.get("headers") if response else None),
            content=_vcr_body(response.get("body") if response else None),
            request_body=_vcr_body(request.get("body")),
            started=entry.get("recorded_at"),
            truncated=bool(response and "truncated_from" in response),
            source=where,
        )
    except yaml.YAMLError as bad:
        return RecordingError(f"{where}: not YAML: {str(bad).splitlines()[0]}")
    except KeyError as missing:
        return RecordingError(f"{where}: no {missing.args[0]!r}")
    except (TypeError, ValueError, AttributeError) as bad:
        return RecordingError(f"{where}: {bad}")


def _vcr_headers(headers: Json) -> dict[str, str]:
    if not headers:
        return {}
    return lower_headers(
        (name, ", ".join(map(str, values)) if isinstance(values, list) else str(values))
        for name, values in headers.items()
    )


def _vcr_body(body: Json) -> bytes:
    if not body:
        return b""
    if "base64_string" in body:
        return base64.b64decode(body["base64_string"])
    return str(body.get("string") or "").encode("utf-8")


# -- HAR 1.2 -------------------------------------------------------------------------------------


def _har(path: Path, handle: TextIO) -> Iterator[Exchange | RecordingError]:
    stream = _JsonStream(handle)
    index = 0
    try:
        for entry in stream.array(("log", "entries")):
            yield _har_entry(path, index, entry)
            index += 1
    except ValueError as bad:
        where = f"entry {index}: " if stream.in_array else ""
        yield RecordingError(f"{path}: {where}{bad}")


def _har_entry(path: Path, index: int, entry: Json) -> Exchange | RecordingError:
    where = f"{path}: entry {index}"
    try:
        request, response = entry["request"], entry["response"]
        where += f" ({request.get('method', '?')} {request.get('url', '?')})"
        content = response.get("content") or {}
        text = content.get("text")
        body = b""
        if isinstance(text, str):
            body = base64.b64decode(text) if content.get("encoding") == "base64" else text.encode()
        status = int(response["status"])
        post = request.get("postData") or {}
        return Exchange(
            method=str(request["method"]),
            url=str(request["url"]),
            status=status or None,  # 0: the browser got no answer
            request_headers=_har_headers(request.get("headers")),
            response_headers=_har_headers(response.get("headers")),
            content=body,
            request_body=str(post.get("text") or "").encode("utf-8"),
            started=entry.get("startedDateTime"),
            elapsed_ms=entry.get("time"),
            truncated=text is None and int(content.get("size") or 0) > 0,
            source=where,
        )
    except KeyError as missing:
        return RecordingError(f"{where}: no {missing.args[0]!r}")
    except (TypeError, ValueError, AttributeError) as bad:
        return RecordingError(f"{where}: {bad}")


def _har_headers(headers: Json) -> dict[str, str]:
    merged: dict[str, str] = {}
    for header in headers or []:
        name, value = str(header["name"]).lower(), str(header["value"])
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    return merged


class _JsonStream:
    """Just enough of an incremental JSON reader to walk to one array and decode its elements
    one at a time; everything beside the path is decoded and dropped."""

    def __init__(self, handle: TextIO) -> None:
        self.handle = handle
        self.text, self.pos, self.offset = "", 0, 0  # offset: characters dropped before text
        self.decoder = json.JSONDecoder()
        self.in_array = False

    def _more(self) -> bool:
        chunk = self.handle.read(max(CHUNK, len(self.text)))
        self.offset += self.pos
        self.text, self.pos = self.text[self.pos :] + chunk, 0
        return bool(chunk)

    def _char(self) -> str:
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._more():
                raise ValueError("the file ends inside the JSON document")

    def _expect(self, chars: str) -> str:
        found = self._char()
        if found not in chars:
            at = self.offset + self.pos
            raise ValueError(f"expected {chars!r} at character {at}, found {found!r}")
        self.pos += 1
        return found

    def _value(self) -> Json:
        self._char()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as bad:
                if self._more():
                    continue
                if not self.text[bad.pos :].strip():
                    raise ValueError("the file ends inside the JSON document") from None
                at = self.offset + bad.pos
                raise ValueError(f"not JSON at character {at}: {bad.msg}") from None
            if end == len(self.text) and not isinstance(value, dict | list | str) and self._more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value

    def array(self, path: tuple[str, ...], named: str = "") -> Iterator[Json]:
        """The elements of the array at ``path`` (keys of nested objects), one at a time."""
        named = named or ".".join(path)
        self._expect("{")
        if self._char() == "}":
            raise ValueError(f"no {named}")
        while True:
            key = self._value()
            self._expect(":")
            if key == path[0] and len(path) == 1:
                yield from self._elements()
                return
            if key == path[0]:
                yield from self.array(path[1:], named)
                return
            self._value()
            if self._expect(",}") == "}":
                raise ValueError(f"no {named}")

    def _elements(self) -> Iterator[Json]:
        self._expect("[")
        self.in_array = True
        if self._char() == "]":
            return
        while True:
            yield self._value()
            if self._expect(",]") == "]":
                return
