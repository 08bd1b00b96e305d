"""Counts kept by the writes, so no page counts a million rows to show a number.

- `Entity.claim_count`: the published, unmerged claims naming the entity (what its page lists).
  A write that may change which claims are counted or which entities they name runs inside
  `link_counts_kept(claim ids)`: the counted links of those claims are read before and after,
  and the entities' counts move by the difference in one `UPDATE`, in the same transaction. The claims must be locked (or new) while it runs, as the claim services lock
  them, so two writers never read the same "before".
- `TagCount.claim_count`: the same for each tag (the claims' tags are read with their entities,
  before and after, in the same `link_counts_kept`).
- `Claim.is_contested`: the claim is on either side of a contradiction. A write that adds,
  removes or moves relations calls `contested_recount(claim ids)` for the claims at their ends:
  each flag is recomputed from that claim's own relations (two index probes), never counted
  over the corpus. Callers lock those claims first, so the recount sees every committed relation.

`counts_drift()` recounts everything (a corpus scan, for `manage.py check_counts` only) and
`counts_recount_all()` rewrites every count (the migration, bulk loads, `check_counts --fix`).
"""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

from django.db import connection
from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, Value, When

from taggit.models import Tag

from kb.models import Claim, Entity, Relation, TagCount
from kb.selectors.entities import claim_tags


# The kept fields: a save of an instance loaded earlier must not write them back (a writer may
# have moved them since); `fields_to_save` names every other column for `save(update_fields=…)`.
KEPT_FIELDS = frozenset({"is_contested", "claim_count"})


def fields_to_save(obj) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields
            if not f.primary_key and not f.generated and f.name not in KEPT_FIELDS]


def _counted_claims(claim_ids):
    return Claim.objects.filter(pk__in=list(claim_ids), status=Claim.Status.PUBLISHED, merged_into__isnull=True)


ENTITY, TAG = 1, 2  # which count a counted link moves


def _counted_links(claim_ids) -> tuple[Counter, Counter]:
    """(entity id -> how many of these claims naming it are counted (published, not merged),
    tag id -> the same for the tags they carry), read in one query."""
    if not claim_ids:
        return Counter(), Counter()
    counted = _counted_claims(claim_ids)
    entities = Claim.entities.through.objects.filter(claim__in=counted).values_list(Value(ENTITY), "entity_id")
    tags = claim_tags().filter(object_id__in=counted.values("pk")).values_list(Value(TAG), "tag_id")
    by_kind = {ENTITY: Counter(), TAG: Counter()}
    for kind, pk in entities.union(tags, all=True):
        by_kind[kind][pk] += 1
    return by_kind[ENTITY], by_kind[TAG]


def _by_pk(change: Counter) -> Case:
    return Case(*(When(pk=pk, then=Value(delta)) for pk, delta in change.items()), default=Value(0))


def entity_counts_move(change: Counter) -> None:
    """Add each entity's delta to its count, in one UPDATE over the primary key's index (so
    two writers lock the entities in the same order and never deadlock)."""
    change = Counter({pk: delta for pk, delta in sorted(change.items()) if delta})
    if change:
        Entity.objects.filter(pk__in=list(change)).update(claim_count=F("claim_count") + _by_pk(change))


# A tag's first counted claim makes its row; later ones add to it (PostgreSQL, SQLite 3.24+).
TAG_COUNT_ADD = """
    INSERT INTO kb_tagcount (tag_id, claim_count) VALUES {rows}
    ON CONFLICT (tag_id) DO UPDATE SET claim_count = kb_tagcount.claim_count + excluded.claim_count"""


def tag_counts_move(change: Counter) -> None:
    """Add each tag's delta to its kept count: the gains in one upsert, the losses in one
    UPDATE, each over the tags in id order (after the entities: one order for every writer)."""
    gains = sorted((pk, delta) for pk, delta in change.items() if delta > 0)
    losses = Counter({pk: delta for pk, delta in sorted(change.items()) if delta < 0})
    if gains:
        with connection.cursor() as cursor:
            cursor.execute(TAG_COUNT_ADD.format(rows=", ".join(["(%s, %s)"] * len(gains))),
                           [value for row in gains for value in row])
    if losses:
        TagCount.objects.filter(pk__in=list(losses)).update(claim_count=F("claim_count") + _by_pk(losses))


@contextmanager
def link_counts_kept(*claim_ids: int):
    """Around a write to these claims (locked, or created inside: add their ids to the set
    yielded), move the entities' and tags' claim counts by what the write changed."""
    ids = {pk for pk in claim_ids if pk is not None}
    entities_before, tags_before = _counted_links(ids)
    yield ids
    entities_after, tags_after = _counted_links(ids)
    entities_after.subtract(entities_before)
    tags_after.subtract(tags_before)
    entity_counts_move(entities_after)
    tag_counts_move(tags_after)


def _contested_value():
    contradictions = Relation.objects.filter(type=Relation.Type.CONTRADICTS)
    return Case(
        When(Exists(contradictions.filter(from_claim=OuterRef("pk")))
             | Exists(contradictions.filter(to_claim=OuterRef("pk"))), then=Value(True)),
        default=Value(False), output_field=BooleanField(),
    )


def contested_recount(claim_ids) -> None:
    """Each of these claims' `is_contested`, recomputed from its own relations."""
    ids = sorted({pk for pk in claim_ids if pk is not None})
    if ids:
        Claim.objects.filter(pk__in=ids).update(is_contested=_contested_value())


