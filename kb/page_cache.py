"""Whole pages for anonymous readers, cached and validated by the knowledge base's generation.

A page an anonymous reader sees depends only on the knowledge base, the address and the
running code, so it is stored in the `pages` cache under a key made of the generation
(kb.selectors.generation: one primary-key read per request, from the primary), the release,
the address and the representation asked for. Every committed write bumps the generation
(kb.services.generation), so a page stored before it is never found again: nothing is ever
deleted, old keys age out. The same key is the page's ETag, and the generation's time its
Last-Modified, so a reader who has the page gets a 304 without it being rendered or read.

Why the generation is read from the database on every request rather than kept in the cache
with a short lifetime: any lifetime is a window in which another process's edit is committed
but this process still serves the older page. The read is one indexed row on a connection
the request holds anyway; with local-memory caches (a cache per process) it is also the only
thing every process shares.

Who gets cached pages: GET and HEAD requests without a session cookie, a messages cookie or
an Authorization header, i.e. no one signed in (editors, researchers, API tokens always get
pages made for them). A response is stored only when it is a plain 200 that sets no cookie
(a page that issued a CSRF token or a message is someone's own) and is not marked private.
`CLAIMBOOK_PAGE_CACHE=0` turns all of this off.
"""
from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from kb.conditional import conditional, generation_validators, not_modified, set_validators
from kb.db_router import REPLICA, replica_reads_enabled
from kb.selectors.generation import kb_generation
from kb.services.generation import kb_generation_bump

PAGES_CACHE = "pages"
ADMIN_PATH = "/admin/"
# The pages whose content is the same for every anonymous reader (URL names in kb/urls.py).
CACHED_PAGES = frozenset({
    "home", "claim-list", "claim-detail", "source-list", "source-detail", "source-version",
    "entity-list", "entity-detail", "tag-detail", "timeline",
})
# Response headers a stored page keeps; ETag and Last-Modified are set from the key.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Content-Security-Policy", "Permissions-Policy",
                 "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy")


def page_cache_on() -> bool:
    return bool(getattr(settings, "CLAIMBOOK_PAGE_CACHE", False))


def anonymous(request) -> bool:
    """No one is signed in and nothing personal is pending, decided without touching the session."""
    cookies = request.COOKIES
    return (settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies
            and "HTTP_AUTHORIZATION" not in request.META)


@lru_cache(maxsize=256)
def _representation_for(accept: str) -> str:
    asking = HttpRequest()
    asking.META["HTTP_ACCEPT"] = accept
    return asking.get_preferred_type(["text/html", "application/ld+json"]) or "text/html"


def _representation(request) -> str:
    # Claim permalinks answer JSON-LD to those who ask for it (kb/views/claims.py). Parsing the
    # Accept header was a sixth of a cached hit; browsers and clients send a few fixed ones.
    return _representation_for(request.META.get("HTTP_ACCEPT", "*/*")[:1000])


def _resolved_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


_remembered_name = lru_cache(maxsize=4096)(_resolved_name)


def _page_name(path: str) -> str | None:
    """The URL name of `path`, or None; short paths remembered (the URLconf does not change
    while a process runs), so the cache holds at most 4,096 of them, a few hundred KB."""
    return _remembered_name(path) if len(path) <= 200 else _resolved_name(path)


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and len(response.content) <= settings.CLAIMBOOK_PAGE_CACHE_MAX_BYTES
    )


def _replica_caught_up(generation: int) -> bool:
    """A page rendered from a lagging replica may be older than `generation`: it is stored only
    when the replica had seen that generation before the page was rendered (a replica never
    goes back, so everything the page read is at least that new)."""
    if not replica_reads_enabled():
        return True
    return kb_generation(using=REPLICA)[0] >= generation


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and request.path_info.startswith(ADMIN_PATH):
            # The admin saves some rows itself (entities, tags, its own ModelAdmin forms): once
            # its transaction is over, a form post there retires the cached pages too.
            response = self.get_response(request)
            kb_generation_bump()
            return response
        if not (page_cache_on() and request.method in ("GET", "HEAD") and anonymous(request)):
            return self.get_response(request)
        if _page_name(request.path_info) not in CACHED_PAGES:
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:  # the usual 400 for a refused host
            return self.get_response(request)

        generation, changed_at = kb_generation()
        etag, last_modified = generation_validators(
            generation, changed_at, request.scheme, host, request.get_full_path(), _representation(request))
        if conditional(request):
            answer = not_modified(request, etag, last_modified)
            if answer is not None:
                return answer
        cache = caches[PAGES_CACHE]
        key = "page:" + etag[3:-1]
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for header, value in headers:
                response[header] = value
            response["X-Claimbook-Cache"] = "hit"
            return response

        fresh_enough = _replica_caught_up(generation)  # before rendering: see its docstring
        response = self.get_response(request)
        if (request.method == "GET" and fresh_enough and _storable(response)
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")):
            set_validators(response, etag, last_modified)
            headers = [(h, response[h]) for h in (*_KEPT_HEADERS, "ETag", "Last-Modified") if h in response]
            cache.set(key, (response.content, headers), settings.CLAIMBOOK_PAGE_CACHE_SECONDS)
            response["X-Claimbook-Cache"] = "miss"
        return response
