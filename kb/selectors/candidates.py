"""Reads for candidate claims: what the extractor needs from the knowledge base, and the preview."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from kb.extraction.candidates import ClaimMatcher, Context, Proposal, extract
from kb.extraction.dates import event_date
from kb.extraction.entities import EntityIndex
from kb.extraction.segment import blocks_from_structure
from django.db import connection
from django.db.models import Q

from kb.models import Citation, Claim, Entity, Source, SourceLink
from kb.text.dates import EventDate


def entity_index() -> EntityIndex:
    return EntityIndex(Entity.objects.values_list("slug", "name", "aliases"))


# SQLite has no trigram index: the shortlist is the published claims sharing an entity with the
# document, newest first, at most this many (bounded whatever the corpus size).
SHORTLIST_CAP = 2000
# PostgreSQL: the closest claims per candidate, statements and quotes each, among those whose
# full-text vector (GIN-indexed, migration 0005) holds at least two of the candidate's key words.
TOP_K = 5
KEY_WORDS = 4
MATCHES_RANKED = 300  # index matches ranked by similarity per candidate, at most: bounded work per candidate
_STATEMENTS_PER_QUERY = 200
_STOPWORDS = frozenset(
    "about above after again against also among and another any are because been before being below between "
    "both but could did does doing down during each even every from further had has have having here into its "
    "itself just made make many more most much must next not now off once only other our out over own same "
    "says said should since some such than that the their them then there these they this those through under "
    "until upon very was were what when where which while who whom will with within without would year years "
    "according reportedly allegedly apparently official officials unnamed anonymous source sources reported "
    "reports stated claimed told added noted percent million billion thousand".split()
)
_WORD = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*")


def key_words(statement: str) -> list[str]:
    """The words that best find a claim stating the same thing: the longest plain words first,
    then names (a knowledge base about Hamas names Hamas everywhere), figures last (a newer
    figure must still find the claim it updates); no stop words; at most KEY_WORDS, in lower
    case, letters and digits only."""
    seen, scored = set(), []
    for position, word in enumerate(_WORD.findall(statement)):
        clean = re.sub(r"[^0-9a-z]", "", word.lower())
        if len(clean) < 4 and not clean.isdigit() or clean in _STOPWORDS or clean in seen or len(clean) < 2:
            continue
        seen.add(clean)
        name = word[:1].isupper() and position > 0
        scored.append((2 if clean.isdigit() else 1 if name else 0, -len(clean), position, clean))
    return [word for *_, word in sorted(scored)[:KEY_WORDS]]


def _tsquery(words: list[str]) -> str:
    """Any two of the key words: "(a & b) | (a & c) | …"; one word alone when there is one."""
    from itertools import combinations

    if len(words) < 2:
        return words[0] if words else ""
    return " | ".join("(" + " & ".join(group) + ")" for group in combinations(words, 2))


def _fulltext_ids(statements: list[str], exclude_slug: str | None) -> set[int]:
    """Published claims whose statement or a quote holds two of a candidate's key words, found
    through the GIN full-text indexes; the TOP_K most trigram-similar per candidate."""
    queries = [q for q in (_tsquery(key_words(text)) for text in statements) if q]
    if not queries:
        return set()
    exclude, params_tail = "", []
    if exclude_slug:
        exclude = ("AND NOT EXISTS (SELECT 1 FROM kb_citation x JOIN kb_source s ON s.id = x.source_id "
                   "WHERE x.claim_id = c.id AND s.slug = %s)")
        params_tail = [exclude_slug]
    texts = {q: t for t in statements for q in [_tsquery(key_words(t))] if q}
    sql = f"""
        SELECT m.id FROM unnest(%s::text[], %s::text[]) AS q(query, t) CROSS JOIN LATERAL (
            SELECT c.id FROM (
                SELECT c.id, c.statement FROM kb_claim c
                WHERE to_tsvector('english'::regconfig, COALESCE(c.statement, '')) @@ to_tsquery('english', q.query)
                  AND c.status = 'published' AND c.merged_into_id IS NULL {exclude}
                LIMIT {MATCHES_RANKED}) c
            ORDER BY similarity(c.statement, q.t) DESC LIMIT {TOP_K}) m
        UNION
        SELECT m.claim_id FROM unnest(%s::text[], %s::text[]) AS q(query, t) CROSS JOIN LATERAL (
            SELECT ci.claim_id FROM (
                SELECT ci.claim_id, ci.quote FROM kb_citation ci JOIN kb_claim c ON c.id = ci.claim_id
                WHERE to_tsvector('english'::regconfig, COALESCE(ci.quote, '')) @@ to_tsquery('english', q.query)
                  AND c.status = 'published' AND c.merged_into_id IS NULL AND ci.anchoring <> 'orphaned' {exclude}
                LIMIT {MATCHES_RANKED}) ci
            ORDER BY similarity(ci.quote, q.t) DESC LIMIT {TOP_K}) m
    """
    ids: set[int] = set()
    pairs = list(texts.items())
    with connection.cursor() as cursor:
        for at in range(0, len(pairs), _STATEMENTS_PER_QUERY):
            chunk = pairs[at : at + _STATEMENTS_PER_QUERY]
            q_list, t_list = [q for q, _ in chunk], [t[:1000] for _, t in chunk]
            cursor.execute(sql, [q_list, t_list, *params_tail, q_list, t_list, *params_tail])
            ids.update(row[0] for row in cursor.fetchall())
    return ids


def claim_shortlist(proposals: list[Proposal], *, exclude_slug: str | None = None) -> ClaimMatcher:
    """A matcher over the published claims that may state what these proposals state, found in
    the database so that nothing loaded grows with the knowledge base: trigram top-k on
    PostgreSQL (full-text key words, then trigram similarity), on SQLite the claims sharing one of
    the proposals' entities (newest
    SHORTLIST_CAP). Claims already cited in the source with `exclude_slug` are left out (a
    sentence restating a claim its own source carries is no new citation)."""
    claims = Claim.objects.published().filter(merged_into__isnull=True)
    if exclude_slug:
        claims = claims.exclude(citations__source__slug=exclude_slug)
    if connection.vendor == "postgresql":
        ids = _fulltext_ids([p.statement for p in proposals], exclude_slug)
    else:
        slugs = {slug for p in proposals for slug in p.entities}
        ids = set(claims.filter(entities__slug__in=slugs).order_by("-id").values_list("id", flat=True)
                  .distinct()[:SHORTLIST_CAP]) if slugs else set()
    return _matcher(ids)


def statement_shortlist(statement: str) -> ClaimMatcher:
    """A matcher over the published claims that may state what one new statement states (an
    editor's new claim): on PostgreSQL as for candidates; on SQLite the newest SHORTLIST_CAP
    claims whose statement holds two of its key words."""
    if connection.vendor == "postgresql":
        return _matcher(_fulltext_ids([statement], None))
    words = key_words(statement)
    if len(words) < 2:
        return ClaimMatcher([])
    from itertools import combinations

    any_two = Q()
    for a, b in combinations(words, 2):
        any_two |= Q(statement__icontains=a) & Q(statement__icontains=b)
    ids = set(Claim.objects.published().filter(merged_into__isnull=True).filter(any_two)
              .order_by("-id").values_list("id", flat=True)[:SHORTLIST_CAP])
    return _matcher(ids)


def _matcher(ids: set[int]) -> ClaimMatcher:
    """The matcher over these claims: their statements, dates and quotes, with the quotes'
    sources and the copy links between them."""
    if not ids:
        return ClaimMatcher([])
    rows = list(Claim.objects.filter(pk__in=ids).values_list("id", "statement", "date_edtf"))
    quotes = list(
        Citation.objects.filter(claim_id__in=ids).exclude(anchoring="orphaned")
        .values_list("claim_id", "quote", "source_id")
    )
    source_ids = {sid for _, _, sid in quotes}
    titles = dict(Source.objects.filter(pk__in=source_ids).values_list("pk", "title"))
    links = set(SourceLink.objects.filter(kind=SourceLink.Kind.DERIVED_FROM)
                .filter(Q(source_id__in=source_ids) | Q(target_id__in=source_ids))
                .values_list("source_id", "target_id"))
    return ClaimMatcher([(cid, text, None) for cid, text, _ in rows] + quotes, titles,
                        dates={cid: date for cid, _, date in rows}, derived_pairs=links)


def extraction_context(*, reliability: str, published, slug: str, source_id: int | None = None,
                       skip_ranges=()) -> Context:
    return Context(
        reliability=reliability or "F", published=_published(published), slug=slug, source_id=source_id,
        entity_index=entity_index(),
        shortlist=lambda proposals: claim_shortlist(proposals, exclude_slug=slug or None),
        skip_ranges=list(skip_ranges),
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
