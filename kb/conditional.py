"""Conditional GET by the knowledge base's generation: ETag and Last-Modified validators for
anything that changes only when the knowledge base does (anonymous pages, exports), and the
304 answer. The release (what code runs) is part of every validator, so a new release never
answers 304 for what an older one made."""
from __future__ import annotations

import hashlib
import os
import time
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

_STARTED = time.time()


@lru_cache(maxsize=1)
def release() -> str:
    """CLAIMBOOK_RELEASE (say, the deployed commit), else a digest of the package's and the
    templates' files (name, size, modification time), read once a process."""
    named = os.environ.get("CLAIMBOOK_RELEASE", "").strip()
    if named:
        return named
    digest = hashlib.sha256()
    for folder in (settings.PACKAGE_DIR, settings.TEMPLATES_DIR):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".txt"} and path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def generation_validators(generation: int, changed_at, *parts: str) -> tuple[str, float]:
    """(weak ETag, Last-Modified timestamp) of something that changes only with the generation
    (and the release); `parts` name the thing (its address, who asks)."""
    digest = hashlib.sha256("\x1f".join([release(), str(generation), *parts]).encode()).hexdigest()[:32]
    # A process started after the last edit may run newer code: never older than its start.
    return f'W/"{digest}"', max(changed_at, _STARTED)


def set_validators(response, etag: str, last_modified: float):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response


# The request headers that can make an answer conditional (RFC 9110, section 13.1).
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def conditional(request) -> bool:
    """Whether the request asks anything of its validators (most do not: no answer to build)."""
    meta = request.META
    return any(header in meta for header in CONDITIONAL_HEADERS)


def not_modified(request, etag: str, last_modified: float):
    """The 304 (or 412) answer to a conditional request, carrying the validators; None to go on."""
    validators = set_validators(HttpResponse(), etag, last_modified)
    answer = get_conditional_response(request, etag=etag, last_modified=int(last_modified), response=validators)
    return None if answer is validators else answer
