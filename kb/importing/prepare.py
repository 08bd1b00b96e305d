"""Bytes to a prepared text: decoded, format detected, structure found. Nothing is stored."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
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
    # What the document says about itself (title, author, published...), and what it carries
    # (an e-mail's attachments); see kb.importing.document.Extracted.
    metadata: dict = field(default_factory=dict)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sampled: bool = False  # see Extracted.sampled


def check_size(size: int, name: str) -> None:
    limit = settings.CLAIMBOOK_MAX_IMPORT_BYTES
    if size > limit:
        raise ImportRefused(
            "too_large",
            f"{name}: the file is {size:,} bytes, over the {limit:,}-byte limit "
            "(CLAIMBOOK_MAX_IMPORT_BYTES)",
        )


def prepare(data: bytes, name: str, *, timings: dict | None = None, preview: bool = False) -> Prepared:
    """Decode and parse; raise ImportRefused naming `name` and the reason. `timings`, when
    given, receives the seconds spent in "decode" and "structure". `preview` reads only the
    first pages of a long PDF (the import page's preview stays within a request's time)."""
    check_size(len(data), name)
    began = time.perf_counter()
    try:
        extracted = _extract(data, name, preview=preview)
    except ImportRefused as refused:
        raise ImportRefused(refused.code, f"{name}: {refused.message}") from None
    if extracted is not None:
        decoded_at = time.perf_counter()
        structure = st.assemble(extracted.text, extracted.blocks, pages=extracted.pages)
        if timings is not None:
            timings["decode"] = decoded_at - began
            timings["structure"] = time.perf_counter() - decoded_at
        sha = hashlib.sha256(extracted.text.encode("utf-8")).hexdigest()
        return Prepared(extracted.text, "", extracted.format, sha, structure, data,
                        metadata=extracted.metadata, attachments=extracted.attachments,
                        notes=extracted.notes, sampled=extracted.sampled)
    try:
        decoded = decode(data)
        text, fmt, original, found = decoded.text, st.detect_format(decoded.text), None, {}
        if fmt == "html":
            from kb.importing.html import html_to_text
            from kb.importing.page_metadata import page_metadata

            text, original, found = html_to_text(text), data, page_metadata(text)
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
    return Prepared(text, decoded.encoding, fmt, sha, structure, original, metadata=found)


def _extract(data: bytes, name: str, *, preview: bool):
    """The formats read from bytes by their own reader (PDF, Word, e-mail), or None for a text
    format. Each is recognised from its bytes (an e-mail also from its name)."""
    from kb.importing import mail, pdf, word

    if pdf.is_pdf(data):
        text = pdf.read_pdf(
            data, max_pages=settings.CLAIMBOOK_MAX_PDF_PAGES,
            max_inflated=settings.CLAIMBOOK_MAX_INFLATED_BYTES,
            sample_pages=settings.CLAIMBOOK_PREVIEW_PDF_PAGES if preview else None,
        )
    elif word.is_docx(data, name):
        text = word.read_docx(data, max_inflated=settings.CLAIMBOOK_MAX_INFLATED_BYTES)
    elif mail.is_email(data, name):
        text = mail.read_email(data, max_attachments=settings.CLAIMBOOK_MAX_BATCH_FILES)
    else:
        return None
    if not text.text.strip():
        raise ImportRefused("empty", "the document holds no readable text")
    return text


def document_title(prepared: Prepared, metadata: dict, name: str) -> str:
    if metadata.get("title"):
        return metadata["title"]
    if prepared.metadata.get("title"):
        return prepared.metadata["title"]
    top = [s for s in prepared.structure.sections if s.level == 1]
    if top:
        return top[0].title[:500]
    return Path(name).stem.replace("_", " ").replace("-", " ").strip()[:500] or "Untitled"


def label(value: str) -> str:
    """A title or name shown on pages: bidirectional overrides made inert (the text keeps them)."""
    return neutralise_bidi(value or "").strip()
