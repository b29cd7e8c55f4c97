"""User and data text inside Streamlit's Markdown elements, shown as plain text.

st.warning, st.error, st.info, st.success, st.caption and st.markdown all read their
body as Markdown: a link's ``![x](http://host/a.png)`` would make the browser fetch a
remote image, ``[text](url)`` would become a link inside our own message,
``:red[...]``, ``$...$`` and ``:smile:`` would change what is shown. Every message
that quotes a link, a file name, a store path or an event's text goes through
``plain`` first.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation mark
_LINKED_AFTER = re.compile(r"[:@]|(?i:www)(?=\.)")  # what bare links and :emoji: codes need
_BREAK = "\u200b"                                   # zero-width space: invisible


def plain(text: str) -> str:
    """``text`` as Markdown that renders to that very text (with invisible breaks), on one line.

    CommonMark lets any ASCII punctuation mark be backslash-escaped, which ends every
    construct the parser reads (links, images, HTML, emphasis, code, maths, Streamlit's
    colour directives). Bare links (``http://``, ``www.``, ``a@b.org``) and ``:emoji:``
    codes are found later, in the parsed text, where escapes are gone: a zero-width
    space after each ``:`` and ``@`` and inside ``www.`` breaks them. Control characters
    and line breaks become spaces.
    """
    text = "".join(c if c.isprintable() else " " for c in str(text))
    text = _LINKED_AFTER.sub(lambda m: m.group() + _BREAK, text)
    return _PUNCTUATION.sub(r"\\\1", text)
