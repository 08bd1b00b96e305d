"""Reads of editors' annotations; each one owns its queries, a fixed number whatever the data."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from kb.models import Annotation, Claim, Passage, Source
from kb.text.ranges import holder


def recent_annotations(limit: int = 10) -> list[Annotation]:
    """The latest visible annotations, newest first, for the overview (three queries). Notes
    on unreviewed candidates are left out: the overview is public and names their claims."""
    return list(
        Annotation.objects.visible()
        .exclude(claim__status__in=Claim.UNREVIEWED)
        .exclude(citation__claim__status__in=Claim.UNREVIEWED)
        .select_related("author", "claim", "citation", "citation__claim", "source")
        .defer("source__text", "source__original")
        .prefetch_related("references")
        .order_by("-created_at", "-id")[:limit]
    )


def _annotations(queryset, *, include_hidden: bool):
    if not include_hidden:
        queryset = queryset.visible()
    return list(queryset.with_related().order_by("created_at", "id"))


def claim_annotations(claim: Claim, *, include_hidden: bool = False) -> list[Annotation]:
    """Annotations on the claim and on each of its citations, oldest first."""
    on_claim = Q(claim=claim) | Q(citation__claim=claim)
    return _annotations(Annotation.objects.filter(on_claim), include_hidden=include_hidden)


@dataclass
class PlacedAnnotation:
    annotation: Annotation
    anchor: str
    start: int
    number: int = 0  # its side note's number in the reader (kb.selectors.sources), 0 when not beside the text


def source_annotations(source: Source, *, include_hidden: bool = False,
                       passages: list[tuple[int, str]] | None = None) -> list[PlacedAnnotation]:
    """Annotations on selections of this source and on citations into it, in text order,
    each with the passage anchor where it begins. `passages` is the source's (start, anchor)
    in text order when the caller has them already (the reader): then one query fewer."""
    here = Q(source=source) | Q(citation__source=source)
    if source.is_current:
        # Notes on earlier versions whose words could not be found again are shown, marked, never lost.
        here |= Q(source__slug=source.slug, anchoring=Annotation.Anchoring.ORPHANED)
    annotations = _annotations(Annotation.objects.filter(here), include_hidden=include_hidden)
    if passages is None:
        passages = list(Passage.objects.filter(source=source).order_by("start").values_list("start", "anchor"))
    starts = [start for start, _ in passages]
    placed = []
    for annotation in annotations:
        if annotation.source_id and annotation.source_id != source.pk:
            placed.append(PlacedAnnotation(annotation, "", -1))
            continue
        start = annotation.start if annotation.source_id else annotation.citation.start
        index = holder(starts, start)
        placed.append(PlacedAnnotation(annotation, "" if index is None else passages[index][1], start))
    return sorted(placed, key=lambda p: (p.start, p.annotation.pk))
