"""The admin's document import page: upload or paste, preview what will be created, confirm;
then watch the import job run on the status page.

The same path as the `import_source` command: metadata through SourceMetadataForm, the
document through `source_import` (first as a dry run for the preview). Between preview and
confirmation the bytes stay on the server in a PendingImport row, scoped to the admin who
uploaded them, so the confirmation trusts nothing the browser sends but a token. The preview
is bounded (it mines candidate claims from a sample of CLAIMBOOK_PREVIEW_CHARS characters)
and stores its row last, so a preview that fails or is cut off leaves nothing behind.
Confirming creates an ImportJob and returns at once: a worker stores the source, checks it
for copying, re-anchors and mines it, and the status page follows along.

Several files, or a zip of them, skip the preview: each document becomes a job of one batch,
once the whole upload has passed its checks (nothing is written for a refused batch).

The size limit (CLAIMBOOK_MAX_IMPORT_BYTES) is enforced before the body is read: first from
Content-Length, then by an upload handler that stops reading once the limit is passed (for
bodies without a Content-Length). That is why the upload view is csrf_exempt: the CSRF
check reads the body, so it runs inside, after the limit is in place (Django's documented
pattern for custom upload handlers).
"""
from __future__ import annotations

import logging
import secrets
import uuid
from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, ValidationError,
)
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.handlers.wsgi import LimitedStream
from django.db import transaction
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from kb.extraction.segment import blocks_from_structure
from kb.forms.sources import SourceMetadataForm
from kb.importing.archive import is_zip, read_archive
from kb.importing.decode import ImportRefused
from kb.importing.prepare import check_size, prepare
from kb.models import PendingImport
from kb.selectors.candidates import preview_candidates
from kb.selectors.jobs import batch_jobs, batch_state, job_for_user
from kb.selectors.overlaps import find_overlaps
from kb.services.jobs import PENDING_TTL, import_job_create, job_retry, url_job_create
from kb.services.sources import ImportResult, source_import
from kb.text.bidi import neutralise_bidi
from kb.text.dates import parse_event_date

logger = logging.getLogger(__name__)

PERMISSION = "kb.add_source"
PENDING_PER_USER = 5
# Texts up to this long are compared with stored sources in the preview; longer ones are
# compared by the import job, after the admin confirms.
PREVIEW_OVERLAP_CHARS = 300_000
# Room in a request for the form fields and multipart boundaries around the document itself.
FORM_OVERHEAD = 64 * 1024
PREVIEW_PASSAGES = 40
PREVIEW_CANDIDATES = 60
PASTED_NAME = "pasted-text.txt"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented recipe: one or more files under one name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data] or None
        return super().clean(data, initial)


