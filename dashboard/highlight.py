"""A report's text with its place, date and system mentions marked, as safe HTML.

Every piece of the report is escaped before it is wrapped in a <mark>: the text is
untrusted (pasted, uploaded), and only our own tags and colours reach the page.
"""

from __future__ import annotations

from html import escape

from geodata.extract.report import Extraction

SHOWN_CHARS = 60_000  # beyond this the page gets slow; the rest is still extracted
COLORS = {"place": "#cfe3ff", "date": "#ffe8b0", "system": "#f6c9c9"}
LABELS = {"place": "place", "date": "date", "system": "weapon system"}


def _mentions(found: Extraction) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, what it resolved to), without overlaps, in text order."""
    marks = []
    for p in found.places:
        c = p.candidate
        note = f"{c.name}, {c.country} (precision {int(c.precision)})" if c else "not found in the gazetteer"
        marks.append((p.start, p.end, "place", note))
    for d in found.dates:
        marks.append((d.start, d.end, "date", f"{d.date_start} to {d.date_end} ({d.precision.value})"))
    for s in found.systems:
        marks.append((s.start, s.end, "system", s.system))
    out, last_end = [], 0
    for mark in sorted(marks):
        if mark[0] >= last_end:
            out.append(mark)
            last_end = mark[1]
    return out


def legend_html() -> str:
    return " ".join(f'<mark style="background:{COLORS[k]};padding:0 3px">{escape(v)}</mark>'
                    for k, v in LABELS.items())


def highlighted_html(found: Extraction) -> str:
    text = found.text[:SHOWN_CHARS]
    parts, position = [], 0
    for start, end, kind, note in _mentions(found):
        if end > len(text):
            break
        parts.append(escape(text[position:start]))
        parts.append(f'<mark class="gd-{kind}" style="background:{COLORS[kind]};padding:0 2px" '
                     f'title="{escape(LABELS[kind] + ": " + note, quote=True)}">{escape(text[start:end])}</mark>')
        position = end
    parts.append(escape(text[position:]))
    more = (f"<p><em>Showing the first {SHOWN_CHARS:,} of {len(found.text):,} characters; "
            "everything was read.</em></p>") if len(found.text) > SHOWN_CHARS else ""
    return ('<div class="gd-report" style="white-space:pre-wrap;line-height:1.6;max-height:420px;'
            f'overflow-y:auto;border:1px solid #ddd;padding:8px">{"".join(parts)}</div>{more}')
