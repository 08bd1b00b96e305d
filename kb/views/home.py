from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kb import timeline
from kb.selectors import claims as browse
from kb.selectors import sources as selectors
from kb.selectors.annotations import recent_annotations
from kb.selectors.overlaps import derived_pairs
from kb.models import Citation, Claim, Entity
from kb.permissions import sees_unreviewed


@require_safe
def home(request):
    published = Claim.objects.published().filter(merged_into__isnull=True)
    contested = published.filter(browse.contested_q())
    live = Q(status=Claim.Status.PUBLISHED, merged_into__isnull=True)
    stats = Claim.objects.aggregate(
        claims=Count("id", filter=live),
        contested=Count("id", filter=live & browse.contested_q()),
        candidates=Count("id", filter=Q(status=Claim.Status.CANDIDATE)),
    )
    if not sees_unreviewed(request.user):
        stats["candidates"] = None  # the review queue is the editors' business
    stats.update(citations=Citation.objects.count(), entities=Entity.objects.count())
    pairs = derived_pairs()  # once for both lists of rows
    recent = browse.claim_rows(browse.with_list_data(published.order_by("-updated_at", "-id"))[:8], pairs)
    contested_rows = browse.claim_rows(browse.with_list_data(contested.order_by("date_sort", "id"))[:6], pairs)
    glance = timeline.layout(
        list(published.filter(date_sort__lt=timeline.UNDATED)
             .annotate(contested=browse.contested_annotation())
             .only("id", "statement", "date_wording", "date_edtf", "date_earliest", "date_latest", "credibility")
             .order_by("date_sort", "id")[:300]),
        width=1000, max_lanes=8,
    )
    # The entities of the claims shown, not a count over every claim: fixed cost at any size.
    top_entities = Entity.objects.filter(claims__in=[row.claim.pk for row in recent + contested_rows]).distinct()[:16]
    return render(request, "kb/home.html", {
        "sources": selectors.source_list(), "stats": stats, "recent": recent,
        "contested": contested_rows, "timeline": glance, "top_entities": top_entities,
        "annotations": recent_annotations(limit=6),
    })
