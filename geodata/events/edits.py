"""Corrections an analyst makes to a stored event: set fields, merge a duplicate into
another event. Each returns a new, validated event; the store keeps the old revision
(geodata.store: history, delete, restore), so nothing an edit replaces is lost.

``field=value`` is the one syntax for the CLI (``edit ID --set``) and the dashboard's
form: a date is the shorthand the model reads (2024-01-02, 2024-01, 2024); the list
fields take comma-separated values; any other field takes text, or JSON for a
structured value (a place). An empty value clears a field that may be empty.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from geodata.errors import GeodataError
from geodata.events.model import Event, expand_date
from geodata.store.history import changed_fields
from geodata.yamlfile import describe

LIST_FIELDS = ("systems", "possible_systems", "tags")
FIXED_FIELDS = ("id", "sources", "date_start", "date_end", "date_precision")
EDITABLE = ("title", "description", "kind", "status", "date", "date_note", "place", "origin",
            "destination", *LIST_FIELDS, "quantities", "casualties", "attribution",
            "discrepancies", "links")


class EditError(GeodataError):
    """An edit that cannot be applied: unknown field, bad value, incompatible merge."""


def parse_assignment(text: str) -> tuple[str, str]:
    """``field=value`` -> (field, value); the field must be one an analyst may edit."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise EditError(f"--set {text[:60]!r}: give FIELD=VALUE")
    if name not in EDITABLE:
        why = " (it identifies the event)" if name == "id" else (
            " (set date instead)" if name.startswith("date_") and name != "date_note" else "")
        raise EditError(f"--set {name[:40]}: not a field you can edit{why}; editable: "
                        f"{', '.join(EDITABLE)}")
    return name, value


def _value(name: str, text: str) -> Any:
    text = text.strip()
    if name in LIST_FIELDS:
        if text.startswith("["):
            return _json(name, text)
        return [part.strip() for part in text.split(",") if part.strip()]
    if text == "":
        return [] if name in ("quantities", "attribution", "discrepancies", "links") else None
    if name in ("place", "origin", "destination", "quantities", "casualties", "attribution",
                "discrepancies", "links"):
        return _json(name, text)
    return text


def _json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise EditError(f"{name}: not valid JSON ({exc.msg} at character {exc.pos})") from None


def edited(event: Event, assignments: list[tuple[str, str]]) -> Event:
    """The event with each (field, value) applied, validated as a whole."""
    if not assignments:
        raise EditError("nothing to change: give at least one --set FIELD=VALUE")
    data = event.model_dump(mode="json", exclude_none=True)
    for name, text in assignments:
        value = _value(name, text)
        if name == "date":
            if value is None:
                raise EditError("date: an event needs a date (2024-01-02, 2024-01 or 2024)")
            _check_date(value)
            for key in ("date_start", "date_end", "date_precision"):
                data.pop(key, None)
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return _validated(data)


def date_text(event: Event) -> str:
    """The event's date as ``date=`` takes it: 2024-01-02, 2024-01, 2024, or an interval
    of two such (2023-12/2024-02), so an unchanged form field is an unchanged date."""
    width = {"day": 10, "month": 7, "year": 4}[event.date_precision.value]
    first, last = event.date_start.isoformat()[:width], event.date_end.isoformat()[:width]
    return first if first == last else f"{first}/{last}"


def _check_date(text: str) -> None:
    """A date the model reads (a day, month or year, or an interval of two), or an
    error that names the date."""
    try:
        expand_date({"date": text})
    except ValueError as exc:
        raise EditError(f"date {text[:40]!r}: {exc}; give 2024-01-02, 2024-01, 2024 or "
                        "2023-12/2024-02") from None


def _validated(data: dict) -> Event:
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        raise EditError(describe(exc)[:300]) from None
    except ValueError as exc:
        raise EditError(str(exc)[:300]) from None


def _union(*lists: list) -> list:
    out: list = []
    for items in lists:
        for item in items:
            if item not in out:
                out.append(item)
    return out


def _period(event: Event) -> str:
    start, end = event.date_start.isoformat(), event.date_end.isoformat()
    return start if start == end else f"{start}/{end}"


def merged(keep: Event, drop: Event) -> Event:
    """``keep`` with what ``drop`` adds: its citations, systems, tags, quantities,
    attributions, discrepancies and links (links between the two are dropped), and its
    description or places where ``keep`` has none. The date, title and kind are
    ``keep``'s; a different date or place of ``drop`` is kept as a discrepancy."""
    if keep.id == drop.id:
        raise EditError(f"merge {keep.id} {drop.id}: give two different events")
    if keep.kind != drop.kind:
        raise EditError(f"merge {keep.id} {drop.id}: a {keep.kind.value} and a {drop.kind.value} "
                        "are not duplicates; edit the kind first if one is wrong")
    a, b = keep.model_dump(mode="json", exclude_none=True), drop.model_dump(mode="json", exclude_none=True)
    cited = {c["id"] for c in a["sources"]}
    a["sources"] = a["sources"] + [c for c in b["sources"] if c["id"] not in cited]
    for name in ("systems", "tags", "quantities", "attribution", "discrepancies"):
        a[name] = _union(a.get(name, []), b.get(name, []))
    a["possible_systems"] = [s for s in _union(a.get("possible_systems", []), b.get("possible_systems", []))
                             if s not in a["systems"]]
    a["links"] = [link for link in _union(a.get("links", []), b.get("links", []))
                  if link["target"] not in (keep.id, drop.id)]
    for name in ("description", "place", "origin", "destination", "casualties"):
        if name not in a and name in b:
            a[name] = b[name]
    mine, theirs = keep.sources[0].id, drop.sources[0].id
    differences = []
    if (keep.date_start, keep.date_end) != (drop.date_start, drop.date_end):
        differences.append(("date", _period(keep), _period(drop)))
    if keep.place and drop.place and keep.place.name != drop.place.name:
        differences.append(("place", keep.place.name, drop.place.name))
    a["discrepancies"] = _union(a["discrepancies"], [
        {"field": name, "values": [{"source": mine, "value": ours}, {"source": theirs, "value": other}],
         "note": f"merged from the duplicate {drop.id}"} for name, ours, other in differences])
    return _validated(a)


def _shown(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else "" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def field_changes(before: str | None, after: str) -> list[tuple[str, str, str]]:
    """(field, value before, value after) for each top-level field two stored records
    (JSON text) differ in, values as short text: what a revision changed. ``before``
    None (a first revision) gives every field as added."""
    old, new = json.loads(before) if before else {}, json.loads(after)
    names = changed_fields(before, after) if before else sorted(new)
    return [(name, _shown(old.get(name)), _shown(new.get(name))) for name in names]


def relinked(event: Event, old: str, new: str) -> Event:
    """``event`` with its links to ``old`` pointing to ``new`` instead (a merge keeps
    the events that linked to the duplicate linked to what it was merged into)."""
    data = event.model_dump(mode="json", exclude_none=True)
    moved = [{**link, "target": new if link["target"] == old else link["target"]} for link in data.get("links", [])]
    data["links"] = [link for link in _union(moved) if link["target"] != event.id]
    return _validated(data)
