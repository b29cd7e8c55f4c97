"""Read a GeoJSON FeatureCollection one feature at a time, in bounded memory.

A file of any size is read in chunks: the reader holds one chunk and the feature being
parsed, never the whole file (``json.load`` of a 284 MB export peaked at 2.4 GB). Each
feature is parsed by the standard library's C decoder (``raw_decode`` on the buffer),
so no dependency is needed. What cannot be streamed is capped, and each cap is named
in its message: a single feature (or other member), the digits of a number. NaN and
Infinity literals, nesting deeper than Python can parse, and text after the collection
are refused; a UTF-8 byte order mark is accepted. Errors name the feature number.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from geodata.errors import GeodataError

MAX_FEATURE_CHARS = 2_000_000  # one feature held at once; an exported event is a few KB
MAX_NUMBER_DIGITS = 30         # no count or coordinate needs more
CHUNK_CHARS = 1 << 20

_WHITESPACE = re.compile(r"[ \t\n\r]*")


class GeoJSONError(GeodataError):
    """A file that is not GeoJSON in our schema; the message names feature and field."""


class _Refused(ValueError):
    """A token the decoder must not accept (raised from its hooks)."""


def _refuse_constant(name: str) -> None:
    raise _Refused(f"{name} is not a number JSON allows; give a finite number")


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_NUMBER_DIGITS:
        raise _Refused(f"a number with {digits} digits (at most {MAX_NUMBER_DIGITS})")
    return int(text)


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_int=_bounded_int)


def open_regular(path: Path) -> TextIO:
    """``path`` opened as UTF-8 text (a byte order mark skipped), or a one-line error:
    a directory, device or pipe is refused at once (``/dev/zero`` never ends)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise GeoJSONError(f"{path}: not a regular file (a directory, device or pipe); "
                               "give a GeoJSON file")
        return open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise GeoJSONError(f"{path}: no such file") from None
    except OSError as exc:
        raise GeoJSONError(f"{path}: cannot read: {exc.strerror or exc}") from None


class _Reader:
    """A sliding window over the text: ``buf[pos:]`` is what is not parsed yet."""

    def __init__(self, path: Path, handle: TextIO):
        self.path, self.handle = path, handle
        self.buf, self.pos, self.eof = "", 0, False
        self.line, self.column = 1, 1  # of buf[0]
        self.feature = 0               # the feature being read, for messages

    def where(self, pos: int | None = None) -> str:
        pos = self.pos if pos is None else pos
        newline = self.buf.rfind("\n", 0, pos)
        line = self.line + self.buf.count("\n", 0, pos)
        column = pos - newline if newline >= 0 else self.column + pos
        return f"line {line}, column {column}"

    def error(self, problem: str) -> GeoJSONError:
        label = f"feature {self.feature}: " if self.feature else ""
        return GeoJSONError(f"{self.path}: {label}{problem}")

    def fill(self) -> None:
        """Drop what is parsed, read the next chunk; ``eof`` when there is none."""
        done = self.buf[:self.pos]
        newline = done.rfind("\n")
        self.line += done.count("\n")
        self.column = len(done) - newline if newline >= 0 else self.column + len(done)
        try:
            more = self.handle.read(CHUNK_CHARS)
        except UnicodeDecodeError:
            raise self.error(f"not UTF-8 text (somewhere after {self.where(len(self.buf))}); "
                             "GeoJSON is UTF-8 JSON") from None
        except OSError as exc:
            raise self.error(f"cannot read: {exc.strerror or exc}") from None
        self.buf, self.pos = self.buf[self.pos:] + more, 0
        self.eof = not more

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos:self.pos + 1]
            self.fill()

    def expect(self, chars: str, what: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            shown = repr(found) if found else "the end of the file"
            raise self.error(f"not JSON: expected {what} at {self.where()}, found {shown}")
        self.pos += 1
        return found

    def value(self) -> object:
        """The next JSON value, read as far as needed but never beyond the caps."""
        self.peek()
        last = None
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
                if end - self.pos > MAX_FEATURE_CHARS:
                    raise self._too_long()
                if end < len(self.buf) or self.eof:  # a number may go on in the next chunk
                    self.pos = end
                    return value
            except json.JSONDecodeError as exc:
                moved = (exc.msg, exc.pos) != last or exc.msg.startswith("Unterminated string")
                if self.eof or not moved:
                    raise self.error(f"not JSON: {exc.msg.removesuffix(' at')} at "
                                     f"{self.where(exc.pos)}") from None
                last = (exc.msg, exc.pos)
            except RecursionError:
                raise self.error(f"nested too deeply (GeoJSON in our schema nests a few levels; "
                                 f"the value starts at {self.where()})") from None
            except _Refused as exc:
                raise self.error(f"{exc} (in the value starting at {self.where()})") from None
            if len(self.buf) - self.pos > MAX_FEATURE_CHARS:
                raise self._too_long()
            self.fill()

    def _too_long(self) -> GeoJSONError:
        return self.error(f"longer than {MAX_FEATURE_CHARS:,} characters (the limit for one "
                          "feature); is it a FeatureCollection of events?")


def iter_features(path: Path) -> Iterator[object]:
    """Each feature of the FeatureCollection at ``path``, in order; the members other
    than ``features`` are checked (``type``) and dropped."""
    with open_regular(path) as handle:
        reader = _Reader(path, handle)
        reader.fill()
        if reader.peek() != "{":
            raise reader.error('not a GeoJSON FeatureCollection (needs "type": "FeatureCollection")')
        reader.pos += 1
        seen: set[str] = set()
        if reader.peek() == "}":
            reader.pos += 1
        else:
            while True:
                yield from _member(reader, seen)
                if reader.expect(",}", "',' or '}'") == "}":
                    break
        if reader.peek():
            raise reader.error(f"text after the FeatureCollection at {reader.where()}")
        if "type" not in seen:
            raise reader.error('not a GeoJSON FeatureCollection (needs "type": "FeatureCollection")')
        if "features" not in seen:
            raise reader.error("features must be a list")


def _member(reader: _Reader, seen: set[str]) -> Iterator[object]:
    """One member of the top-level object: the features are yielded, the rest checked."""
    if reader.peek() != '"':
        raise reader.error("not JSON: Expecting property name enclosed in double quotes "
                           f"at {reader.where()}")
    key = reader.value()
    reader.expect(":", "':'")
    if key in seen:
        raise reader.error(f"the member {key!r} is given twice")
    seen.add(key)
    if key == "features":
        yield from _features(reader)
        reader.feature = 0
        return
    value = reader.value()
    if key == "type" and value != "FeatureCollection":
        raise reader.error('not a GeoJSON FeatureCollection (needs "type": "FeatureCollection")')


def _features(reader: _Reader) -> Iterator[object]:
    if reader.peek() != "[":
        raise reader.error("features must be a list")
    reader.pos += 1
    if reader.peek() == "]":
        reader.pos += 1
        return
    while True:
        reader.feature += 1
        yield reader.value()
        if reader.expect(",]", "',' or ']' after the feature") == "]":
            return
