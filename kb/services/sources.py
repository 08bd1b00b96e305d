"""Writes for sources: `source_import` (bytes in, a stored, structured source out, in one
transaction) and `source_reanchor` (carry every mark to a new version of a source)."""
from __future__ import annotations

import copy
import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from simple_history.utils import bulk_update_with_history

from kb.importing.decode import ImportRefused
from kb.importing.prepare import Prepared, document_title, label, prepare
from kb.models import Annotation, Citation, NonClaim, Page, Passage, Section, Source
from kb.services.candidates import candidates_propose
from kb.services.generation import kb_changed
from kb.services.overlaps import source_overlaps_record
from kb.text.anchoring import FUZZY, ORPHANED, POSITION, QUOTE, TextMap, place
from kb.text.dates import parse_event_date
from kb.text.ranges import context, holder
from kb.text.slugs import title_slug


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
    pages: int = 0
    source: Source | None = None
    notes: list[str] = field(default_factory=list)
    # What a new version did to the marks on the old one: {"position": n, ..., "orphaned": n}.
    reanchored: dict[str, int] = field(default_factory=dict)
    prepared: Prepared | None = None
    current: Source | None = None  # the version this import would replace (dry runs)
    # Seconds spent in each stage: decode, structure, store, re-anchoring, copy check, candidates.
    timings: dict[str, float] = field(default_factory=dict)
    # A text too long to mine during the import: candidates wait for `propose_candidates`.
    candidates_deferred: bool = False
    # The imports of the files an e-mail carried (the `import_source` command fills it in).
    attached: list = field(default_factory=list)

    def summary(self) -> str:
        verb = {
            "created": "imported",
            "version": f"imported as version {self.version}",
            "unchanged": "unchanged (same text already imported; nothing new)",
            "dry-run": "checked (dry run, nothing written)",
        }[self.status]
        encoding = f"{self.encoding}, " if self.encoding else ""  # binary formats have none
        pages = f"{self.pages} pages, " if self.pages else ""
        line = (
            f"{self.slug}: {verb}: {self.format}, {encoding}{self.characters:,} characters, {pages}"
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


def source_import(
    *, data: bytes, name: str, metadata: dict | None = None, user=None, dry_run: bool = False,
    is_synthetic: bool = False, candidates: bool = True, copy_check: bool = True,
    prepared: Prepared | None = None, on_stage=None,
) -> ImportResult:
    """Import one document. Same text again creates nothing; changed text makes a new version,
    and the marks on the old version (citations, non-claims, annotations) are re-anchored.

    `copy_check=False` and `candidates=False` leave those steps to the caller (the import job
    runs each in its own transaction; `propose_candidates` mines later). `prepared` is the
    document already decoded and parsed from `data`; `on_stage(stage, seconds)` hears of each
    stage as it ends.

    Two imports of the same slug at the same moment: the one that commits first wins and the
    other, told by the database's unique constraint, tries again and becomes the next version
    (or finds the same text already stored)."""
    began = time.perf_counter()
    timings: dict[str, float] = {}
    metadata = metadata or {}
    if prepared is None:
        prepared = prepare(data, name, timings=timings)
        for stage in ("decode", "structure"):
            _heard(on_stage, stage, timings.get(stage, 0.0))
    title = label(document_title(prepared, metadata, name)) or "Untitled"
    slug = metadata.get("slug") or title_slug(title)[:200].strip("-") or hashlib.sha256(data).hexdigest()[:12]
    structure = prepared.structure

    def result(status, version, source=None, reanchored=None, current=None, deferred=False) -> ImportResult:
        return ImportResult(
            status=status, slug=slug, title=title, version=version, format=prepared.format,
            encoding=prepared.encoding, characters=len(prepared.text),
            sections=len(structure.sections), passages=len(structure.blocks),
            boilerplate=structure.boilerplate_count, seconds=time.perf_counter() - began,
            pages=len(structure.pages),
            source=source, reanchored=reanchored or {}, prepared=prepared, current=current,
            timings=timings, candidates_deferred=deferred,
        )

    for attempt in range(1, IMPORT_RACE_ATTEMPTS + 1):
        try:
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
                kb_changed()
                with _timed(timings, "store", on_stage):
                    source = _store(prepared, metadata, slug=slug, title=title, version=version,
                                    name=name, user=user, is_synthetic=is_synthetic)
                reanchored = None
                if current is not None:
                    with _timed(timings, "re-anchoring", on_stage):
                        reanchored = source_reanchor(old=current, new=source, user=user)
                if copy_check:
                    with _timed(timings, "copy check", on_stage):
                        # First: candidates discount the sources this one copies.
                        source_overlaps_record(source=source)
                deferred = False
                if candidates and len(prepared.text) <= settings.CLAIMBOOK_INLINE_CANDIDATE_CHARS:
                    with _timed(timings, "candidates", on_stage):
                        candidates_propose(source=source)
                elif candidates:
                    # Mining a very long text takes minutes; the import stays quick and says what to run.
                    deferred = True
        except IntegrityError as exc:
            if not _is_slug_race(exc):
                raise
            # Another import of this slug committed first (the unique constraints on slug and
            # version said so): look again, and become the version after it.
            if attempt == IMPORT_RACE_ATTEMPTS:
                raise ImportRefused(
                    "busy", f"{name}: other imports of {slug!r} kept arriving at the same moment; "
                    "nothing was imported from this one, please try again",
                ) from None
            continue
        return result("version" if version > 1 else "created", version, source, reanchored,
                      deferred=deferred)
    raise AssertionError("unreachable")


IMPORT_RACE_ATTEMPTS = 3


def _is_slug_race(exc: IntegrityError) -> bool:
    """The unique constraints on a source's slug (PostgreSQL names them; SQLite names the columns)."""
    message = str(exc)
    return any(name in message for name in (
        "source_slug_version_unique", "source_one_current_version", "kb_source.slug",
    ))


def _heard(on_stage, stage: str, seconds: float) -> None:
    if on_stage is not None:
        on_stage(stage, seconds)


@contextmanager
def _timed(timings: dict, stage: str, on_stage=None):
    began = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - began
    _heard(on_stage, stage, timings[stage])


def _store(prepared: Prepared, metadata: dict, *, slug, title, version, name, user, is_synthetic):
    # What the document says about itself fills the fields the importer left empty.
    metadata = {**prepared.metadata, **{key: value for key, value in metadata.items() if value}}
    published = metadata.get("published") or ""
    published_range = parse_event_date(published) if published else None
    source = Source(
        slug=slug, version=version, is_current=True, title=title,
        kind=metadata.get("kind") or Source.Kind.OTHER,
        publisher=label(metadata.get("publisher")), author=label(metadata.get("author")),
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
    # Uniqueness is the database's to decide (two imports may race): see source_import.
    source.full_clean(exclude=["text", "original"], validate_unique=False, validate_constraints=False)
    source.save()
    structure = prepared.structure
    # Parents before children (a parent's level is always lower), so each section is
    # inserted with its parent already set: no second pass to update parents.
    sections = [
        Section(
            source=source, order=index, title=label(spec.title)[:1000] or "Untitled section",
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
    passages = []
    for index, (block, (start, end), held_by) in enumerate(structure.placed_blocks(), start=1):
        passages.append(
            Passage(
                source=source, section=None if held_by is None else sections[held_by],
                order=index, kind=block.kind, anchor=f"p-{index}", start=start, end=end,
                note=block.note,
            )
        )
    Passage.objects.bulk_create(passages, batch_size=2000)
    Page.objects.bulk_create(
        [Page(source=source, number=number, start=start, end=end)
         for number, (start, end) in enumerate(structure.pages, start=1)],
        batch_size=2000,
    )
    return source


# ---- moving the marks --------------------------------------------------------------------


class _Passages:
    def __init__(self, source):
        rows = list(Passage.objects.filter(source=source).order_by("start").values_list("start", "id"))
        self.starts = [row[0] for row in rows]
        self.ids = [row[1] for row in rows]

    def at(self, position: int) -> int | None:
        index = holder(self.starts, position)
        return None if index is None else self.ids[index]


# What each kind of mark keeps beside its range and quote: the contract re-anchoring writes to.
_MARK_FIELDS = {
    Citation: ("prefix", "suffix", "passage", "anchoring", "anchoring_score"),
    NonClaim: (),
    Annotation: ("prefix", "suffix", "anchoring"),
}


def _save(model, objects, fields, *, user=None, before=None):
    """bulk_update, with history records where the model keeps history."""
    if not objects:
        return
    if hasattr(model, "history"):
        if before:
            _record_previous_state(model, before)
        bulk_update_with_history(objects, model, fields, batch_size=500, default_user=user)
    else:
        model.objects.bulk_update(objects, fields, batch_size=500)


def _record_previous_state(model, before):
    """Marks with no history yet get a record of their old state, so the old quote is kept."""
    history = model.history.model
    known = set(history.objects.filter(id__in=[obj.pk for obj in before]).values_list("id", flat=True))
    missing = [obj for obj in before if obj.pk not in known]
    for obj in missing:
        obj._change_reason = "before re-anchoring"
    if missing:
        model.history.bulk_history_create(missing, batch_size=500, update=True)


def _move(model, marks, *, new, mappings, passages, user, counts, reason_prefix):
    """Place each mark on `new`; save the moved ones and mark the rest orphaned."""
    extra = _MARK_FIELDS[model]
    has_prefix, has_anchoring = "prefix" in extra, "anchoring" in extra
    has_score, has_passage = "anchoring_score" in extra, "passage" in extra
    moved, before = [], []
    for mark in marks:
        mapping = mappings[mark.source_id]
        placement = place(
            mapping, start=mark.start, end=mark.end, quote=mark.quote,
            prefix=mark.prefix if has_prefix else "",
            suffix=mark.suffix if has_prefix else "",
        )
        counts[placement.method] += 1
        before.append(copy.copy(mark))
        if placement.placed:
            mark.source_id = new.pk
            mark.start, mark.end = placement.start, placement.end
            mark.quote = new.text[placement.start : placement.end]
            if has_prefix:
                mark.prefix, mark.suffix = context(new.text, placement.start, placement.end)
            if has_passage:
                mark.passage_id = passages.at(placement.start)
            if has_anchoring:
                mark.anchoring = "fuzzy" if placement.method == FUZZY else "exact"
            if has_score:
                mark.anchoring_score = placement.score if placement.method == FUZZY else None
            mark._change_reason = (
                f"{reason_prefix} v{new.version} by {placement.method}"
                + (f" (score {placement.score:.2f})" if placement.method == FUZZY else "")
            )
        else:
            if has_anchoring:
                mark.anchoring = "orphaned"
            if has_score:
                mark.anchoring_score = None
            mark._change_reason = f"orphaned: not found in v{new.version}"
        moved.append(mark)
    fields = ["source", "start", "end", "quote", *extra]
    _save(model, moved, fields, user=user, before=before)


def source_reanchor(*, old, new, user=None) -> dict:
    """Carry every mark on `old` (and marks orphaned from earlier versions) over to `new`.

    Returns the counts by method: {"position": n, "quote": n, "fuzzy": n, "orphaned": n}.
    """
    kb_changed()
    counts = {POSITION: 0, QUOTE: 0, FUZZY: 0, ORPHANED: 0}
    passages = _Passages(new)
    earlier = Source.objects.filter(slug=old.slug).exclude(pk__in=[old.pk, new.pk])
    texts = {old.pk: old.text}
    mappings: dict[int, TextMap] = {}

    def mapping_for(source_ids):
        missing = [pk for pk in source_ids if pk not in texts]
        texts.update(Source.objects.filter(pk__in=missing).values_list("pk", "text"))
        for pk in source_ids:
            if pk not in mappings:
                mappings[pk] = TextMap(texts[pk], new.text)
        return mappings

    groups = [(Citation, Citation.objects.filter(source=old)),
              (Citation, Citation.objects.filter(source__in=earlier, anchoring="orphaned")),
              (NonClaim, NonClaim.objects.filter(source=old))]
    groups += [(Annotation, Annotation.objects.filter(source=old, start__isnull=False)),
               (Annotation, Annotation.objects.filter(source__in=earlier, start__isnull=False,
                                                      anchoring="orphaned"))]
    for model, queryset in groups:
        marks = list(queryset.order_by("pk"))
        if not marks:
            continue
        _move(model, marks, new=new, mappings=mapping_for({m.source_id for m in marks}),
              passages=passages, user=user, counts=counts, reason_prefix="re-anchored to")
    return counts
