"""The one place editor-written text becomes HTML: escaped, with links, through bleach."""

from __future__ import annotations

import re

import bleach
from bleach.linkifier import Linker
from django.utils.safestring import SafeString, mark_safe

SAFE_SCHEMES = ("http", "https")
PARAGRAPHS = re.compile(r"\n\s*\n")


def _link_attrs(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not href.lower().startswith(tuple(f"{scheme}://" for scheme in SAFE_SCHEMES)):
        return None  # not a web link: leave the text unlinked
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_linker = Linker(callbacks=[_link_attrs], parse_email=False)


def render_note(text: str) -> SafeString:
    """Plain text -> paragraphs with web links (rel="nofollow noopener"); no other markup.

    Any HTML the editor typed is shown as text: no scripts, styles or event handlers survive.
    """
    escaped = bleach.clean(text or "", tags=set(), attributes={}, strip=False)
    html = _linker.linkify(escaped)
    paragraphs = [p.strip().replace("\n", "<br>") for p in PARAGRAPHS.split(html) if p.strip()]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))
