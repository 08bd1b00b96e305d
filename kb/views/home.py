from django.db.models import Count, Exists
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kb import browse, selectors, timeline
from kb.models import Claim, Citation, Entity, Relation


def _recent_annotations():
    try:
        from kb.editing.selectors import recent_annotations
    except ImportError:
        return []
    return recent_annotations(limit=6)


@require_safe
def home(request):
    published = Claim.objects.published().filter(merged_into__isnull=True)
    contested = published.filter(Exists(browse.contested_subquery()))
    stats = {
        "claims": published.count(),
        "citations": Citation.objects.filter(claim__status="published").count(),
        "entities": Entity.objects.count(),
        "contested": contested.count(),
        "candidates": Claim.objects.filter(status=Claim.Status.CANDIDATE).count(),
        "relations": Relation.objects.count(),
    }
    recent = browse.claim_rows(browse.with_list_data(published.order_by("-updated_at", "-id"))[:8])
    contested_rows = browse.claim_rows(browse.with_list_data(contested.order_by("date_earliest", "id"))[:6])
    glance = timeline.layout(
        list(published.filter(date_earliest__isnull=False)
             .annotate(contested=Exists(browse.contested_subquery()))
             .only("id", "statement", "date_wording", "date_edtf", "date_earliest", "date_latest", "credibility")
             .order_by("date_earliest", "id")[:300]),
        width=1000, max_lanes=8,
    )
    top_entities = Entity.objects.annotate(n=Count("claims")).filter(n__gt=0).order_by("-n", "name")[:12]
    return render(request, "kb/home.html", {
        "sources": selectors.source_list(), "stats": stats, "recent": recent,
        "contested": contested_rows, "timeline": glance, "top_entities": top_entities,
        "annotations": _recent_annotations(),
    })


def not_found(request, exception=None):
    return render(request, "404.html", {"path": request.path}, status=404)
