"""A report's text: read, checked, HTML stripped, split into sentences with offsets.

Every later step reports character offsets into the text returned here, so what a
user pastes and what the extractor points at are the same string.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from html.parser import HTMLParser

from geodata.errors import GeodataError
from geodata.places.words import in_dictionary

# The largest report read, in bytes. Extraction is not streamed (a sentence can refer to
# any earlier one) and costs ~11 s and ~380 MB of memory per MB of dense report text
# (the CLI with --json; the 23 KB eval report takes 0.03 s): 1 MB is hundreds of pages,
# far past any news report or analysis, and keeps the worst case within a spinner's wait.
MAX_BYTES = 1024 * 1024
MAX_SIZE_TEXT = "1 MB"


def too_large(name: str, size: int | None = None) -> ReportError:
    """The error for a report past MAX_BYTES (the CLI, the dashboard's upload and paste)."""
    given = f"{size:,} bytes; " if size is not None else ""
    return ReportError(f"{name} is too large ({given}at most {MAX_SIZE_TEXT}, {MAX_BYTES:,} bytes); "
                       "split it into smaller reports")
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
               "article", "header", "footer", "blockquote", "figcaption", "title"}
_ENGLISH = set("""the of and to in a is that for on with as by was were are from at it this
has have had be said which not or but their its an after his her they been who will would
also more than over into about against new says told""".split())
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # control characters other than tab and newline
# (a line that opens with a capital, a bullet or a digit starts anew: "2023\n* 26 July: ...")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z0-9▲•*–—\-])")


class ReportError(GeodataError):
    """A report that cannot be read as English text; nothing was extracted or stored."""


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(html|body|p|div|article|span|br|h[1-6])\b[^>]*>", text[:20000], re.I))


def strip_html(text: str) -> str:
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    joined = html.unescape("".join(parser.parts))
    return re.sub(r"[ \t\r\f\v]+", " ", re.sub(r"\n\s*\n\s*(\n\s*)+", "\n\n", joined)).strip()


def decode(data: bytes, name: str = "the report") -> str:
    """UTF-8 text from bytes, or a ReportError that says why not."""
    if len(data) > MAX_BYTES:
        raise too_large(name, len(data))
    if b"\x00" in data[:65536]:
        raise ReportError(f"{name} contains NUL bytes: a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportError(f"{name} is not UTF-8 text (undecodable byte at offset {exc.start}); "
                          "save it as UTF-8") from None


