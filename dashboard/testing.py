"""Helpers shared by the dashboard's tests and its benchmark (no Streamlit at import)."""

from __future__ import annotations

import json
import re


def map_args(at) -> dict:
    """st_folium's arguments in an AppTest run: the map as the browser would get it."""
    def walk(node):
        children = getattr(node, "children", None)
        for child in (children.values() if isinstance(children, dict) else children or []):
            yield child
            yield from walk(child)
    found = [n for n in walk(at._tree) if getattr(n, "type", None) == "component_instance"]
    assert len(found) == 1, "one map on the page"
    return json.loads(found[0].proto.json_args)


def block_remote(context) -> list[str]:
    """Refuse every request that leaves this machine; return the list of those refused."""
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        host = url.split("/")[2].split(":")[0] if "://" in url else ""
        if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            return r.continue_()
        blocked.append(url)
        return r.abort()

    context.route("**/*", route)
    return blocked


def plain(markdown: str) -> str:
    """The text a Markdown body shows once its backslash escapes are read."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("\u200b", ""))