class DocumentForm(forms.Form):
    """The document itself: files (one to preview; several, or a zip, for a batch), or text
    pasted into the page (one of the two)."""

    file = MultipleFileField(required=False, allow_empty_file=True, label="File (or several, or a zip)")
    text = forms.CharField(
        required=False, strip=False, label="Or paste the text",
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80, "dir": "auto"}),
    )
    address = forms.URLField(
        required=False, max_length=2000, assume_scheme="https", label="Or a web page's address",
        help_text="Fetched by the import job (http or https; robots.txt is honoured), then imported.",
    )

    def clean(self):
        data = super().clean()
        files = data.get("file")
        if files is not None and not isinstance(files, list):
            data["file"] = files = [files]
        given = [bool(files), bool(data.get("text")), bool(data.get("address"))]
        if sum(given) > 1:
            raise ValidationError("Give a file, pasted text or an address: one of them.", code="both")
        if not any(given):
            raise ValidationError("Choose a file to upload, paste the text, or give an address.", code="nothing")
        return data

    def clean_address(self):
        address = self.cleaned_data.get("address", "")
        if address and not address.lower().startswith(("http://", "https://")):
            raise ValidationError("Only http and https addresses are fetched.", code="url_scheme")
        return address

    def documents(self) -> list[tuple[bytes, str]]:
        uploads = self.cleaned_data.get("file")
        if uploads:
            return [(upload.read(), upload.name or "upload") for upload in uploads]
        return [(self.cleaned_data["text"].encode("utf-8"), PASTED_NAME)]


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of uploaded files and stops reading the body past a limit: one
    document's (a zip may be as large as a batch), or the whole upload's."""

    def __init__(self, request=None, *, limit: int, total_limit: int):
        super().__init__(request)
        self.limit = limit
        self.total_limit = total_limit
        self.received = 0
        self.file_received = 0
        self.file_limit = limit
        self.exceeded = ""  # "document" or "batch" once a limit is passed

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.file_received = 0
        self.file_limit = self.total_limit if str(file_name).lower().endswith(".zip") else self.limit

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        self.file_received += len(raw_data)
        if self.file_received > self.file_limit:
            self.exceeded = "document" if self.file_limit == self.limit else "batch"
        elif self.received > self.total_limit:
            self.exceeded = "batch"
        if self.exceeded:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file


def _too_large_message(size: int | None = None, *, which: str = "document") -> str:
    size_text = f" ({size:,} bytes)" if size else ""
    if which == "batch":
        return (
            f"The upload{size_text} is over the {settings.CLAIMBOOK_MAX_IMPORT_BYTES:,}-byte limit for one "
            f"document (CLAIMBOOK_MAX_IMPORT_BYTES) and the {settings.CLAIMBOOK_MAX_BATCH_BYTES:,}-byte limit "
            "for a batch of several (CLAIMBOOK_MAX_BATCH_BYTES); nothing was read or imported."
        )
    return (
        f"The upload{size_text} is over the {settings.CLAIMBOOK_MAX_IMPORT_BYTES:,}-byte limit for one "
        "document (CLAIMBOOK_MAX_IMPORT_BYTES); nothing was read or imported."
    )


def _truncated(request) -> str | None:
    """A body that ended before its Content-Length (the client went away mid-upload)."""
    stream = getattr(request, "_stream", None)
    if isinstance(stream, LimitedStream) and stream._pos < stream.limit:
        return (f"The upload was cut short ({stream._pos:,} of {stream.limit:,} bytes arrived); "
                "nothing was imported. Please send it again.")
    return None


def _require_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _context(admin_site, request, **extra):
    from kb.models import Source

    return {
        **admin_site.each_context(request),
        "opts": Source._meta,
        "title": "Import a document",
        "max_bytes": settings.CLAIMBOOK_MAX_IMPORT_BYTES,
        "max_batch_bytes": settings.CLAIMBOOK_MAX_BATCH_BYTES,
        "max_batch_files": settings.CLAIMBOOK_MAX_BATCH_FILES,
        **extra,
    }


def _form_page(admin_site, request, *, document_form=None, metadata_form=None, errors=(), status=200):
    context = _context(
        admin_site, request,
        document_form=document_form or DocumentForm(),
        metadata_form=metadata_form or SourceMetadataForm(),
        errors=list(errors),
    )
    return TemplateResponse(request, "admin/kb/source/import_form.html", context, status=status)


# ---- the preview -------------------------------------------------------------------------


def _optional_previews(result: ImportResult, metadata: dict) -> dict:
    """Candidate claims (from a bounded sample of the text) and overlap with stored sources
    (for texts short enough to compare during a request); the job does the whole text."""
    prepared = result.prepared
    sample_chars = settings.CLAIMBOOK_PREVIEW_CHARS
    found: dict = {"candidates": None, "overlaps": None, "preview_notes": [],
                   "sampled": len(prepared.text) > sample_chars, "sample_chars": sample_chars}
    try:
        blocks = [b for b in blocks_from_structure(prepared.structure) if b.end <= sample_chars]
        found["candidates"] = list(preview_candidates(
            prepared.text, blocks, metadata={**metadata, "slug": result.slug}))
    except Exception:  # a preview must not cost the admin the import page
        logger.exception("candidate preview failed for %s", result.slug)
        found["preview_notes"].append("Candidate claims could not be previewed (see the server log).")
    if len(prepared.text) > PREVIEW_OVERLAP_CHARS:
        found["preview_notes"].append(
            "This text is long: its shared text with stored sources is checked by the import job.")
        return found
    published = parse_event_date(metadata["published"]).earliest if metadata.get("published") else None
    try:
        found["overlaps"] = find_overlaps(
            prepared.text, structure=prepared.structure, published=published, exclude_slug=result.slug,
        )
    except Exception:
        logger.exception("overlap preview failed for %s", result.slug)
        found["preview_notes"].append("Overlap with stored sources could not be checked (see the server log).")
    return found


def _preview_rows(result: ImportResult) -> dict:
    """What the page lists, with every piece of the document's own text made bidi-safe."""
    prepared = result.prepared
    text = prepared.text
    sections = [
        {"title": neutralise_bidi(spec.title), "level": spec.level, "indent": "\u2003" * (spec.level - 1)}
        for spec in prepared.structure.sections
    ]
    passages = []
    for block in prepared.structure.blocks[:PREVIEW_PASSAGES]:
        snippet = text[block.start : block.end]
        passages.append({
            "kind": block.kind, "note": block.note,
            "text": neutralise_bidi(snippet[:200] + ("…" if len(snippet) > 200 else "")),
        })
    notes = Counter(b.note or "boilerplate" for b in prepared.structure.blocks if b.kind == "boilerplate")
    kinds = Counter(b.kind for b in prepared.structure.blocks)
    found = prepared.metadata
    return {
        "document_metadata": [(name, neutralise_bidi(str(found[name]))) for name in sorted(found)],
        "document_notes": prepared.notes, "pages": len(prepared.structure.pages),
        "attachments": [(neutralise_bidi(name), len(body)) for name, body in prepared.attachments],
        "sections": sections, "passages": passages, "boilerplate_notes": sorted(notes.items()),
        "kinds": sorted(kinds.items()), "more_passages": max(len(prepared.structure.blocks) - PREVIEW_PASSAGES, 0),
    }


