"""Error pages that cannot fail in turn.

Django's own error views run the CSRF check again (`requires_csrf_token`), which reads the
body; a body Django refuses to parse (a form posted as UTF-16, say) then raises inside the
error view, and the visitor gets a bare "Internal Server Error". These views never read the
body, and if the page itself cannot be drawn they answer with a plain one.
"""
from __future__ import annotations

import logging

from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger("kb.errors")

PLAIN = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} · Claimbook</title></head>'
    '<body><h1>{title}</h1><p>{text} <a href="/">Back to the overview</a>.</p></body></html>'
)


def _page(request, template: str, status: int, title: str, text: str, context: dict | None = None) -> HttpResponse:
    try:
        body = loader.render_to_string(template, context or {}, request=request)
    except Exception:  # the error page itself must never become an error
        logger.exception("error page %s could not be drawn", template)
        body = PLAIN.format(title=title, text=text)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request, exception=None):
    return _page(request, "400.html", 400, "Bad request", "The request could not be read; nothing was saved.")


def permission_denied(request, exception=None):
    return _page(request, "403.html", 403, "Not allowed", "Your account cannot do that here.")


def page_not_found(request, exception=None):
    return _page(request, "404.html", 404, "Not found", "There is no page at this address.", {"path": request.path})


def server_error(request):
    # Drawn without the request's context: whatever failed may fail again.
    return _page(None, "500.html", 500, "Something went wrong", "The error has been logged. Nothing you entered was saved.")


def csrf_failure(request, reason=""):
    logger.warning("CSRF check failed for %s: %s", request.path, reason)
    return _page(request, "403_csrf.html", 403, "Form expired",
                 "The form could not be checked. Reload the page and try again.")
