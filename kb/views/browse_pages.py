"""Entity, tag and timeline pages, and the entity index."""
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from taggit.models import Tag

from kb import timeline
from kb.forms.claim_filters import clean_filters
from kb.selectors import claims as browse
from kb.models import Claim, Credibility, Entity
from kb.permissions import sees_unreviewed

TIMELINE_LIMIT = 400


def _timeline_claims(claims):
    return browse.timeline_claims(claims, TIMELINE_LIMIT)


def _subject_page(request, template, subject, base_filters):
    editor = sees_unreviewed(request.user)
    filters, problems = clean_filters(request.GET, editor=editor)
    filters.update(base_filters)
    claims = browse.filter_claims(filters, editor=editor)
    claims, sort = browse.sort_claims(claims, filters)
    paginator = Paginator(browse.with_list_data(claims), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, template, {
        "subject": subject,
        "page": page,
        "rows": browse.claim_rows(page.object_list),
        "problems": problems,
        "timeline": timeline.layout(_timeline_claims(browse.filter_claims(filters, editor=editor)),
                                    width=800, max_lanes=20),
        "timeline_query": "&".join(f"{k}={v}" for k, v in base_filters.items()),
    })


@require_safe
def entity_list(request):
    counted = Q() if sees_unreviewed(request.user) else ~Q(claims__status__in=Claim.UNREVIEWED)
    entities = Entity.objects.annotate(claim_count=Count("claims", filter=counted)).order_by("kind", "name")
    return render(request, "kb/entity_list.html", {"entities": entities})


@require_safe
def entity_detail(request, slug):
    entity = get_object_or_404(Entity, slug=slug)
    return _subject_page(request, "kb/entity_detail.html", entity, {"entity": slug})


@require_safe
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _subject_page(request, "kb/tag_detail.html", tag, {"tag": slug})


@require_safe
def timeline_page(request):
    editor = sees_unreviewed(request.user)
    filters, problems = clean_filters(request.GET, editor=editor)
    claims = browse.filter_claims(filters, editor=editor)
    total, undated = browse.dated_counts(claims)
    layout = timeline.layout(_timeline_claims(claims))
    undated_query = request.GET.copy()
    undated_query["dated"] = "no"
    return render(request, "kb/timeline.html", {
        "timeline": layout, "problems": problems, "filters": filters, "total": total,
        "undated": undated, "undated_query": undated_query.urlencode(),
        "limit": TIMELINE_LIMIT, "facets": browse.facet_options(filters),
        "credibility_choices": Credibility.choices, "sort_labels": None,
    })
