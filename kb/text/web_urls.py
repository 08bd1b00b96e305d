"""Which web addresses a reference or a source may carry: http and https only, and a refusal
that says why (a `javascript:` link would run code in the browser of whoever follows it)."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Browsers drop tabs, line breaks and leading spaces from an address: "java\tscript:" is javascript:.
_IGNORED = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(url: str) -> str:
    """The scheme a browser would read in `url`, in lower case ("" when there is none)."""
    match = _SCHEME.match(_IGNORED.sub("", url or ""))
    return match[1].lower() if match and "." not in match[1] else ""


def check_web_url(url: str, *, scheme_required: bool = True) -> None:
    """Refuse (code url_scheme) an address that is not http or https, saying why. Without
    `scheme_required`, an address with no scheme passes (a form adds https:// to it)."""
    scheme = url_scheme(url)
    if scheme in ("http", "https") or (not scheme and not scheme_required):
        return
    if not scheme:
        raise ValidationError("Give the whole address, starting with https:// or http://.", code="url_scheme")
    raise ValidationError(
        "“%(scheme)s:” addresses are refused: only http and https links are kept, because other kinds "
        "(javascript:, data:, file:) can run code or open files on the reader's computer.",
        code="url_scheme", params={"scheme": scheme},
    )
