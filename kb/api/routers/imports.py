"""Imports for admins: upload a document, get a job back, poll it until it is done.

The job is the import page's (kb/services/jobs.py): the same stages, run by the same workers,
with the same checks on the document and its metadata.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from kb.api import present
from kb.api.auth import read, write
from kb.api.errors import Problem, form_problem
from kb.api.schemas import Id, ProblemOut, SourceRef
from kb.forms.sources import SourceMetadataForm
from kb.importing.decode import ImportRefused
from kb.importing.prepare import check_size
from kb.selectors.jobs import job_for_user, job_state
from kb.services.jobs import import_job_create

router = Router(tags=["imports"])
PERMISSION = "kb.add_source"
ERRORS = {400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}


class MetadataIn(Schema):
    """What the import page asks for; all optional (the title is found in the document)."""

    slug: str = Field("", max_length=200)
    title: str = Field("", max_length=500)
    kind: str = Field("", max_length=20)
    publisher: str = Field("", max_length=300)
    author: str = Field("", max_length=300)
    url: str = Field("", max_length=2000)
    published: str = Field("", max_length=100, description="Publication date (EDTF)")
    retrieved: str = Field("", max_length=10, description="Retrieval date, YYYY-MM-DD")
    language: str = Field("", max_length=20)
    reliability: str = Field("", max_length=1, description="A-F")
    reliability_note: str = Field("", max_length=5000)


class StageOut(Schema):
    name: str
    state: str
    seconds: float | None = None


class JobOut(Schema):
    id: int
    url: str = Field(description="Poll this until `finished`")
    status: str = Field(description="queued, running, done or failed")
    finished: bool
    stage: str
    stages: list[StageOut]
    outcome: str = Field(description="created, version or unchanged, once stored")
    error: str
    attempts: int
    counts: dict
    source: SourceRef | None = None


def _job_out(request, job) -> dict:
    state = job_state(job)
    return {
        **{key: state[key] for key in ("id", "status", "finished", "stage", "stages", "outcome", "error", "attempts", "counts")},
        "url": present.absolute(request, f"/api/imports/{job.pk}"),
        "source": present.source_ref(request, job.source) if job.source_id else None,
    }


@router.post("/imports/", auth=write(PERMISSION, max_body=settings.CLAIMBOOK_MAX_IMPORT_BYTES + 64 * 1024),
             response={202: JobOut, **ERRORS}, summary="Import a document (admins)")
def import_document(request, file: File[UploadedFile], metadata: Form[MetadataIn]):
    """Queues the import and answers at once with the job: poll its `url` until `finished`.
    A document that cannot be read ends the job as failed, with the reason in `error`."""
    raw = {k: v for k, v in metadata.model_dump().items() if v != ""}
    form = SourceMetadataForm(data=raw)  # checked now, with the form's codes; the job checks it again
    if not form.is_valid():
        raise form_problem(form)
    name = (file.name or "document.txt")[:500]
    try:
        check_size(file.size or 0, name)
    except ImportRefused as refused:
        raise Problem(422, refused.code, refused.message) from None
    data = file.read()
    if not data:
        raise Problem(422, "empty", f"{name}: the file is empty.")
    with transaction.atomic():
        job = import_job_create(data=data, name=name, metadata=raw, user=request.auth)
    job.refresh_from_db()
    return Status(202, _job_out(request, job))


@router.get("/imports/{pk}", auth=read(PERMISSION), response={200: JobOut, **ERRORS}, summary="An import job")
def import_status(request, pk: Id):
    job = job_for_user(pk=pk, user=request.auth)
    if job is None:
        raise Problem(404, "not_found", "There is no such import job of yours.")
    return _job_out(request, job)
