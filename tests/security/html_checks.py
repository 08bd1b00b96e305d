"""What the Content-Security-Policy needs of a page: no inline script, style or event handler
(this module holds no tests)."""
from __future__ import annotations

from html.parser import HTMLParser

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}  # data, never run


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not attributes.get("src") and (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self._in_inline_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")


def inline_code(html: str) -> list[str]:
    """Every inline script, style element, style attribute and on* handler in `html`."""
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found
