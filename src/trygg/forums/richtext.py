"""Formatted text for agendas and minutes (minnesanteckningar): always stored sanitised.

People either type plain text – blank lines separate paragraphs, lines that start with "- "
or "1. " become lists – or paste HTML (from Word or an e-mail). Either way the result is
cleaned with nh3 down to a small set of tags, so that no script, style or event handler can
reach another user's browser.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "h3",
    "h4",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
# Word and browsers paste <b>/<i>; keep their meaning before nh3 drops unknown tags.
_SYNONYMS = [
    (re.compile(r"<(/?)b(\s[^>]*)?>", re.I), r"<\1strong>"),
    (re.compile(r"<(/?)i(\s[^>]*)?>", re.I), r"<\1em>"),
]


def sanitise(text: str | None) -> str:
    """Safe HTML for the given plain text or HTML; empty input gives an empty string."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        text = plain_to_html(text)
    for pattern, replacement in _SYNONYMS:
        text = pattern.sub(replacement, text)
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return cleaned.strip()


def plain_to_html(text: str) -> str:
    """Paragraphs, line breaks and simple lists from plain text, with everything escaped."""
    blocks = re.split(r"\n\s*\n", text.strip())
    html = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if lines and all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{escape(_BULLET.match(line).group(1))}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        elif lines and all(_NUMBERED.match(line) for line in lines):
            items = "".join(f"<li>{escape(_NUMBERED.match(line).group(1))}</li>" for line in lines)
            html.append(f"<ol>{items}</ol>")
        else:
            html.append("<p>" + "<br>".join(escape(line.strip()) for line in lines) + "</p>")
    return "".join(html)


def to_plain(html: str) -> str:
    """Text without tags, for exports and calendar descriptions."""
    text = re.sub(r"<br\s*/?>|</p>|</li>|</h[34]>|</tr>", "\n", html or "")
    text = nh3.clean(text, tags=set())
    from html import unescape

    return re.sub(r"\n{3,}", "\n\n", unescape(text)).strip()