def prepare(text: str, name: str = "the report") -> str:
    """The checked plain text of a report: HTML stripped, English, not empty."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise too_large(name)
    if looks_like_html(text):
        text = strip_html(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ReportError(f"{name} is empty")
    controls = len(_CONTROL.findall(text, 0, 20000))
    if controls > 10:
        raise ReportError(f"{name} contains control characters: is it text?")
    words = re.findall(r"[^\W\d_]+", text[:50000].lower())
    latin = sum(map(str.isascii, words))
    english = sum(map(_ENGLISH.__contains__, words))
    # a short text may have no function word ("Kharkiv Oblast's Bohodukhivskyi district came
    # under attack."): then half its words in the dictionary make it English
    if not words or latin / len(words) < 0.6 or english / len(words) < 0.04 and \
            sum(map(in_dictionary, words)) / len(words) < 0.5:
        raise ReportError(f"{name} does not look like English text; the extractor reads English reports")
    return text


_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                  "dec", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "st", "no", "vs", "u.s",
                  "u.k", "approx", "est", "prof", "sen", "rep", "gov", "adm", "maj", "capt"}


_LAST_WORD = re.compile(r"([\w.]+)\.$")
_LIST_MARKER = re.compile(r"\s*(?:\d{1,2}|[a-zA-Z])\.")  # a numbered or lettered list item's "2." or "b."


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences (and headlines, captions) of the text."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        word = _LAST_WORD.search(text, max(0, end - 12), end)
        if word and word.group(1).lower() in _ABBREVIATIONS and "\n" not in match.group(0):
            continue  # "Jan. 2", "Gen. Gerasimov": not the end of a sentence
        if _LIST_MARKER.fullmatch(text, start, end) and "\n" not in match.group(0):
            continue  # "2. About 3,000 reinforcements sent in January": the item's number opens it
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [piece for span in spans for piece in _bounded(text, *span)]


# A sentence longer than this is cut at a space: text with no sentence ends (a list, a
# table, an attack) would otherwise be one sentence, and reading a sentence costs the
# square of its places and triggers (100 KB without a full stop took 19 s and 840 MB).
# Real sentences are far shorter (the longest in the eval reports: ~300 characters).
MAX_SENTENCE_CHARS = 1000


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        yield start, cut
        start = cut + 1 if text[cut] == " " else cut
    yield start, end


# -- a word index: where to try a pattern ---------------------------------------------
# Python's re tries a pattern that starts with \b or a case-insensitive alternation at
# every character. Most of ours can only begin at a word, so we look the words up once
# per text and try each pattern only where it can start (see finditer_at).

_WORD_RUN = re.compile(r"\w+")
_FOLD = str.maketrans({"ı": "i", "ſ": "s"})  # what re.IGNORECASE also takes for i and s


def fold(word: str) -> str:
    """The key a case-insensitive pattern sees: lower case, dotless i and long s as i, s."""
    low = word.lower()
    return low if low.isascii() else low.translate(_FOLD)


def folded_text(text: str) -> str | None:
    """The whole text folded at once, or None when folding changes its length."""
    low = text.lower()
    if len(low) != len(text):
        return None
    for odd, plain in (("ı", "i"), ("ſ", "s")):
        if odd in low:
            low = low.replace(odd, plain)
    return low


class Words:
    """The words of one text by folded form, with their start offsets in text order."""

    def __init__(self, text: str):
        positions: dict[str, list[int]] = {}
        low = folded_text(text)
        for m in _WORD_RUN.finditer(low if low is not None else text):
            word = m.group() if low is not None else fold(m.group())
            if (starts := positions.get(word)) is None:
                positions[word] = [m.start()]
            else:
                starts.append(m.start())
        self.positions = positions
        self.exact = low is not None  # a word's folded form is as long as the word
        self._blob: str | None = None  # the distinct words joined, for inside()
        self._sorted: list[str] | None = None  # the distinct words in order, for starting()
        self._backwards: list[str] | None = None  # the same, each reversed, for ending()
        # starts of words that begin with a digit
        self.numbers = sorted(p for w, starts in positions.items() if w[0].isdigit() for p in starts)

    def inside(self, part: str) -> list[int]:
        """Offsets of ``part`` (folded word characters) anywhere in the text, inside longer
        words too: found among the distinct words, not by scanning the whole text."""
        if self._blob is None:
            self._keys = list(self.positions)
            self._blob = "\0".join(self._keys)
            self._key_starts, at = [], 0
            for key in self._keys:
                self._key_starts.append(at)
                at += len(key) + 1
        found, at = [], self._blob.find(part)
        while at >= 0:
            k = bisect_right(self._key_starts, at) - 1
            found += [p + at - self._key_starts[k] for p in self.positions[self._keys[k]]]
            at = self._blob.find(part, at + 1)
        return found

    def starting(self, prefixes: Iterable[str]) -> list[int]:
        """Sorted starts of the words that begin with one of these (folded) prefixes."""
        if self._sorted is None:
            self._sorted = sorted(self.positions)
        keys, found = self._sorted, set()
        for prefix in set(prefixes):
            i = bisect_left(keys, prefix)
            while i < len(keys) and keys[i].startswith(prefix):
                found.add(keys[i])
                i += 1
        return sorted(p for key in found for p in self.positions[key])

    def ending(self, suffix: str) -> list[int]:
        """Where ``suffix`` (folded) begins in the words that end with it."""
        if self._backwards is None:
            self._backwards = sorted(key[::-1] for key in self.positions)
        keys, reverse, found = self._backwards, suffix[::-1], []
        i = bisect_left(keys, reverse)
        while i < len(keys) and keys[i].startswith(reverse):
            key = keys[i][::-1]
            found += [p + len(key) - len(suffix) for p in self.positions[key]]
            i += 1
        return found

    def at(self, words: Iterable[str], numbers: bool = False) -> list[int]:
        """Sorted starts of these (folded) words, and of numbers when asked."""
        found = [p for w in words for p in self.positions.get(w, ())]
        if numbers:
            found += self.numbers
        return sorted(found)


def preceded_by(text: str, positions: Iterable[int], before: frozenset[str], numbers: bool = False) -> list[int]:
    """The starts of the words just before these positions (whitespace between) that are
    one of ``before`` (folded), or a number when asked: where "in 2024" begins, given 2024."""
    out = []
    for p in positions:
        q = p
        while q > 0 and text[q - 1].isspace():
            q -= 1
        k = q
        while k > 0 and (text[k - 1].isalnum() or text[k - 1] == "_"):  # what \w matches
            k -= 1
        if k < q < p:
            word = fold(text[k:q])
            if word in before or numbers and word[0].isdigit():
                out.append(k)
    return out


@lru_cache(maxsize=4)
def words(text: str) -> Words:
    """The word index of a text; cached because several finders read the same text."""
    return Words(text)


def finditer_at(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """What ``pattern.finditer(text)`` yields, for a pattern whose matches can only begin
    at one of ``starts`` (sorted): the leftmost match at or after the last one's end."""
    pos = 0
    for start in starts:
        if start < pos:
            continue
        m = pattern.match(text, start)
        if m:
            yield m
            pos = max(m.end(), m.start() + 1)


def ends_with(text: str, start: int, end: int, words: frozenset[str]) -> bool:
    """Whether text[start:end] ends with one of these words and whitespace (a necessary
    condition of the lead patterns above, and much cheaper than their search)."""
    lead = text[start:end]
    if not lead[-1:].isspace():
        return False
    last = lead.rsplit(None, 1)[-1:]
    return bool(last) and fold(last[0]) in words



def has_any(text: str, stems: tuple[str, ...]) -> bool:
    """Whether any stem occurs in the folded text (what a case-insensitive match needs)."""
    low = fold(text)
    return any(stem in low for stem in stems)
