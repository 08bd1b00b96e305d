from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from kb.selectors import sources as selectors
from kb.models import Source
from kb.permissions import sees_unreviewed


@require_safe
def source_list(request):
    return render(request, "kb/source_list.html", {"sources": selectors.source_list()})


def _marked_claim(request) -> int | None:
    value = request.GET.get("claim", "")
    return int(value) if value.isdigit() else None


def _reader(request, source: Source):
    marked = _marked_claim(request)
    items = selectors.reader_items(source, marked_claim=marked, editor=sees_unreviewed(request.user))
    sections = [item.section for item in items if item.passage.kind == "heading" and item.section]
    versions = Source.objects.filter(slug=source.slug).only("slug", "version", "is_current", "imported_at", "sha256").order_by("-version")
    return render(
        request,
        "kb/source_detail.html",
        {"source": source, "items": items, "toc": sections, "marked_claim": marked, "versions": versions,
         "orphans": selectors.orphaned_citations(source) if request.user.has_perm("kb.change_claim") else []},
    )


@require_safe
def source_detail(request, slug):
    source = get_object_or_404(Source.objects.current(), slug=slug)
    return _reader(request, source)


@require_safe
def source_version(request, slug, version):
    source = get_object_or_404(Source, slug=slug, version=version)
    return _reader(request, source)
