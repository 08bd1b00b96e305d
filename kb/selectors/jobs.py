"""Reads for background jobs: a batch's jobs for the status page, and the queue's health."""
from __future__ import annotations

from django.db.models import Min
from django.utils import timezone

from kb.models import ImportJob

STAGE_LABELS = {stage: stage for stage in (ImportJob.FETCH, *ImportJob.STAGES)}


def batch_jobs(*, batch: str, user) -> list[ImportJob]:
    """The jobs of one batch that `user` may watch: their own, or any for a superuser.
    A batch holds at most CLAIMBOOK_MAX_BATCH_FILES jobs, so the list is bounded."""
    jobs = ImportJob.objects.filter(batch=batch).select_related("source").defer("data", "source__text", "source__original")
    if not user.is_superuser:
        jobs = jobs.filter(user=user)
    return list(jobs.order_by("pk"))


def job_for_user(*, pk: int, user) -> ImportJob | None:
    jobs = ImportJob.objects.defer("data").filter(pk=pk)
    if not user.is_superuser:
        jobs = jobs.filter(user=user)
    return jobs.first()


def job_state(job: ImportJob) -> dict:
    """What the status page shows of one job, as plain data (the page and its JSON agree)."""
    stages = []
    for stage in job.stage_names:
        recorded = job.stages.get(stage, {})
        state = recorded.get("state") or ("running" if job.stage == stage and job.status == job.Status.RUNNING
                                          else "waiting")
        stages.append({"name": stage, "state": state, "seconds": recorded.get("seconds")})
    source = job.source
    return {
        "id": job.pk, "kind": job.kind, "name": job.name, "status": job.status,
        "stage": job.stage, "stages": stages, "counts": job.counts, "outcome": job.outcome,
        "error": job.error, "retryable": job.retryable and job.status == job.Status.FAILED,
        "attempts": job.attempts, "finished": job.is_finished,
        "candidates_ready": job.candidates_ready,
        "source_url": source.get_absolute_url() if source is not None else None,
        "source_title": source.title if source is not None else None,
    }


def batch_state(jobs: list[ImportJob]) -> dict:
    states = [job_state(job) for job in jobs]
    return {
        "jobs": states,
        "finished": all(state["finished"] for state in states),
        "done": sum(state["status"] == "done" for state in states),
        "failed": sum(state["status"] == "failed" for state in states),
        "candidates": sum(state["counts"].get("candidates", 0) for state in states),
        "candidates_ready": any(state["candidates_ready"] for state in states),
    }


def queue_health() -> dict:
    """Jobs waiting and how long the oldest has waited (seconds): the queue's lag."""
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
    return {
        "waiting": ready.count(),
        "lag_seconds": round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0.0,
        "running_jobs": ImportJob.objects.filter(status=ImportJob.Status.RUNNING).count(),
    }


def export_jobs_for(user, *, limit: int = 50) -> list[ImportJob]:
    """The user's latest exports made as files, newest first (their own only: a file holds
    what its requester may see)."""
    return list(ImportJob.objects.defer("data").filter(kind=ImportJob.Kind.EXPORT, user=user)
                .order_by("-created_at", "-pk")[:limit])


def export_job_for(*, pk: int, user) -> ImportJob | None:
    return ImportJob.objects.defer("data").filter(kind=ImportJob.Kind.EXPORT, user=user, pk=pk).first()
