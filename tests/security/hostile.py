"""Hostile values and the parameters they go into, shared by the fuzzing tests (no tests here)."""
from __future__ import annotations

import inspect
from urllib.parse import quote

from django import forms as django_forms

HOSTILE = [
    "\x00", "a\x00b", "\ud800", "x\udfffy", "x" * 10_000, "²", "١٢٣", "0000", "10000", "0000-05", "9999-12",
    "9999-12-31", "Y17E999", "Y-99999999999", "-1", "99999999999999999999999", "1e309", "NaN", "",
    "<script>alert(1)</script>", "/\\evil.example/x", "../../etc/passwd", "' OR 1=1 --", "%", "\\", "\u202e\u2066",
    "p-1:0", "p-99999:999999999", "on", "[]", "{}", "\r\n\t", "\ufeff", "🙂" * 500,
]

# Parameters read straight from the query string or body, beside the forms' own fields.
DIRECT = [
    "page", "claim", "from", "to", "quote", "start", "end", "next", "version", "token", "action", "format",
    "o", "p", "e", "q", "all", "_changelist_filters", "_popup", "_to_field", "_save", "_continue",
    "status__exact", "kind__exact", "is_hidden__exact", "credibility__exact", "origin__exact", "type__exact",
    "reliability__exact", "is_current__exact", "level", "reason__exact", "decision__exact", "term", "app_label",
    "model_name", "field_name", "_selected_action", "index", "select_across", "post", "language", "cursor",
]


def form_field_names() -> set[str]:
    """Every field of every form the app declares (kb.forms), as they arrive by name."""
    import kb.forms
    import kb.forms.claim_filters
    import kb.forms.editing
    import kb.forms.sources

    names: set[str] = set()
    for module in (kb.forms, kb.forms.claim_filters, kb.forms.editing, kb.forms.sources):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_forms.BaseForm) and hasattr(cls, "base_fields"):
                names.update(cls.base_fields)
    return names


def parameter_names() -> list[str]:
    return sorted(form_field_names() | set(DIRECT))


def encode(value: str) -> str:
    """Percent-encoded as a client would send it; lone surrogates as the bytes of their UTF-8-like form."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


# A NUL anywhere in a query string is refused whole (kb.middleware.RefuseNulMiddleware, tested
# on its own), so query strings carry the other values, to reach the code behind.
QUERY_HOSTILE = [value for value in HOSTILE if "\x00" not in value]


def hostile_query(names: list[str], turn: int, values: list[str] = HOSTILE) -> str:
    """Every parameter twice (a repeated key), each with a different hostile value; `turn`
    rotates the values so that across turns every parameter meets every value."""
    pairs = []
    for index, name in enumerate(names):
        for shift in (0, 11):
            pairs.append(f"{encode(name)}={encode(values[(turn + index + shift) % len(values)])}")
    return "&".join(pairs)
