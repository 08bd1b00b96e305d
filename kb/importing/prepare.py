"""Bytes to a prepared text: decoded, format detected, structure found. Nothing is stored."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kb.importing import structure as st
from kb.importing.decode import ImportRefused, decode
from kb.text.bidi import neutralise_bidi


@dataclass
class Prepared:
    """A document decoded and parsed, ready to be stored."""

    text: str
    encoding: str
    format: str
    sha256: str
    structure: st.Structure
    original: bytes | None


def check_size(size: int, name: str) -> None:
    limit = settings.CLAIMBOOK_MAX_IMPORT_BYTES
    if size > limit:
        raise ImportRefused(
            "too_large",
            f"{name}: the file is {size:,} bytes, over the {limit:,}-byte limit "
            "(CLAIMBOOK_MAX_IMPORT_BYTES)",
        )


def prepare(data: bytes, name: str, *, timings: dict | None = None) -> Prepared:
    """Decode and parse; raise ImportRefused naming `name` and the reason. `timings`, when
    given, receives the seconds spent in "decode" and "structure"."""
    check_size(len(data), name)
    began = time.perf_counter()
    try:
        decoded = decode(data)
        text, fmt, original = decoded.text, st.detect_format(decoded.text), None
        if fmt == "html":
            from kb.importing.html import html_to_text

            text, original = html_to_text(text), data
            fmt_for_parse = "markdown"
        else:
            fmt_for_parse = fmt
        if not text.strip():
            raise ImportRefused("empty", "the document holds no readable text")
        decoded_at = time.perf_counter()
        structure = st.parse(text, fmt_for_parse)
    except ImportRefused as refused:
        raise ImportRefused(refused.code, f"{name}: {refused.message}") from None
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if timings is not None:
        timings["decode"] = decoded_at - began
        timings["structure"] = time.perf_counter() - decoded_at
    return Prepared(text, decoded.encoding, fmt, sha, structure, original)


def document_title(prepared: Prepared, metadata: dict, name: str) -> str:
    if metadata.get("title"):
        return metadata["title"]
    top = [s for s in prepared.structure.sections if s.level == 1]
    if top:
        return top[0].title[:500]
    return Path(name).stem.replace("_", " ").replace("-", " ").strip()[:500] or "Untitled"


def label(value: str) -> str:
    """A title or name shown on pages: bidirectional overrides made inert (the text keeps them)."""
    return neutralise_bidi(value or "").strip()
