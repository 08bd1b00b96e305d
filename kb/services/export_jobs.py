"""Large exports as background jobs: the whole selection written to a file by a job worker,
then downloaded by the person who asked for it.

A streamed download (kb/exports.py) serves most selections; a million-citation CSV still
takes minutes, longer than a proxy keeps a request open, so signed-in users can have it made
as a file instead. The job is an ImportJob of kind "export" and so shares the import jobs'
lease, heartbeat, retry and recovery (kb/services/jobs.py runs it). Its filters are the claim
list's query string, read again when the job runs, with the requester's visibility at that
moment (an editor who lost the role no longer exports candidates).
"""
from __future__ import annotations

import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.http import QueryDict
from django.utils import timezone

from kb import exports
from kb.forms.claim_filters import clean_filters
from kb.models import ImportJob
from kb.permissions import sees_unreviewed
from kb.selectors import claims as browse
from kb.selectors.exports import export_rows

FORMATS = {
    # format: (file extension, content type)
    "csv": ("csv", "text/csv; charset=utf-8"),
    "jsonld": ("jsonld", "application/ld+json; charset=utf-8"),
}
MAX_QUERY_CHARS = 2000


def export_storage():
    return storages["exports"]


def export_job_check(*, user, fmt: str, query: str) -> None:
    """Refuse an export job that cannot or should not be made: a visitor, an unknown format,
    a query string that is not a claim list's, or too many of the user's exports waiting."""
    if not user.is_authenticated:
        raise ValidationError("Sign in to have an export made as a file.", code="login_required")
    if fmt not in FORMATS:
        raise ValidationError({"fmt": ValidationError("Choose CSV or JSON-LD.", code="invalid_choice")})
    if len(query) > MAX_QUERY_CHARS:
        raise ValidationError({"query": ValidationError("These filters are too long to keep.", code="max_length")})
    _filters, problems = clean_filters(QueryDict(query), editor=sees_unreviewed(user))
    if problems:
        raise ValidationError({"query": ValidationError(" ".join(problems), code="invalid_filters")})
    waiting = ImportJob.objects.filter(
        kind=ImportJob.Kind.EXPORT, user=user, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).count()
    if waiting >= settings.CLAIMBOOK_EXPORT_JOBS_PER_USER:
        raise ValidationError(
            f"You already have {waiting} exports being made; wait for one to finish.", code="too_many_exports"
        )


def export_file_name(job: ImportJob) -> str:
    # The job's id and batch key: one file per job (a second run replaces it) that nobody guesses.
    return f"claims-{job.pk}-{job.batch}.{FORMATS[job.metadata['format']][0]}"


def export_write(job: ImportJob) -> dict:
    """Write the job's file; return its counts. Running it again writes the same file again."""
    fmt, base_url = job.metadata["format"], job.metadata.get("base_url", "")
    editor = sees_unreviewed(job.user) if job.user else False
    filters, _problems = clean_filters(QueryDict(job.metadata.get("query", "")), editor=editor)
    claims = browse.ranked_selection(browse.filter_claims(filters, editor=editor), filters)
    order, _sort = browse.sort_order(filters)
    counter = _Counter(export_rows(claims, relations=True, order=order, timestamps=False))
    parts = exports.csv_lines(counter) if fmt == "csv" else exports.jsonld_parts(counter, base_url)
    storage, name = export_storage(), export_file_name(job)
    with tempfile.TemporaryFile() as spool:
        size = 0
        for piece in exports.buffered(parts):
            data = piece.encode("utf-8")
            spool.write(data)
            size += len(data)
        spool.seek(0)
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, File(spool, name=name))
    return {"file": saved, "bytes": size, "claims": counter.count}


class _Counter:
    """Counts the rows it passes on."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def export_files_expire(*, ttl: timedelta | None = None) -> int:
    """Delete the files of exports finished more than CLAIMBOOK_EXPORT_TTL_HOURS ago (the job
    row stays, marked expired); return how many."""
    ttl = ttl or timedelta(hours=settings.CLAIMBOOK_EXPORT_TTL_HOURS)
    old = ImportJob.objects.filter(
        kind=ImportJob.Kind.EXPORT, status=ImportJob.Status.DONE, finished_at__lt=timezone.now() - ttl,
    ).exclude(counts__has_key="expired")
    storage, expired = export_storage(), 0
    for job in old.iterator():
        name = job.counts.get("file")
        if name and storage.exists(name):
            storage.delete(name)
        ImportJob.objects.filter(pk=job.pk).update(counts={**job.counts, "expired": True})
        expired += 1
    return expired
