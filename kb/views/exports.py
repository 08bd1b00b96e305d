"""Exports made as files by the job workers: ask for one, watch it, download it (its owner only)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kb.selectors.jobs import export_job_for, export_jobs_for
from kb.services.export_jobs import FORMATS, export_storage
from kb.services.jobs import export_job_create


@require_POST
@login_required
def export_job_new(request):
    query = request.POST.get("query", "")
    try:
        with transaction.atomic():
            job = export_job_create(user=request.user, fmt=request.POST.get("fmt", ""), query=query,
                                    base_url=request.build_absolute_uri("/").rstrip("/"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("claim-list") + (f"?{query}" if query and len(query) < 2000 else ""))
    return redirect("export-job", pk=job.pk)


@never_cache
@require_safe
@login_required
def export_job_list(request):
    return render(request, "kb/exports/list.html", {
        "jobs": export_jobs_for(request.user), "ttl_hours": settings.CLAIMBOOK_EXPORT_TTL_HOURS,
    })


@never_cache
@require_safe
@login_required
def export_job_detail(request, pk):
    job = export_job_for(pk=pk, user=request.user)
    if job is None:
        raise Http404("No such export.")
    return render(request, "kb/exports/detail.html", {"job": job})


@require_safe
@login_required
def export_job_download(request, pk):
    job = export_job_for(pk=pk, user=request.user)
    name = job.counts.get("file") if job is not None and job.status == job.Status.DONE else None
    if not name or job.counts.get("expired"):
        raise Http404("This export is not ready, or its file has expired.")
    storage = export_storage()
    if not storage.exists(name):
        raise Http404("This export's file is gone.")
    extension, content_type = FORMATS[job.metadata["format"]]
    response = FileResponse(storage.open(name, "rb"), as_attachment=True,
                            filename=f"claimbook-claims-{job.pk}.{extension}", content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
