"""Writes for background jobs: create and enqueue them, run them, retry them, recover them.

A job is an ImportJob row (what the admin sees) plus a django-tasks task that names it (what
a worker picks up). The task is enqueued when the row's transaction commits, so a worker
never looks for a job that is not there yet.

Running a job is idempotent and resumable: each stage commits together with the record
that it is done, so a second run of a finished job changes nothing and a retried job starts
at the first stage not yet done. Every write of a running attempt is fenced by its lease
token: an attempt that lost its lease (its worker was presumed dead and the job handed on)
has its transaction rolled back instead of writing beside the new attempt.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from kb.importing.decode import ImportRefused
from kb.importing.fetch import FetchFailed, fetch_url, policy_from_settings
from kb.importing.metadata import attachment_metadata, validate_metadata
from kb.importing.prepare import prepare
from kb.models import ImportJob, PendingImport, Source
from kb.services.candidates import candidates_propose
from kb.services.export_jobs import FORMATS, export_job_check, export_write
from kb.services.overlaps import source_overlaps_record
from kb.services.sources import source_import

logger = logging.getLogger("kb.jobs")

Status = ImportJob.Status


class LeaseLost(Exception):
    """This attempt no longer owns its job: its writes are rolled back."""


# ---- creating and enqueueing ---------------------------------------------------------------


def import_job_create(*, data: bytes, name: str, metadata: dict | None = None, user=None,
                      batch: str = "") -> ImportJob:
    """A job that imports one document (all stages), enqueued when this transaction commits."""
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.IMPORT, user=user, batch=batch or uuid.uuid4().hex, name=name[:500],
        data=data, metadata=metadata or {}, attempts_allowed=settings.CLAIMBOOK_JOB_ATTEMPTS,
    )
    job_enqueue(job=job)
    return job


def url_job_create(*, url: str, metadata: dict | None = None, user=None, batch: str = "") -> ImportJob:
    """A job that fetches the page at `url` (kb.importing.fetch, in the worker) and imports it."""
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.IMPORT, user=user, batch=batch or uuid.uuid4().hex, name=url[:500], url=url,
        metadata=metadata or {}, attempts_allowed=settings.CLAIMBOOK_JOB_ATTEMPTS,
    )
    job_enqueue(job=job)
    return job


def candidates_job_create(*, source: Source, user=None, batch: str = "") -> ImportJob:
    """A job that proposes candidate claims for a stored source (`propose_candidates`)."""
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.CANDIDATES, user=user, batch=batch or uuid.uuid4().hex,
        name=source.slug, source=source, attempts_allowed=settings.CLAIMBOOK_JOB_ATTEMPTS,
        stages={stage: {"state": "skipped"} for stage in ImportJob.STAGES if stage != "candidates"},
    )
    job_enqueue(job=job)
    return job


def export_job_create(*, user, fmt: str, query: str, base_url: str) -> ImportJob:
    """A job that writes the claim list's selection (`query`, its query string, without page
    or sort) as a CSV or JSON-LD file for `user` (kb.services.export_jobs), enqueued when this
    transaction commits."""
    export_job_check(user=user, fmt=fmt, query=query)
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.EXPORT, user=user, batch=uuid.uuid4().hex, name=f"claims.{FORMATS[fmt][0]}",
        metadata={"format": fmt, "query": query, "base_url": base_url},
        attempts_allowed=settings.CLAIMBOOK_JOB_ATTEMPTS,
    )
    job_enqueue(job=job)
    return job


def job_enqueue(*, job: ImportJob, delay: float = 0) -> None:
    """Hand the job to the workers once the current transaction commits."""
    job_id = job.pk

    def enqueue():
        runner = run_job
        if delay and runner.get_backend().supports_defer:
            runner = runner.using(run_after=timezone.now() + timedelta(seconds=delay))
        result = runner.enqueue(job_id)
        # The immediate backend has run the job by now; the database one has only queued it.
        ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


def job_retry(*, job: ImportJob) -> ImportJob:
    """Give a failed job another round of attempts (the import page's retry button)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != Status.FAILED:
            raise ValidationError("Only a failed job can be retried.", code="not_failed")
        if not job.retryable:
            raise ValidationError(
                "This document was refused; retrying would refuse it again. Upload a corrected file.",
                code="not_retryable",
            )
        job.status = Status.QUEUED
        job.attempts_allowed = job.attempts + settings.CLAIMBOOK_JOB_ATTEMPTS
        job.finished_at = None
        job.save(update_fields=["status", "attempts_allowed", "finished_at"])
        job_enqueue(job=job)
    logger.info("job retried", extra={"job_id": job.pk, "job_kind": job.kind})
    return job


# ---- running -------------------------------------------------------------------------------


@task()
def run_job(job_id: int) -> str:
    """The django-tasks entry point: run (or resume) one job."""
    return job_run(job_id=job_id)


def job_run(*, job_id: int) -> str:
    """Run the job's remaining stages; return its status. Safe to call any number of times."""
    began = time.perf_counter()
    token = _claim(job_id)
    if token is None:
        return "skipped"
    job = ImportJob.objects.select_related("source", "user").get(pk=job_id)
    log = {"job_id": job.pk, "job_kind": job.kind, "attempt": job.attempts}
    logger.info("job started", extra=log)
    outcome = "failed"
    try:
        with _Heartbeat(job_id, token):
            _run_stages(job, token)
        _finish(job, token, status=Status.DONE)
        outcome = "done"
    except LeaseLost:
        outcome = "lease lost"
    except (ImportRefused, ValidationError) as refused:
        message = refused.message if isinstance(refused, ImportRefused) else "; ".join(refused.messages)
        try:
            # A page that did not answer may answer later: the admin may retry that one.
            _finish(job, token, status=Status.FAILED, error=message, retryable=isinstance(refused, FetchFailed))
            outcome = "refused"
        except LeaseLost:
            outcome = "lease lost"
    except Exception as exc:  # anything else may pass: record it, retry while attempts remain
        logger.exception("job attempt failed", extra=log)
        again = job.attempts < job.attempts_allowed
        error = f"{type(exc).__name__}: {exc}"[:2000]
        try:
            _finish(job, token, status=Status.QUEUED if again else Status.FAILED, error=error)
        except LeaseLost:
            return "lease lost"
        except Exception:  # the database itself is down: the lease runs out and recovery retries
            logger.warning("job state not recorded; it will be recovered", extra=log)
            return "failed"
        if again:
            outcome = "retrying"
            job_enqueue_now(job_id, delay=min(2 ** job.attempts, 60))
    logger.info("job finished", extra={**log, "outcome": outcome,
                                       "duration_ms": round((time.perf_counter() - began) * 1000)})
    return outcome


def job_enqueue_now(job_id: int, *, delay: float = 0) -> None:
    """Enqueue outside any transaction (the job's own state is already committed)."""
    with transaction.atomic():
        job_enqueue(job=ImportJob(pk=job_id), delay=delay)


def _claim(job_id: int) -> str | None:
    """Take the job for this attempt: a fresh lease token, one more attempt counted.
    None when there is nothing to do (finished, or held by a live attempt elsewhere)."""
    now = timezone.now()
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        lease_ends = (job.heartbeat_at or now) + timedelta(seconds=settings.CLAIMBOOK_JOB_LEASE_SECONDS)
        if job.status == Status.RUNNING and lease_ends > now:
            return None
        if job.attempts >= job.attempts_allowed:
            job.status, job.finished_at = Status.FAILED, now
            job.error = job.error or "No attempts left."
            job.save(update_fields=["status", "finished_at", "error"])
            return None
        token = secrets.token_hex(16)
        job.status, job.lease, job.heartbeat_at = Status.RUNNING, token, now
        job.attempts += 1
        job.started_at = job.started_at or now
        job.save(update_fields=["status", "lease", "heartbeat_at", "attempts", "started_at"])
    return token


def _fence(job: ImportJob, token: str, **fields) -> None:
    """Write the job's progress, only while this attempt still holds the lease."""
    fields.setdefault("heartbeat_at", timezone.now())
    if not ImportJob.objects.filter(pk=job.pk, lease=token, status=Status.RUNNING).update(**fields):
        raise LeaseLost(job.pk)
    for name, value in fields.items():
        setattr(job, name, value)


def _stage_done(job: ImportJob, stage: str, *, seconds: float = 0.0, state: str = "done") -> dict:
    stages = dict(job.stages)
    stages[stage] = {"state": state, "seconds": round(seconds, 3)}
    return stages


def _run_stages(job: ImportJob, token: str) -> None:
    if job.kind == ImportJob.Kind.EXPORT:
        _export_stage(job, token)
        return
    if job.kind == ImportJob.Kind.IMPORT and job.source_id is None:
        _store_stages(job, token)
    if job.source_id is None:
        raise ImportRefused("gone", "the source this job worked on no longer exists")
    source = job.source
    if "copy check" not in job.stages:
        _fence(job, token, stage="copy check")
        began = time.perf_counter()
        with transaction.atomic():
            links = source_overlaps_record(source=source)
            _fence(job, token, stages=_stage_done(job, "copy check", seconds=time.perf_counter() - began),
                   counts={**job.counts, "links": len(links)})
    if "candidates" not in job.stages:
        _fence(job, token, stage="candidates")
        began = time.perf_counter()
        with transaction.atomic():
            made = candidates_propose(source=source)
            counts = {**job.counts, "candidates": len(made)}
            _fence(job, token, stages=_stage_done(job, "candidates", seconds=time.perf_counter() - began),
                   counts=counts)


def _fetch_stage(job: ImportJob, token: str) -> None:
    """Fetch the job's address; the bytes, the address and the retrieval date are kept on the
    job, so a retry goes on from here without fetching again."""
    _fence(job, token, stage=ImportJob.FETCH)
    began = time.perf_counter()
    fetched = fetch_url(job.url, policy_from_settings(settings))
    metadata = dict(job.metadata or {})
    metadata["url"] = metadata.get("url") or fetched.url
    metadata["retrieved"] = metadata.get("retrieved") or fetched.retrieved_at.date().isoformat()
    stages = _stage_done(job, ImportJob.FETCH, seconds=time.perf_counter() - began)
    _fence(job, token, data=fetched.data, metadata=metadata, stages=stages, counts={
        **job.counts, "fetched_bytes": len(fetched.data), "final_url": fetched.final_url,
        "retrieved_at": fetched.retrieved_at.isoformat(timespec="seconds"),
    })


def _export_stage(job: ImportJob, token: str) -> None:
    _fence(job, token, stage="export")
    began = time.perf_counter()
    counts = export_write(job)
    _fence(job, token, stages={"export": {"state": "done", "seconds": round(time.perf_counter() - began, 3)}},
           counts={**job.counts, **counts})


def _store_stages(job: ImportJob, token: str) -> None:
    if job.url and ImportJob.FETCH not in job.stages:
        _fetch_stage(job, token)
    data = bytes(job.data or b"")
    _fence(job, token, stage="decode")
    timings: dict[str, float] = {}
    prepared = prepare(data, job.name, timings=timings)
    metadata = validate_metadata(job.metadata or {}, job.name)
    stages = _stage_done(job, "decode", seconds=timings["decode"])
    stages["structure"] = {"state": "done", "seconds": round(timings["structure"], 3)}
    structure = prepared.structure
    _fence(job, token, stage="store", stages=stages, counts={**job.counts,
        "characters": len(prepared.text), "format": prepared.format, "encoding": prepared.encoding,
        "sections": len(structure.sections), "passages": len(structure.blocks),
        "boilerplate": structure.boilerplate_count,
    })
    with transaction.atomic():
        result = source_import(data=data, name=job.name, metadata=metadata, user=job.user,
                               prepared=prepared, copy_check=False, candidates=False)
        stages = dict(job.stages)
        stages["store"] = {"state": "done", "seconds": round(result.timings.get("store", 0.0), 3)}
        if result.status == "version":
            stages["re-anchoring"] = {"state": "done", "seconds": round(result.timings.get("re-anchoring", 0.0), 3)}
        else:
            stages["re-anchoring"] = {"state": "skipped"}
        if result.status == "unchanged":  # stored before: its copy check and candidates exist
            stages["copy check"] = stages["candidates"] = {"state": "skipped"}
        counts = {**job.counts, "slug": result.slug, "version": result.version}
        if result.reanchored:
            counts["reanchored"] = result.reanchored
        if result.status in ("created", "version") and prepared.attachments:
            # An e-mail's attachments: each a job of this batch, queued when this stage commits.
            raw = attachment_metadata(job.metadata or {}, carrier_slug=result.slug, carrier_title=result.title)
            for attachment, body in prepared.attachments:
                import_job_create(data=body, name=f"{job.name}/{attachment}"[-500:], metadata=raw,
                                  user=job.user, batch=job.batch)
            counts["attachments"] = len(prepared.attachments)
        _fence(job, token, source=result.source, outcome=result.status, stages=stages, counts=counts,
               data=None)


def _finish(job: ImportJob, token: str, *, status: str, error: str = "", retryable: bool = True) -> None:
    fields = {"status": status, "error": error, "retryable": retryable, "stage": ""}
    if status in (Status.DONE, Status.FAILED):
        fields["finished_at"] = timezone.now()
    if status == Status.FAILED and job.stage:
        fields["stages"] = _stage_done(job, job.stage, state="failed")
    if status == Status.DONE:
        fields["error"] = ""
    _fence(job, token, **fields)


class _Heartbeat:
    """Touch the job's heartbeat from a side thread while a stage runs for minutes, so only a
    job whose worker died looks abandoned. Off when the job runs inside a transaction (the
    tests): a second connection could neither see its rows nor update them without waiting."""

    def __init__(self, job_id: int, token: str):
        self.job_id, self.token = job_id, token
        self.stop = threading.Event()
        self.thread = None

    def __enter__(self):
        interval = settings.CLAIMBOOK_JOB_HEARTBEAT_SECONDS
        if interval > 0 and not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._beat, args=(interval,), daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread is not None:
            self.thread.join()

    def _beat(self, interval: float) -> None:
        try:
            while not self.stop.wait(interval):
                try:
                    ImportJob.objects.filter(pk=self.job_id, lease=self.token).update(heartbeat_at=timezone.now())
                except Exception:  # the next beat tries again; a dead database ends the lease anyway
                    close_old_connections()
        finally:
            connection.close()


# ---- housekeeping (the worker runs it between jobs) ---------------------------------------


def jobs_recover_stale() -> list[int]:
    """Jobs whose worker stopped (killed, machine lost): back to the queue while attempts
    remain, else failed. Jobs queued whose task never reached the queue are enqueued again."""
    now = timezone.now()
    lease = timedelta(seconds=settings.CLAIMBOOK_JOB_LEASE_SECONDS)
    recovered = []
    stale = ImportJob.objects.filter(status=Status.RUNNING, heartbeat_at__lt=now - lease)
    for job_id in stale.values_list("pk", flat=True)[:100]:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().filter(
                pk=job_id, status=Status.RUNNING, heartbeat_at__lt=now - lease).first()
            if job is None:
                continue
            job.lease = ""
            if job.attempts < job.attempts_allowed:
                job.status = Status.QUEUED
                job.error = f"The worker stopped during {job.stage or 'the job'}; trying again."
                job_enqueue(job=job)
            else:
                job.status, job.finished_at = Status.FAILED, now
                job.error = f"The worker stopped during {job.stage or 'the job'}, and no attempts are left."
                if job.stage:
                    job.stages = _stage_done(job, job.stage, state="failed")
            job.save(update_fields=["status", "error", "lease", "finished_at", "stages"])
            if job.task_id:  # the dead worker's task row would say "running" forever
                DBTaskResult.objects.filter(pk=_uuid_or_none(job.task_id), status="RUNNING").update(
                    status="FAILED", finished_at=now, exception_class_path="kb.services.jobs.WorkerStopped",
                    traceback="The worker stopped while running this task; the job was enqueued again.")
        recovered.append(job_id)
        logger.warning("stale job recovered", extra={"job_id": job_id, "job_kind": job.kind,
                                                    "outcome": job.status})
    lost = ImportJob.objects.filter(status=Status.QUEUED, task_id="", created_at__lt=now - lease)
    for job in lost[:100]:
        with transaction.atomic():
            job_enqueue(job=job)
        recovered.append(job.pk)
    return recovered


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


# A preview's upload waits this long for its confirmation, then goes.
PENDING_TTL = timedelta(hours=1)


def pending_imports_expire(*, ttl: timedelta = PENDING_TTL) -> int:
    """Previews never confirmed: their uploads go after `ttl`."""
    deleted, _ = PendingImport.objects.filter(created_at__lt=timezone.now() - ttl).delete()
    return deleted
