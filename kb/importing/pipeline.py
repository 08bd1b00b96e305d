"""`source_import`: bytes in, a stored, structured source out, in one transaction."""
from __future__ import annotations

import bisect
import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from kb.dates import parse_event_date
from kb.importing import structure as st
from kb.importing.decode import ImportRefused, decode
from kb.models import Passage, Section, Source
from kb.rendering import neutralise_bidi


@dataclass
class Prepared:
    """A document decoded and parsed, ready to be stored."""

    text: str
    encoding: str
    format: str
    sha256: str
    structure: st.Structure
    original: bytes | None


@dataclass
class ImportResult:
    status: str  # created | version | unchanged | dry-run
    slug: str
    title: str
    version: int
    format: str
    encoding: str
    characters: int
    sections: int
    passages: int
    boilerplate: int
    seconds: float
    source: Source | None = None
    notes: list[str] = field(default_factory=list)
    # What a new version did to the marks on the old one: {"position": n, ..., "orphaned": n}.
    reanchored: dict[str, int] = field(default_factory=dict)
    prepared: Prepared | None = None
    current: Source | None = None  # the version this import would replace (dry runs)
    # Seconds spent in each stage: decode+structure, store, re-anchor, overlaps, candidates.
    timings: dict[str, float] = field(default_factory=dict)
    # A text too long to mine during the import: candidates wait for `propose_candidates`.
    candidates_deferred: bool = False

    def summary(self) -> str:
        verb = {
            "created": "imported",
            "version": f"imported as version {self.version}",
            "unchanged": "unchanged (same text already imported; nothing new)",
            "dry-run": "checked (dry run, nothing written)",
        }[self.status]
        line = (
            f"{self.slug}: {verb}: {self.format}, {self.encoding}, {self.characters:,} characters, "
            f"{self.sections} sections, {self.passages} passages ({self.boilerplate} boilerplate) "
            f"in {self.seconds:.2f}s"
        )
        if self.reanchored:
            line += "; " + reanchoring_summary(self.reanchored)
        if self.candidates_deferred:
            line += f"; candidate claims deferred (long text): run `manage.py propose_candidates {self.slug}`"
        return line


def reanchoring_summary(counts: dict[str, int]) -> str:
    return (
        f"marks carried over: {counts.get('position', 0)} by position, "
        f"{counts.get('quote', 0)} by quote, {counts.get('fuzzy', 0)} fuzzy, "
        f"{counts.get('orphaned', 0)} orphaned"
    )


def check_size(size: int, name: str) -> None:
    limit = settings.CLAIMBOOK_MAX_IMPORT_BYTES
    if size > limit:
        raise ImportRefused(
            "too_large",
            f"{name}: the file is {size:,} bytes, over the {limit:,}-byte limit "
            "(CLAIMBOOK_MAX_IMPORT_BYTES)",
        )


def prepare(data: bytes, name: str) -> Prepared:
    """Decode and parse; raise ImportRefused naming `name` and the reason."""
    check_size(len(data), name)
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
        structure = st.parse(text, fmt_for_parse)
    except ImportRefused as refused:
        raise ImportRefused(refused.code, f"{name}: {refused.message}") from None
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Prepared(text, decoded.encoding, fmt, sha, structure, original)


def _title(prepared: Prepared, metadata: dict, name: str) -> str:
    if metadata.get("title"):
        return metadata["title"]
    top = [s for s in prepared.structure.sections if s.level == 1]
    if top:
        return top[0].title[:500]
    return Path(name).stem.replace("_", " ").replace("-", " ").strip()[:500] or "Untitled"


def _label(value: str) -> str:
    """A title or name shown on pages: bidirectional overrides made inert (the text keeps them)."""
    return neutralise_bidi(value or "").strip()


