"""Reads for the review queue: candidate claims from imports and the decisions made on them."""
from __future__ import annotations

from django.db.models import Prefetch

from kb.models import Citation, Claim, ReviewDecision


def review_candidates():
    """Candidate claims with their citations (no source text loaded), the extractor's findings
    (date basis, hedges, reasons, match relation) and the claim they match: a fixed number of
    queries whatever the page holds."""
    citations = (
        Citation.objects.select_related("source", "passage")
        .defer("source__text", "source__original")
        .order_by("order", "id")
    )
    return (
        Claim.objects.filter(status=Claim.Status.CANDIDATE)
        .select_related("suggested_match", "extraction")
        .prefetch_related(Prefetch("citations", queryset=citations))
        .order_by("created_at", "id")
    )


def review_decisions(limit: int = 20):
    return ReviewDecision.objects.select_related("claim", "target", "editor").order_by("-decided_at", "-id")[:limit]
