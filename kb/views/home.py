from django.shortcuts import render
from django.views.decorators.http import require_safe

from kb import selectors


@require_safe
def home(request):
    return render(request, "kb/home.html", {"sources": selectors.source_list()})


def not_found(request, exception=None):
    return render(request, "404.html", {"path": request.path}, status=404)