def _store_pending(request, data: bytes, name: str, raw_metadata: dict) -> PendingImport:
    now = timezone.now()
    PendingImport.objects.filter(created_at__lt=now - PENDING_TTL).delete()  # the worker sweeps too
    mine = PendingImport.objects.filter(user=request.user).order_by("-created_at")
    stale = list(mine.values_list("pk", flat=True)[PENDING_PER_USER - 1 :])
    if stale:
        PendingImport.objects.filter(pk__in=stale).delete()
    return PendingImport.objects.create(
        token=secrets.token_urlsafe(32), user=request.user, name=name[:500], data=data,
        metadata=raw_metadata,
    )


def _raw_metadata(post) -> dict:
    return {name: post.get(name, "") for name in SourceMetadataForm.base_fields}


# ---- views -------------------------------------------------------------------------------


def upload_view(admin_site):
    @csrf_exempt  # checked by csrf_protect below, once the upload limit is in place
    @require_http_methods(["GET", "HEAD", "POST"])
    def import_document(request):
        _require_permission(request)
        if request.method != "POST":
            return _form_page(admin_site, request)
        length = _content_length(request)
        if length > settings.CLAIMBOOK_MAX_BATCH_BYTES + FORM_OVERHEAD:
            return _form_page(admin_site, request, errors=[_too_large_message(length, which="batch")], status=413)
        handler = LimitedUploadHandler(request, limit=settings.CLAIMBOOK_MAX_IMPORT_BYTES,
                                       total_limit=settings.CLAIMBOOK_MAX_BATCH_BYTES)
        request.upload_handlers.insert(0, handler)
        try:
            request.POST  # parse now, under the handler, so errors become messages
        except RequestDataTooBig:
            return _form_page(admin_site, request, errors=[
                "The pasted text is too long for a form field "
                f"({settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes at most); upload it as a file instead."
            ], status=413)
        except (TooManyFieldsSent, MultiPartParserError, SuspiciousOperation, OSError):
            return _form_page(admin_site, request, errors=["The form could not be read; please send it again."],
                              status=400)
        if handler.exceeded:
            return _form_page(admin_site, request, errors=[_too_large_message(which=handler.exceeded)], status=413)
        cut_short = _truncated(request)
        if cut_short:
            return _form_page(admin_site, request, errors=[cut_short], status=400)
        return _preview(request)

    @csrf_protect
    def _preview(request):
        document_form = DocumentForm(request.POST, request.FILES)
        metadata_form = SourceMetadataForm(request.POST)
        if not (document_form.is_valid() & metadata_form.is_valid()):
            return _form_page(admin_site, request, document_form=document_form, metadata_form=metadata_form)
        if document_form.cleaned_data.get("address"):
            return _fetch_later(request, document_form.cleaned_data["address"])
        documents = document_form.documents()
        if len(documents) > 1 or is_zip(documents[0][1], documents[0][0]):
            return _batch(request, documents, document_form, metadata_form)
        data, name = documents[0]
        metadata = metadata_form.cleaned_data
        try:
            prepared = prepare(data, name, preview=True)
            result = source_import(data=data, name=name, metadata=metadata, user=request.user, dry_run=True,
                                   prepared=prepared)
        except ImportRefused as refused:
            return _form_page(admin_site, request, document_form=document_form,
                              metadata_form=metadata_form, errors=[f"Not imported: {refused.message}"])
        context = _context(
            admin_site, request, title="Preview the import", result=result,
            name=name, size=len(data), metadata=metadata, title_shown=neutralise_bidi(result.title),
            **_preview_rows(result), **_optional_previews(result, metadata),
        )
        # Last, once all the work above is done: a preview cut off on the way stores nothing.
        if result.status != "unchanged" or prepared.sampled:
            context["pending"] = _store_pending(request, data, name, _raw_metadata(request.POST))
        return TemplateResponse(request, "admin/kb/source/import_preview.html", context)

    def _fetch_later(request, address):
        """An address is never fetched in the request: a job fetches it, then imports it."""
        with transaction.atomic():
            job = url_job_create(url=address, metadata=_raw_metadata(request.POST), user=request.user)
        messages.success(request, f"{address} queued: the import job fetches it, then imports it.")
        return redirect("admin:kb_source_import_status", batch=job.batch)

    def _batch(request, documents, document_form, metadata_form):
        """Several documents, or a zip of them: checked whole, then one job each."""
        def refuse(message):
            return _form_page(admin_site, request, document_form=document_form, metadata_form=metadata_form,
                              errors=[f"Not imported: {message}"])

        metadata = _raw_metadata(request.POST)
        if metadata.get("slug") or metadata.get("title"):
            return refuse("a batch takes its titles and slugs from each document; leave Slug and Title empty.")
        found: list[tuple[bytes, str]] = []
        try:
            for data, name in documents:
                if is_zip(name, data):
                    members = read_archive(
                        data, name=name, max_files=settings.CLAIMBOOK_MAX_BATCH_FILES,
                        max_member_bytes=settings.CLAIMBOOK_MAX_IMPORT_BYTES,
                        max_total_bytes=settings.CLAIMBOOK_MAX_BATCH_BYTES,
                    )
                    found.extend((body, f"{name}/{member}") for member, body in members)
                else:
                    check_size(len(data), name)
                    found.append((data, name))
                if len(found) > settings.CLAIMBOOK_MAX_BATCH_FILES:
                    raise ImportRefused("too_many_files", (
                        f"more than {settings.CLAIMBOOK_MAX_BATCH_FILES:,} documents in one upload "
                        "(CLAIMBOOK_MAX_BATCH_FILES)"))
        except ImportRefused as refused:
            return refuse(refused.message)
        batch = uuid.uuid4().hex
        with transaction.atomic():
            for data, name in found:
                import_job_create(data=data, name=name, metadata=metadata, user=request.user, batch=batch)
        messages.success(request, f"{len(found)} documents queued for import.")
        return redirect("admin:kb_source_import_status", batch=batch)

    return import_document