def source_import(
    *, data: bytes, name: str, metadata: dict | None = None, user=None, dry_run: bool = False,
    is_synthetic: bool = False, candidates: bool = True,
) -> ImportResult:
    """Import one document. Same text again creates nothing; changed text makes a new version,
    and the marks on the old version (citations, non-claims, annotations) are re-anchored.
    The copy check always runs; `candidates=False` leaves candidate claims for a later
    `propose_candidates` run (large batches)."""
    began = time.perf_counter()
    timings: dict[str, float] = {}
    metadata = metadata or {}
    prepared = prepare(data, name)
    timings["decode+structure"] = time.perf_counter() - began
    title = _label(_title(prepared, metadata, name)) or "Untitled"
    slug = metadata.get("slug") or slugify(title)[:200] or hashlib.sha256(data).hexdigest()[:12]
    structure = prepared.structure

    deferred = False

    def result(status, version, source=None, reanchored=None, current=None) -> ImportResult:
        return ImportResult(
            status=status, slug=slug, title=title, version=version, format=prepared.format,
            encoding=prepared.encoding, characters=len(prepared.text),
            sections=len(structure.sections), passages=len(structure.blocks),
            boilerplate=structure.boilerplate_count, seconds=time.perf_counter() - began,
            source=source, reanchored=reanchored or {}, prepared=prepared, current=current,
            timings=timings, candidates_deferred=deferred,
        )

    with transaction.atomic():
        current = Source.objects.select_for_update().filter(slug=slug, is_current=True).first()
        if current is not None and current.sha256 == prepared.sha256:
            return result("unchanged", current.version, current)
        version = current.version + 1 if current else 1
        if dry_run:
            return result("dry-run", version, current=current)
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        with _timed(timings, "store"):
            source = _store(prepared, metadata, slug=slug, title=title, version=version, name=name,
                            user=user, is_synthetic=is_synthetic)
        reanchored = None
        if current is not None:
            from kb.anchoring import reanchor_source

            with _timed(timings, "re-anchor"):
                reanchored = reanchor_source(old=current, new=source, user=user)
        from kb import overlap
        from kb.extraction.candidates import propose_candidates

        with _timed(timings, "overlaps"):
            overlap.record_overlaps(source)  # first: candidates discount sources this one copies
        if candidates and len(prepared.text) <= settings.CLAIMBOOK_INLINE_CANDIDATE_CHARS:
            with _timed(timings, "candidates"):
                propose_candidates(source)
        elif candidates:
            # Mining a very long text takes minutes; the import stays quick and says what to run.
            deferred = True
    return result("version" if version > 1 else "created", version, source, reanchored)


@contextmanager
def _timed(timings: dict, stage: str):
    began = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = time.perf_counter() - began


def _store(prepared: Prepared, metadata: dict, *, slug, title, version, name, user, is_synthetic):
    published = metadata.get("published") or ""
    published_range = parse_event_date(published) if published else None
    source = Source(
        slug=slug, version=version, is_current=True, title=title,
        kind=metadata.get("kind") or Source.Kind.OTHER,
        publisher=_label(metadata.get("publisher")), author=_label(metadata.get("author")),
        url=metadata.get("url") or "", published_edtf=published,
        published_earliest=published_range.earliest if published_range else None,
        published_latest=published_range.latest if published_range else None,
        retrieved=metadata.get("retrieved"), language=metadata.get("language") or "en",
        reliability=metadata.get("reliability") or "F",
        reliability_note=metadata.get("reliability_note") or "",
        format=prepared.format, encoding=prepared.encoding, filename=Path(name).name[:500],
        text=prepared.text, text_length=len(prepared.text), sha256=prepared.sha256,
        original=prepared.original, imported_by=user, is_synthetic=is_synthetic,
    )
    source.full_clean(exclude=["text", "original"])
    source.save()
    structure = prepared.structure
    # Parents before children (a parent's level is always lower), so each section is
    # inserted with its parent already set: no second pass to update parents.
    sections = [
        Section(
            source=source, order=index, title=_label(spec.title)[:1000] or "Untitled section",
            level=spec.level, anchor=spec.anchor, heading_start=spec.heading_start,
            heading_end=spec.heading_end, start=spec.start, end=spec.end,
        )
        for index, spec in enumerate(structure.sections, start=1)
    ]
    for level in range(1, 7):
        batch = []
        for section, spec in zip(sections, structure.sections):
            if spec.level == level:
                section.parent = sections[spec.parent] if spec.parent is not None else None
                batch.append(section)
        Section.objects.bulk_create(batch, batch_size=1000)
    # The innermost section holding a passage is the last section starting at or before it.
    starts = [spec.start for spec in structure.sections]
    passages = []
    for index, (block, (start, end)) in enumerate(zip(structure.blocks, structure.ranges), start=1):
        position = bisect.bisect_right(starts, block.start) - 1
        passages.append(
            Passage(
                source=source, section=sections[position] if position >= 0 else None,
                order=index, kind=block.kind, anchor=f"p-{index}", start=start, end=end,
                note=block.note,
            )
        )
    Passage.objects.bulk_create(passages, batch_size=2000)
    return source
