"""The admin's document import page: upload or paste, preview what will be created, confirm.

The same path as the `import_source` command: metadata through SourceMetadataForm, the
document through `source_import` (first as a dry run for the preview). Between preview and
confirmation the bytes stay on the server in a PendingImport row, scoped to the admin who
uploaded them, so the confirmation trusts nothing the browser sends but a token.

The size limit (CLAIMBOOK_MAX_IMPORT_BYTES) is enforced before the body is read: first from
Content-Length, then by an upload handler that stops reading once the limit is passed (for
bodies without a Content-Length). That is why the upload view is csrf_exempt: the CSRF
check reads the body, so it runs inside, after the limit is in place (Django's documented
pattern for custom upload handlers).
"""
from __future__ import annotations

import logging
import secrets
from collections import Counter
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, ValidationError,
)
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from kb.forms.sources import SourceMetadataForm
from kb.importing.decode import ImportRefused
from kb.models import PendingImport
from kb.selectors.candidates import preview_candidates
from kb.selectors.overlaps import find_overlaps
from kb.services.sources import ImportResult, source_import
from kb.text.bidi import neutralise_bidi
from kb.text.dates import parse_event_date

logger = logging.getLogger(__name__)

PERMISSION = "kb.add_source"
PENDING_TTL = timedelta(hours=1)
PENDING_PER_USER = 5
# Room in a request for the form fields and multipart boundaries around the document itself.
FORM_OVERHEAD = 64 * 1024
PREVIEW_PASSAGES = 40
PREVIEW_CANDIDATES = 60
PASTED_NAME = "pasted-text.txt"


class DocumentForm(forms.Form):
    """The document itself: a file, or text pasted into the page (one of the two)."""

    file = forms.FileField(required=False, allow_empty_file=True, label="File")
    text = forms.CharField(
        required=False, strip=False, label="Or paste the text",
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80, "dir": "auto"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("file") is not None and data.get("text"):
            raise ValidationError("Give a file or pasted text, not both.", code="both")
        if data.get("file") is None and not data.get("text"):
            raise ValidationError("Choose a file to upload, or paste the text.", code="nothing")
        return data

    def document(self) -> tuple[bytes, str]:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read(), upload.name or "upload"
        return self.cleaned_data["text"].encode("utf-8"), PASTED_NAME


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of uploaded files and stops reading the body past the limit."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file


def _too_large_message(size: int | None = None) -> str:
    limit = settings.CLAIMBOOK_MAX_IMPORT_BYTES
    size_text = f" ({size:,} bytes)" if size else ""
    return (
        f"The upload{size_text} is over the {limit:,}-byte limit for one document "
        "(CLAIMBOOK_MAX_IMPORT_BYTES); nothing was read or imported."
    )


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
    """Candidate claims and overlap with stored sources, where those parts are installed."""
    prepared = result.prepared
    found: dict = {"candidates": None, "overlaps": None, "preview_notes": []}
    try:
        found["candidates"] = list(preview_candidates(
            prepared.text, prepared.structure, metadata={**metadata, "slug": result.slug}))
    except Exception:  # a preview must not cost the admin the import page
        logger.exception("candidate preview failed for %s", result.slug)
        found["preview_notes"].append("Candidate claims could not be previewed (see the server log).")
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
    return {
        "sections": sections, "passages": passages, "boilerplate_notes": sorted(notes.items()),
        "kinds": sorted(kinds.items()), "more_passages": max(len(prepared.structure.blocks) - PREVIEW_PASSAGES, 0),
    }


def _store_pending(request, data: bytes, name: str, raw_metadata: dict) -> PendingImport:
    now = timezone.now()
    PendingImport.objects.filter(created_at__lt=now - PENDING_TTL).delete()
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
        limit = settings.CLAIMBOOK_MAX_IMPORT_BYTES
        length = _content_length(request)
        if length > limit + FORM_OVERHEAD:
            return _form_page(admin_site, request, errors=[_too_large_message(length)], status=413)
        handler = LimitedUploadHandler(request, limit=limit)
        request.upload_handlers.insert(0, handler)
        try:
            request.POST  # parse now, under the handler, so errors become messages
        except RequestDataTooBig:
            return _form_page(admin_site, request, errors=[
                "The pasted text is too long for a form field "
                f"({settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes at most); upload it as a file instead."
            ], status=413)
        except (TooManyFieldsSent, MultiPartParserError, SuspiciousOperation):
            return _form_page(admin_site, request, errors=["The form could not be read; please send it again."],
                              status=400)
        if handler.exceeded:
            return _form_page(admin_site, request, errors=[_too_large_message()], status=413)
        return _preview(request)

    @csrf_protect
    def _preview(request):
        document_form = DocumentForm(request.POST, request.FILES)
        metadata_form = SourceMetadataForm(request.POST)
        if not (document_form.is_valid() & metadata_form.is_valid()):
            return _form_page(admin_site, request, document_form=document_form, metadata_form=metadata_form)
        data, name = document_form.document()
        metadata = metadata_form.cleaned_data
        try:
            result = source_import(data=data, name=name, metadata=metadata, user=request.user, dry_run=True)
        except ImportRefused as refused:
            return _form_page(admin_site, request, document_form=document_form,
                              metadata_form=metadata_form, errors=[f"Not imported: {refused.message}"])
        pending = None
        if result.status != "unchanged":
            pending = _store_pending(request, data, name, _raw_metadata(request.POST))
        context = _context(
            admin_site, request, title="Preview the import", result=result, pending=pending,
            name=name, size=len(data), metadata=metadata, title_shown=neutralise_bidi(result.title),
            **_preview_rows(result), **_optional_previews(result, metadata),
        )
        return TemplateResponse(request, "admin/kb/source/import_preview.html", context)

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
        try:
            with transaction.atomic():
                result = source_import(data=bytes(pending.data), name=pending.name,
                                       metadata=metadata_form.cleaned_data, user=request.user)
                pending.delete()
        except (ImportRefused, ValidationError) as refused:
            message = refused.message if isinstance(refused, ImportRefused) else "; ".join(refused.messages)
            return _form_page(admin_site, request, errors=[f"Not imported: {message}"])
        messages.success(request, result.summary())
        if result.source is not None:
            return redirect(result.source.get_absolute_url())
        return redirect("admin:kb_source_changelist")

    return confirm_import


def admin_urls(model_admin) -> list:
    """URLs for SourceAdmin.get_urls: the import page and its confirmation."""
    site = model_admin.admin_site
    return [
        path("import/", site.admin_view(upload_view(site)), name="kb_source_import"),
        path("import/confirm/", site.admin_view(confirm_view(site)), name="kb_source_import_confirm"),
    ]
