import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from kb.api import formats
from kb.forms.claim_filters import SORT_LABELS, clean_filters
from kb.selectors import claims as browse
from kb.selectors.claim_page import claim_page_context
from kb import exports
from kb.rendering import mark_search_hits
from kb.selectors.paging import CappedPaginator
from kb.models import Credibility
from kb.permissions import sees_unreviewed


def _filtered(request):
    editor = sees_unreviewed(request.user)
    filters, problems = clean_filters(request.GET, editor=editor)
    matching = browse.filter_claims(filters, editor=editor)
    claims, sort = browse.sort_claims(matching, filters)
    return filters, problems, matching, claims, sort


def _query_without(request, *names):
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@require_safe
def claim_list(request):
    filters, problems, matching, claims, sort = _filtered(request)
    # Counted unsorted: a ranked search's order needs its rank, its count does not.
    paginator = CappedPaginator(browse.list_claims(claims), filters.get("per_page", 50), count_source=matching,
                                **browse.paging_limits(filters))
    page = paginator.get_page(request.GET.get("page"))
    rows = browse.page_rows(page.object_list, quotes=bool(filters.get("q")))
    if filters.get("q"):
        mark_search_hits(rows, filters["q"])  # in Python, over this page's rows only
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "problems": problems,
        "sort": sort,
        "sort_labels": SORT_LABELS,
        "facets": browse.facet_options(filters),
        "credibility_choices": Credibility.choices,
        "page_query": _query_without(request, "page"),
        "export_query": _query_without(request, "page", "per_page", "sort"),
        # The downloads keep the sort: their rows come in the page's order.
        "download_query": _query_without(request, "page", "per_page", "bom"),
    }
    return render(request, "kb/claim_list.html", context)


@require_safe
def claim_export(request, fmt):
    """The selection as a download in the page's order, streamed row by row (kb/exports.py);
    visitors get the first CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS claims. `?bom=1` starts a CSV with
    a byte-order mark, for Excel."""
    editor = sees_unreviewed(request.user)
    filters, _problems = clean_filters(request.GET, editor=editor)
    claims = browse.ranked_selection(browse.filter_claims(filters, editor=editor, whole=True), filters)
    order, _sort = browse.sort_order(filters)
    search = bool(filters.get("q"))
    if fmt == "csv":
        bom = request.GET.get("bom") == "1"
        return exports.export_response(
            request, claims, lambda rows, notice: exports.csv_lines(rows, notice=notice, bom=bom), user=request.user,
            content_type="text/csv; charset=utf-8", filename="claimbook-claims.csv", relations=True, order=order,
            timestamps=False, search=search)
    base = request.build_absolute_uri("/").rstrip("/")
    return exports.export_response(
        request, claims, lambda rows, _notice: exports.jsonld_parts(rows, base), user=request.user,
        content_type="application/ld+json; charset=utf-8", filename="claimbook-claims.jsonld", relations=True,
        order=order, timestamps=False, search=search)


def _claim_jsonld(request, claim) -> HttpResponse:
    """The permalink as JSON-LD: schema.org Claim with its appearances, and its ClaimReview."""
    citations, entities, tags = browse.claim_linked_data(claim)
    base = request.build_absolute_uri("/").rstrip("/")
    data = formats.claim_jsonld(base, claim, citations, entities, tags)
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/ld+json; charset=utf-8")


@require_safe
@vary_on_headers("Accept")
def claim_detail(request, pk):
    claim = get_object_or_404(browse.visible_claims(request.user).select_related("merged_into"), pk=pk)
    if claim.merged_into_id:
        return redirect(reverse("claim-detail", args=[claim.merged_into_id]), permanent=True)
    if request.get_preferred_type(["text/html", "application/ld+json"]) == "application/ld+json":
        return _claim_jsonld(request, claim)
    return render(request, "kb/claim_detail.html", claim_page_context(request, claim))
