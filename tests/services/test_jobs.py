"""Import jobs: every stage runs once, a retried job resumes, a dead worker's job is handed on,
a refused document fails clearly, and the database queue runs them through `jobs_worker`."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from kb.models import Claim, ImportJob, Source
from kb.services import jobs as jobs_service
from kb.services.jobs import (
    LeaseLost, import_job_create, job_retry, job_run, jobs_recover_stale, pending_imports_expire,
)

TEXT = (
    "# Ministry report\n\n"
    "The ministry said on 4 March 2019 that it had paid $30 million to the group in 2018.\n\n"
    "## Background\n\n"
    "According to a UN official, earlier talks in 2017 had failed after the envoy resigned.\n"
)


def create(data=TEXT.encode(), name="report.md", **metadata):
    """A job created and committed; with the immediate backend it runs on commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        with transaction.atomic():
            job = import_job_create(data=data, name=name, metadata={"kind": "news", **metadata})
    job.refresh_from_db()
    return job


def test_a_job_runs_every_stage_and_keeps_the_counts(db):
    job = create()
    assert job.status == "done" and job.attempts == 1 and job.error == ""
    source = Source.objects.get(slug="ministry-report")
    assert job.source == source and job.outcome == "created" and job.data is None
    states = {stage: job.stages[stage]["state"] for stage in ImportJob.STAGES}
    assert states == {"decode": "done", "structure": "done", "store": "done", "re-anchoring": "skipped",
                      "copy check": "done", "candidates": "done"}
    assert job.counts["passages"] == 4 and job.counts["sections"] == 2
    assert job.counts["candidates"] == Claim.objects.filter(citations__source=source, status="candidate").count() > 0


def test_running_a_finished_job_again_changes_nothing(db):
    job = create()
    claims = Claim.objects.count()
    assert job_run(job_id=job.pk) == "skipped"
    job.refresh_from_db()
    assert job.attempts == 1 and Claim.objects.count() == claims


def test_a_source_is_stored_even_when_mining_fails_and_retry_resumes_at_mining(db, monkeypatch):
    calls = []

    def broken(*, source):
        calls.append(source.pk)
        raise RuntimeError("the extractor fell over")

    monkeypatch.setattr(jobs_service, "candidates_propose", broken)
    job = create()
    # Three attempts (CLAIMBOOK_JOB_ATTEMPTS), each resuming at the candidates stage.
    assert job.status == "failed" and job.attempts == 3 and len(calls) == 3
    assert "RuntimeError: the extractor fell over" in job.error and job.retryable
    assert job.stages["store"]["state"] == "done" and job.stages["candidates"]["state"] == "failed"
    assert Source.objects.filter(slug="ministry-report").count() == 1  # stored once, kept
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        job_retry(job=job)
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 4 and job.error == ""
    assert Source.objects.filter(slug="ministry-report").count() == 1


def test_a_refused_document_fails_at_once_with_its_reason_and_cannot_be_retried(db, db_snapshot):
    job = create(data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), name="picture.txt")
    assert job.status == "failed" and job.attempts == 1 and not job.retryable
    assert "binary" in job.error and job.stages["decode"]["state"] == "failed"
    assert not Source.objects.filter(filename="picture.txt").exists()
    with pytest.raises(ValidationError) as refused:
        job_retry(job=job)
    assert refused.value.code == "not_retryable"


def test_a_job_whose_worker_died_is_handed_on_and_completes_once(db, settings):
    job = create()
    candidates = Claim.objects.filter(status="candidate").count()
    # As if a worker had claimed a second run and was killed: running, heartbeat long silent.
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", lease="dead-worker", stages={k: v for k, v in job.stages.items() if k != "candidates"},
        heartbeat_at=timezone.now() - timedelta(seconds=settings.CLAIMBOOK_JOB_LEASE_SECONDS + 5))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert jobs_recover_stale() == [job.pk]
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2
    # candidates_propose skips sentences that already carry a citation: no duplicates.
    assert Claim.objects.filter(status="candidate").count() == candidates


def test_a_live_job_is_not_taken_over(db):
    job = create()
    ImportJob.objects.filter(pk=job.pk).update(status="running", lease="alive", heartbeat_at=timezone.now())
    assert jobs_recover_stale() == []
    assert job_run(job_id=job.pk) == "skipped"


def test_an_attempt_that_lost_its_lease_writes_nothing(db):
    job = create()
    ImportJob.objects.filter(pk=job.pk).update(status="running", lease="the-new-owner")
    with pytest.raises(LeaseLost):
        jobs_service._fence(job, "the-old-owner", stage="candidates")
    job.refresh_from_db()
    assert job.stage == ""


def test_pending_previews_expire(db):
    from django.contrib.auth import get_user_model

    from kb.models import PendingImport

    user = get_user_model().objects.create_user("previewer")
    old = PendingImport.objects.create(token="old", user=user, name="a.txt", data=b"x")
    PendingImport.objects.create(token="new", user=user, name="b.txt", data=b"y")
    PendingImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert pending_imports_expire() == 1
    assert list(PendingImport.objects.values_list("token", flat=True)) == ["new"]


@pytest.fixture
def worker_in_test_transaction(monkeypatch):
    """The worker tidies connections between jobs; inside a test's transaction that would
    close it (on PostgreSQL), so here it leaves them be."""
    from django_tasks_db.management.commands import db_worker

    from kb.management.commands import jobs_worker

    for module in (db_worker, jobs_worker):
        monkeypatch.setattr(module, "close_old_connections", lambda: None)


def test_the_database_queue_holds_jobs_until_a_worker_runs_them(db, settings, worker_in_test_transaction):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = create()
    assert job.status == "queued" and not Source.objects.filter(slug="ministry-report").exists()
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and job.task_id == str(task.id)
    call_command("jobs_worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == "done" and task.status == "SUCCESSFUL"
    assert Source.objects.filter(slug="ministry-report").exists()


def test_import_source_enqueue_prints_job_ids_and_returns_at_once(db, settings, tmp_path, capsys,
                                                                  worker_in_test_transaction):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for index in range(2):
        (tmp_path / f"doc{index}.md").write_text(TEXT.replace("Ministry", f"Ministry {index}"), encoding="utf-8")
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("import_source", str(tmp_path), "--enqueue")
    out = capsys.readouterr().out
    jobs = list(ImportJob.objects.order_by("pk"))
    assert [f"job {job.pk}: {job.name}" in out for job in jobs] == [True, True]
    assert "Queued 2 import jobs" in out and not Source.objects.filter(slug__startswith="ministry-").exists()
    call_command("jobs_worker", "--batch", "--interval", "0")
    assert Source.objects.filter(slug__startswith="ministry-").count() == 2


def test_propose_candidates_runs_as_a_job(db, capsys):
    from kb.services.sources import source_import

    source = source_import(data=TEXT.encode(), name="report.md", candidates=False).source
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("propose_candidates", source.slug, "--enqueue")
    assert "Queued 1 candidate jobs" in capsys.readouterr().out
    job = ImportJob.objects.get()
    assert job.kind == "candidates" and job.status == "done" and job.counts["candidates"] > 0
    assert Claim.objects.filter(citations__source=source, status="candidate").count() == job.counts["candidates"]
