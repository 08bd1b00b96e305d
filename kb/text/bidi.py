"""Bidirectional overrides and isolates can reorder what a reader sees; show them inert."""

_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), "\ufffc")


def neutralise_bidi(value: str) -> str:
    return value.translate(_BIDI_CONTROLS)
