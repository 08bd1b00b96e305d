"""Reads for candidate claims: what the extractor needs from the knowledge base, and the preview."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from kb.extraction.candidates import ClaimMatcher, Context, Proposal, extract
from kb.extraction.dates import event_date
from kb.extraction.entities import EntityIndex
from kb.extraction.segment import blocks_from_structure
from kb.models import Citation, Claim, Entity, Source
from kb.selectors.overlaps import derived_pairs
from kb.text.dates import EventDate


def entity_index() -> EntityIndex:
    return EntityIndex(Entity.objects.values_list("slug", "name", "aliases"))


def claim_matcher(*, exclude_slug: str | None = None) -> ClaimMatcher:
    """Published claims, leaving out those already cited in a source with `exclude_slug`
    (a sentence restating a claim its own source already carries is no new citation)."""
    claims = Claim.objects.published().filter(merged_into__isnull=True)
    if exclude_slug:
        claims = claims.exclude(citations__source__slug=exclude_slug)
    claim_rows = list(claims.values_list("id", "statement"))
    quotes = list(
        Citation.objects.filter(claim__in=claims).exclude(anchoring="orphaned")
        .values_list("claim_id", "quote", "source_id")
    )
    titles = dict(Source.objects.filter(pk__in={sid for _, _, sid in quotes}).values_list("pk", "title"))
    return ClaimMatcher([(cid, text, None) for cid, text in claim_rows] + quotes, titles)


def extraction_context(*, reliability: str, published, slug: str, source_id: int | None = None,
                       skip_ranges=()) -> Context:
    return Context(
        reliability=reliability or "F", published=_published(published), slug=slug, source_id=source_id,
        entity_index=entity_index(), matcher=claim_matcher(exclude_slug=slug or None),
        derived_pairs=derived_pairs(), skip_ranges=list(skip_ranges),
    )


def _published(value) -> EventDate | None:
    if not value:
        return None
    if isinstance(value, EventDate):
        return value
    try:
        return event_date(str(value))
    except ValidationError:  # a bad date in metadata is the importer's to refuse, not ours
        return None


def preview_candidates(text: str, structure, *, metadata: dict | None = None) -> list[Proposal]:
    """Proposals for a text not yet stored (nothing is written). `structure` is the importer's
    parse (`kb.importing.structure.Structure`) or a list of Blocks; `metadata` may give
    reliability, published (EDTF) and slug, as the import form does."""
    metadata = metadata or {}
    blocks = structure if isinstance(structure, list) else blocks_from_structure(structure)
    context = extraction_context(reliability=metadata.get("reliability"), published=metadata.get("published"),
                                 slug=metadata.get("slug") or "")
    return extract(text, blocks, context)


@lru_cache(maxsize=8)
def _curated_slugs(signature: tuple) -> frozenset[str]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    slugs = set()
    for path, _mtime in signature:
        try:
            data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader) or {}
        except (OSError, yaml.YAMLError):
            continue
        for claim in data.get("claims") or []:
            slugs.update(c.get("source") for c in claim.get("citations") or [] if isinstance(c, dict))
    slugs.discard(None)
    return frozenset(slugs)


def curated_source_slugs() -> frozenset[str]:
    """Slugs of the sources the curated fixtures (fixtures/claims/) cite: curated by hand."""
    root = Path(settings.CLAIMBOOK_FIXTURES_DIR)
    paths = sorted((root / "claims").rglob("*.y*ml")) if root.exists() else []
    return _curated_slugs(tuple((str(p), p.stat().st_mtime_ns) for p in paths))