def entity_counts_recount(entity_ids) -> None:
    """These entities' counts recomputed from their links (a count of each entity's claims:
    for a few entities at a time, never the corpus)."""
    ids = sorted(set(entity_ids))
    counted = dict(_counts_of(Entity.objects.filter(pk__in=ids)))
    for entity_id in ids:
        Entity.objects.filter(pk=entity_id).update(claim_count=counted.get(entity_id, 0))


def _counts_of(entities):
    return entities.annotate(
        n=Count("claims", filter=Q(claims__status=Claim.Status.PUBLISHED, claims__merged_into__isnull=True))
    ).values_list("pk", "n")


# Every entity's count in one grouped pass (UPDATE ... FROM: PostgreSQL, SQLite 3.33+).
RECOUNT_ENTITIES = """
    UPDATE kb_entity SET claim_count = COALESCE(counted.n, 0)
    FROM kb_entity AS e LEFT JOIN (
        SELECT ce.entity_id AS entity_id, COUNT(*) AS n FROM kb_claim_entities ce
        JOIN kb_claim c ON c.id = ce.claim_id
        WHERE c.status = 'published' AND c.merged_into_id IS NULL GROUP BY ce.entity_id
    ) AS counted ON counted.entity_id = e.id
    WHERE kb_entity.id = e.id AND kb_entity.claim_count <> COALESCE(counted.n, 0)"""


# Every tag's count in one grouped pass (as migration 0024 first filled them).
RECOUNT_TAGS = """
    INSERT INTO kb_tagcount (tag_id, claim_count)
    SELECT ti.tag_id, COUNT(*) FROM taggit_taggeditem ti
    JOIN django_content_type ct ON ct.id = ti.content_type_id AND ct.app_label = 'kb' AND ct.model = 'claim'
    JOIN kb_claim c ON c.id = ti.object_id
    WHERE c.status = 'published' AND c.merged_into_id IS NULL
    GROUP BY ti.tag_id"""


def counts_recount_all() -> None:
    """Every kept count rewritten from the rows (scans everything: migrations, bulk loads and
    `check_counts --fix` only; run it in a transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(RECOUNT_ENTITIES)
        cursor.execute("DELETE FROM kb_tagcount")
        cursor.execute(RECOUNT_TAGS)
    contradictions = Relation.objects.filter(type=Relation.Type.CONTRADICTS).order_by()
    ends = contradictions.values("from_claim_id").union(contradictions.values("to_claim_id"))
    Claim.objects.filter(is_contested=True).exclude(pk__in=ends).update(is_contested=False)
    Claim.objects.filter(is_contested=False, pk__in=ends).update(is_contested=True)


def counts_drift(limit: int = 50) -> list[str]:
    """Every kept count that differs from a recount, in words (at most `limit`)."""
    found = []
    for pk, slug, kept, counted in (
        Entity.objects.annotate(
            n=Count("claims", filter=Q(claims__status=Claim.Status.PUBLISHED, claims__merged_into__isnull=True))
        ).exclude(claim_count=F("n")).values_list("pk", "slug", "claim_count", "n").order_by("pk")[:limit]
    ):
        found.append(f"entity {slug} (#{pk}): claim_count {kept}, recounted {counted}")
    found.extend(_tag_drift(limit))
    contradictions = Relation.objects.filter(type=Relation.Type.CONTRADICTS).order_by()
    ends = contradictions.values("from_claim_id").union(contradictions.values("to_claim_id"))
    wrong_true = Claim.objects.filter(is_contested=True).exclude(pk__in=ends).values_list("pk", flat=True)
    wrong_false = Claim.objects.filter(is_contested=False, pk__in=ends).values_list("pk", flat=True)
    for pk in wrong_true.order_by("pk")[:limit]:
        found.append(f"claim {pk}: marked contested, but no contradiction names it")
    for pk in wrong_false.order_by("pk")[:limit]:
        found.append(f"claim {pk}: in a contradiction, but not marked contested")
    found.extend(_full_text_triggers_missing())
    return found[:limit]


def _tag_drift(limit: int) -> list[str]:
    counted = _counted_claims_all()
    recounted = dict(
        claim_tags().filter(object_id__in=counted).order_by().values("tag_id").annotate(n=Count("*"))
        .values_list("tag_id", "n")
    )
    kept = dict(TagCount.objects.exclude(claim_count=0).values_list("tag_id", "claim_count"))
    slugs = dict(Tag.objects.filter(pk__in=set(kept) | set(recounted)).values_list("pk", "slug"))
    return [
        f"tag {slugs.get(pk, '?')} (#{pk}): claim_count {kept.get(pk, 0)}, recounted {recounted.get(pk, 0)}"
        for pk in sorted(set(kept) | set(recounted)) if kept.get(pk, 0) != recounted.get(pk, 0)
    ][:limit]


def _counted_claims_all():
    return Claim.objects.filter(status=Claim.Status.PUBLISHED, merged_into__isnull=True).values("pk")


FULL_TEXT_TRIGGERS = {"kb_claim_fts_insert", "kb_claim_fts_update", "kb_claim_fts_delete",
                      "kb_citation_fts_insert", "kb_citation_fts_update", "kb_citation_fts_delete"}


def _full_text_triggers_missing() -> list[str]:
    """SQLite's search index is kept by triggers (migration 0021); a migration that rebuilds
    kb_claim or kb_citation drops them with the old table, and the index stops following."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'")
        present = {name for (name,) in cursor.fetchall()}
    return [f"search index trigger {name} is missing: the full-text index no longer follows the claims"
            for name in sorted(FULL_TEXT_TRIGGERS - present)]
