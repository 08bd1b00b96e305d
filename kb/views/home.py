from django.shortcuts import render
from django.views.decorators.http import require_safe

from kb import timeline
from kb.selectors import claims as browse
from kb.selectors import sources as selectors
from kb.selectors.annotations import recent_annotations
from kb.selectors.paging import capped_count, count_label
from kb.models import Citation, Claim, Entity, Source
from kb.permissions import sees_unreviewed

HOME_SOURCES = 10


@require_safe
def home(request):
    published = Claim.objects.published().filter(merged_into__isnull=True)
    contested = published.filter(browse.contested_q())  # a flag with its own partial index
    # Counted up to a cap ("10,000+"): the overview never counts a whole table.
    stats = {
        "claims": count_label(capped_count(published)),
        "contested": count_label(capped_count(contested)),
        "citations": count_label(capped_count(Citation.objects.all())),
        "entities": count_label(capped_count(Entity.objects.all())),
        "sources": count_label(capped_count(Source.objects.current())),
    }
    # The review queue is the editors' business.
    waiting = capped_count(Claim.objects.filter(status=Claim.Status.CANDIDATE)) if sees_unreviewed(request.user) else 0
    stats["candidates"] = count_label(waiting) if waiting else None
    # Both lists of rows in one set of queries.
    recent = list(browse.list_claims(published.order_by("-updated_at", "-id"))[:8])
    contested_claims = list(browse.list_claims(contested.order_by("date_sort", "id"))[:6])
    rows = browse.page_rows(recent + contested_claims)
    recent_rows, contested_rows = rows[: len(recent)], rows[len(recent):]
    glance = timeline.layout(browse.timeline_claims(published, 300), width=1000, max_lanes=8)
    # The entities of the claims shown, not a count over every claim: fixed cost at any size.
    top_entities = Entity.objects.filter(claims__in=[row.claim.pk for row in rows]).distinct()[:16]
    return render(request, "kb/home.html", {
        "sources": selectors.with_counts(selectors.source_list()[:HOME_SOURCES]), "stats": stats,
        "recent": recent_rows, "contested": contested_rows, "timeline": glance, "top_entities": top_entities,
        "annotations": recent_annotations(limit=6),
    })
