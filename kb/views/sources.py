from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from kb.selectors import sources as selectors
from kb.selectors.paging import CappedPaginator
from kb.models import Source


SOURCE_PAGE_SIZE = 50


@require_safe
def source_list(request):
    paginator = CappedPaginator(selectors.source_list(), SOURCE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "kb/source_list.html", {"sources": selectors.with_counts(page.object_list), "page": page})


def _marked_claim(request) -> int | None:
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses; and no more
    # than a claim id can hold.
    value = request.GET.get("claim", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _reader(request, source: Source):
    context = selectors.reader_page(source, user=request.user, marked_claim=_marked_claim(request))
    return render(request, "kb/source_detail.html", context)


@require_safe
def source_detail(request, slug):
    source = get_object_or_404(selectors.reader_sources().filter(is_current=True), slug=slug)
    return _reader(request, source)


@require_safe
def source_version(request, slug, version):
    source = get_object_or_404(selectors.reader_sources(), slug=slug, version=version)
    return _reader(request, source)


@require_safe
def source_original(request, slug, version):
    """The file as imported (a PDF, a Word file...), always as a download: an HTML original
    must never render on this site, so it is also sandboxed and never sniffed."""
    found = selectors.source_original(slug=slug, version=version)
    if found is None:
        raise Http404("No original file was kept for this source.")
    data, filename, content_type = found
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
