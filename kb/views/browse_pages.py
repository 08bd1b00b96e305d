"""Entity, tag and timeline pages, and the entity index."""
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from taggit.models import Tag

from kb import timeline
from kb.forms.claim_filters import clean_filters
from kb.selectors import claims as browse
from kb.selectors import entities as entity_selectors
from kb.selectors.paging import COUNT_CAP, CappedPaginator, capped_count, count_label
from kb.models import Credibility, Entity
from kb.permissions import sees_unreviewed

TIMELINE_LIMIT = 400
ENTITY_PAGE_SIZE = 200


def _timeline_claims(claims):
    return browse.timeline_claims(claims, TIMELINE_LIMIT)


# Filters that choose no rows: with only these, an entity or tag page lists exactly the claims
# its kept count counts.
NOT_NARROWING = {"sort", "per_page"}


def _subject_page(request, template, subject, base_filters, kept_count=None):
    editor = sees_unreviewed(request.user)
    filters, problems = clean_filters(request.GET, editor=editor)
    narrowed = set(filters) - NOT_NARROWING
    filters.update(base_filters)
    matching = browse.filter_claims(filters, editor=editor)
    claims, sort = browse.sort_claims(matching, filters)
    limits = browse.paging_limits(filters)
    if kept_count is not None and not narrowed:
        # The published claims naming the entity or carrying the tag, kept by the claim services:
        # nothing counted. Paged within the first NARROWED_CAP, as any narrowed list: a page
        # deeper in a tag of 250,000 claims walked 10,000 of them along the date index (a
        # quarter of a second at a million claims); the claim list's filters reach the rest.
        limits = {"known_count": kept_count, "cap": max(kept_count, COUNT_CAP), "max_rows": browse.NARROWED_CAP}
    paginator = CappedPaginator(browse.list_claims(claims), 50, count_source=matching, **limits)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, template, {
        "subject": subject,
        "page": page,
        "rows": browse.page_rows(page.object_list),
        "problems": problems,
        "timeline": timeline.layout(_timeline_claims(browse.filter_claims(filters, editor=editor)),
                                    width=800, max_lanes=20),
        "timeline_query": "&".join(f"{k}={v}" for k, v in base_filters.items()),
    })


@require_safe
def entity_list(request):
    paginator = CappedPaginator(entity_selectors.entity_list(), ENTITY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "kb/entity_list.html", {"entities": list(page.object_list), "page": page})


@require_safe
def entity_detail(request, slug):
    entity = get_object_or_404(Entity, slug=slug)
    return _subject_page(request, "kb/entity_detail.html", entity, {"entity": slug}, kept_count=entity.claim_count)


@require_safe
def tag_detail(request, slug):
    tag = get_object_or_404(Tag.objects.select_related("kept"), slug=slug)
    return _subject_page(request, "kb/tag_detail.html", tag, {"tag": slug},
                         kept_count=entity_selectors.tag_claim_count(tag))


@require_safe
def timeline_page(request):
    editor = sees_unreviewed(request.user)
    filters, problems = clean_filters(request.GET, editor=editor)
    claims = browse.filter_claims(filters, editor=editor)
    # Each counted up to the cap ("10,000+"), not over every claim.
    total = capped_count(claims.filter(date_sort__lt=timeline.UNDATED))
    undated = capped_count(claims.filter(date_sort=timeline.UNDATED))
    layout = timeline.layout(_timeline_claims(claims))
    undated_query = request.GET.copy()
    undated_query["dated"] = "no"
    return render(request, "kb/timeline.html", {
        "timeline": layout, "problems": problems, "filters": filters, "total": total,
        "undated": undated, "undated_query": undated_query.urlencode(),
        "total_label": count_label(total), "undated_label": count_label(undated),
        "limit": TIMELINE_LIMIT, "facets": browse.facet_options(filters),
        "credibility_choices": Credibility.choices, "sort_labels": None,
    })
