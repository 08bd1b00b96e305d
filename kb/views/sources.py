from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from kb.selectors import sources as selectors
from kb.models import Source


@require_safe
def source_list(request):
    return render(request, "kb/source_list.html", {"sources": selectors.source_list()})


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
    source = get_object_or_404(Source.objects.current(), slug=slug)
    return _reader(request, source)


@require_safe
def source_version(request, slug, version):
    source = get_object_or_404(Source, slug=slug, version=version)
    return _reader(request, source)
