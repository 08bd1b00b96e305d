"""Re-anchoring: carry citations from one version of a source to the next."""
from __future__ import annotations


def reanchor_source(*, old, new) -> dict:
    """Placeholder replaced below by the full re-anchoring (position, quote, fuzzy)."""
    return {}
