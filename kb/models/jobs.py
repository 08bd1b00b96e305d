"""Background work an admin can watch: one row per import (or candidate-mining run, or an
export made as a file: kb/services/export_jobs.py).

The queue itself is django-tasks' table (django_tasks_db); this row is what the product
knows about the work: its stages, counts, errors, attempts and the source it made. A job's
stages are recorded as they finish, each in the transaction that did the work, so a retried
job resumes where the last attempt stopped and never does a stage twice.
"""
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", "import a document"
        CANDIDATES = "candidates", "propose candidate claims"
        EXPORT = "export", "export claims to a file"

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    # The pipeline, in order. "decode" and "structure" run before anything is stored; "store"
    # and "re-anchoring" commit together; the last two are separate, repeatable steps.
    STAGES = ("decode", "structure", "store", "re-anchoring", "copy check", "candidates")
    # A job given an address fetches the page first (in the worker, never in a web request).
    FETCH = "fetch"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.IMPORT)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Jobs uploaded together (a batch, or a zip) share a key; a lone import has its own.
    batch = models.CharField(max_length=40, db_index=True)
    name = models.CharField(max_length=500)
    # The document's bytes, kept until it is stored (so a retry needs nothing from the browser).
    data = models.BinaryField(null=True, blank=True, editable=False)
    # The address to fetch, for a job made from a URL (its bytes land in `data` once fetched).
    url = models.URLField(max_length=2000, blank=True)
    metadata = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    source = models.ForeignKey(
        "kb.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # created | version | unchanged: what the store stage did.
    outcome = models.CharField(max_length=20, blank=True)
    # {stage: {"state": "done" | "skipped" | "failed", "seconds": float}} for finished stages.
    stages = models.JSONField(default=dict, blank=True)
    stage = models.CharField("current stage", max_length=20, blank=True)
    # characters, sections, passages, boilerplate, reanchored {...}, links, candidates.
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # False when retrying cannot help (the document itself was refused).
    retryable = models.BooleanField(default=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    attempts_allowed = models.PositiveSmallIntegerField(default=3)
    # The latest django-tasks result for this job, and the token of the attempt that owns it.
    task_id = models.CharField(max_length=64, blank=True)
    lease = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="importjob_status_heartbeat")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attempts__lte=models.F("attempts_allowed")),
                name="importjob_attempts_bounded",
            ),
        ]

    def __str__(self):
        return f"job {self.pk}: {self.get_kind_display()} {self.name} ({self.status})"

    def get_absolute_url(self):
        if self.kind == self.Kind.EXPORT:
            return reverse("export-job", args=[self.pk])
        return reverse("admin:kb_source_import_status", args=[self.batch])

    @property
    def stage_names(self) -> tuple[str, ...]:
        return ((self.FETCH,) if self.url else ()) + self.STAGES

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def candidates_ready(self) -> bool:
        return self.stages.get("candidates", {}).get("state") == "done"