def confirm_view(admin_site):
    @require_POST
    def confirm_import(request):
        _require_permission(request)
        token = request.POST.get("token", "")
        pending = PendingImport.objects.filter(
            token=token, user=request.user, created_at__gte=timezone.now() - PENDING_TTL,
        ).first() if token else None
        if pending is None:
            return _form_page(admin_site, request, errors=[
                "This preview has expired or does not exist; upload the document again."
            ], status=400)
        if request.POST.get("action") == "cancel":
            pending.delete()
            messages.info(request, f"Import of {pending.name} cancelled; nothing was imported.")
            return redirect("admin:kb_source_import")
        metadata_form = SourceMetadataForm(data=pending.metadata)
        if not metadata_form.is_valid():
            pending.delete()
            return _form_page(admin_site, request, metadata_form=metadata_form,
                              errors=["The metadata is no longer valid; please correct it and upload again."])
        with transaction.atomic():
            # The token is spent in the same transaction that queues the job: a double click
            # queues one import, never two.
            if not PendingImport.objects.filter(pk=pending.pk).delete()[0]:
                return _form_page(admin_site, request, errors=["This preview was already confirmed."], status=400)
            job = import_job_create(data=bytes(pending.data), name=pending.name, metadata=pending.metadata,
                                    user=request.user)
        return redirect("admin:kb_source_import_status", batch=job.batch)

    return confirm_import


# ---- the status page ---------------------------------------------------------------------


def status_view(admin_site):
    @require_http_methods(["GET", "HEAD"])
    def import_status(request, batch):
        _require_permission(request)
        jobs = batch_jobs(batch=batch, user=request.user)
        if not jobs:
            raise Http404("No such import.")
        state = batch_state(jobs)
        if request.GET.get("format") == "json":
            return JsonResponse(state, headers={"Cache-Control": "no-store"})
        context = _context(admin_site, request, title="Import status", batch=batch, state=state,
                           json_url=f"{request.path}?format=json")
        return TemplateResponse(request, "admin/kb/source/import_status.html", context)

    return import_status


def retry_view(admin_site):
    @require_POST
    def import_retry(request, pk):
        _require_permission(request)
        job = job_for_user(pk=pk, user=request.user)
        if job is None:
            raise Http404("No such import.")
        try:
            job_retry(job=job)
        except ValidationError as refused:
            messages.error(request, "; ".join(refused.messages))
        else:
            messages.success(request, f"{job.name}: trying again.")
        return redirect("admin:kb_source_import_status", batch=job.batch)

    return import_retry


def admin_urls(model_admin) -> list:
    """URLs for SourceAdmin.get_urls: the import page, its confirmation, the status page."""
    site = model_admin.admin_site
    return [
        path("import/", site.admin_view(upload_view(site)), name="kb_source_import"),
        path("import/confirm/", site.admin_view(confirm_view(site)), name="kb_source_import_confirm"),
        path("import/status/<slug:batch>/", site.admin_view(status_view(site)), name="kb_source_import_status"),
        path("import/jobs/<int:pk>/retry/", site.admin_view(retry_view(site)), name="kb_source_import_retry"),
    ]
