"""Writes for the copy check: a source's shingle index and its derived_from links."""
from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import F

from kb.models import ShingleHolders, SourceLink, SourceShingle
from kb.selectors.overlaps import as_doc, find_overlaps
from kb.services.generation import kb_changed
from kb.text.shingles import MIN_RUN_WORDS, sampled_hashes


HOLDERS_CHUNK = 900  # hashes per statement (SQLite's variable limit is far above)


@transaction.atomic
def source_shingles_index(*, source) -> int:
    """(Re)write a source's sampled shingles, and the holder counts of the hashes that came or
    went; return how many it has."""
    hashes = sampled_hashes(as_doc(source))
    # Earlier versions are never compared (only current sources are), so their rows go.
    earlier = SourceShingle.objects.filter(source__slug=source.slug)
    change = Counter(hashes)
    change.subtract(Counter(earlier.values_list("hash", flat=True)))
    earlier.delete()
    SourceShingle.objects.bulk_create(
        (SourceShingle(source=source, hash=h) for h in sorted(hashes)), batch_size=2000
    )
    shingle_holders_change(change)
    return len(hashes)


def shingle_holders_change(change: Counter) -> None:
    """Add `change[hash]` to each hash's holder count, in the database (F() updates, rows created
    as needed). Rows are locked in hash order, so two imports touching the same stock phrases
    wait for each other instead of deadlocking."""
    by_amount: dict[int, list[int]] = {}
    for value, amount in change.items():
        if amount:
            by_amount.setdefault(amount, []).append(value)
    ordered = sorted(value for values in by_amount.values() for value in values)
    for at in range(0, len(ordered), HOLDERS_CHUNK):
        chunk = ordered[at : at + HOLDERS_CHUNK]
        ShingleHolders.objects.bulk_create([ShingleHolders(hash=h, sources=0) for h in chunk], ignore_conflicts=True)
        list(ShingleHolders.objects.select_for_update().filter(hash__in=chunk).order_by("hash").values_list("hash"))
    for amount, values in by_amount.items():
        values.sort()
        for at in range(0, len(values), HOLDERS_CHUNK):
            ShingleHolders.objects.filter(hash__in=values[at : at + HOLDERS_CHUNK]).update(sources=F("sources") + amount)


def source_overlaps_record(*, source) -> list:
    """Index a stored source and record a `derived_from` link for each source it copies or that
    copies it. Curated links are left as they are; detected ones are refreshed."""
    source_shingles_index(source=source)
    kb_changed()  # copy links show on reader pages and count for independence
    links = []
    for finding in find_overlaps(source):
        if not finding.derived:
            continue
        copy, original = (source, finding.other) if finding.copies_other else (finding.other, source)
        existing = SourceLink.objects.filter(
            kind=SourceLink.Kind.DERIVED_FROM, source__in=[copy, original], target__in=[copy, original]
        ).first()
        if existing is not None and existing.method == SourceLink.Method.CURATED:
            links.append(existing)
            continue
        if existing is not None and (existing.source_id, existing.target_id) != (copy.pk, original.pk):
            existing.delete()
        link, _ = SourceLink.objects.update_or_create(
            source=copy, target=original, kind=SourceLink.Kind.DERIVED_FROM,
            defaults={"method": SourceLink.Method.DETECTED, "shared_share": finding.copy_share,
                      "evidence": finding.copy_runs,
                      "note": f"Detected: {len(finding.copy_runs)} shared runs of {MIN_RUN_WORDS}+ words, "
                              f"{finding.copy_share:.0%} of the words shared."},
        )
        links.append(link)
    return links
