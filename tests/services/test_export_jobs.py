"""Exports made as files by the job workers: the whole selection with the requester's
visibility, written again the same on a second run, kept from everyone else, refused when
the request is bad, and deleted when they expire."""
import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone

from kb.models import Claim, ImportJob
from kb.services.export_jobs import export_files_expire, export_storage
from kb.services.jobs import export_job_create, job_run
from tests.factories import THIRD_PHRASE, make_candidate, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    from django.core.files.storage import storages

    storages._storages.pop("exports", None)  # the handler caches storages by alias
    yield tmp_path
    storages._storages.pop("exports", None)


def make_export(user, fmt="csv", query=""):
    with TestCase.captureOnCommitCallbacks(execute=True):
        with transaction.atomic():
            job = export_job_create(user=user, fmt=fmt, query=query, base_url="https://kb.example")
    job.refresh_from_db()
    return job


def read(job) -> str:
    with export_storage().open(job.counts["file"], "rb") as handle:
        return handle.read().decode("utf-8")


def csv_claim_ids(text: str) -> set[int]:
    return {int(row["claim_id"]) for row in csv.DictReader(io.StringIO(text))}


def test_a_csv_export_holds_the_whole_filtered_selection(seeds):
    researcher = make_user("researcher")
    job = make_export(researcher, query="q=Hamas")
    assert job.status == "done" and job.stages["export"]["state"] == "done"
    ids = csv_claim_ids(read(job))
    assert ids and job.counts["claims"] == len(ids)
    expected = Claim.objects.published().filter(statement__icontains="Hamas").values_list("pk", flat=True)
    assert ids <= set(Claim.objects.published().values_list("pk", flat=True))
    assert set(expected) <= ids
    assert job.counts["bytes"] == len(read(job).encode("utf-8"))


def test_candidates_go_only_into_an_editors_file(seeds):
    start = seeds["article"].text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="An unreviewed candidate.")
    researchers = csv_claim_ids(read(make_export(make_user("researcher"))))
    editors = csv_claim_ids(read(make_export(make_user("editor"), query="status=candidate")))
    assert candidate.pk not in researchers
    assert candidate.pk in editors


def test_a_jsonld_export_is_one_json_document(seeds):
    job = make_export(make_user("researcher"), fmt="jsonld")
    items = json.loads(read(job))
    assert len(items) == job.counts["claims"] == Claim.objects.published().count()
    assert all(item["id"].startswith("https://kb.example/claims/") for item in items)


def test_running_it_again_writes_the_same_file_once(seeds, export_dir):
    job = make_export(make_user("researcher"))
    first = read(job)
    ImportJob.objects.filter(pk=job.pk).update(status="queued", finished_at=None)
    assert job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert read(job) == first
    assert len(list(export_dir.iterdir())) == 1


@pytest.mark.parametrize("fmt, query, code", [
    ("xlsx", "", "invalid_choice"),
    ("csv", "credibility=9", "invalid_filters"),
    ("csv", "q=" + "x" * 3000, "max_length"),
])
def test_a_bad_request_is_refused_and_writes_nothing(seeds, fmt, query, code):
    with pytest.raises(ValidationError) as refused:
        export_job_create(user=make_user("researcher"), fmt=fmt, query=query, base_url="")
    assert [e.code for errors in refused.value.error_dict.values() for e in errors] == [code]
    assert not ImportJob.objects.filter(kind="export").exists()


def test_a_user_has_few_exports_waiting_at_once(seeds, settings):
    settings.CLAIMBOOK_EXPORT_JOBS_PER_USER = 2
    user = make_user("researcher")
    for _ in range(2):  # committed without running: they stay queued
        export_job_create(user=user, fmt="csv", query="", base_url="")
    with pytest.raises(ValidationError) as refused:
        export_job_create(user=user, fmt="csv", query="", base_url="")
    assert refused.value.code == "too_many_exports"
    assert ImportJob.objects.filter(kind="export").count() == 2


def test_visitors_cannot_ask(seeds):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValidationError) as refused:
        export_job_create(user=AnonymousUser(), fmt="csv", query="", base_url="")
    assert refused.value.code == "login_required"


def test_only_its_owner_sees_and_downloads_it(seeds):
    owner, other = make_user("researcher", "owner"), make_user("editor", "other")
    job = make_export(owner)
    mine, theirs, anonymous = Client(), Client(), Client()
    mine.force_login(owner)
    theirs.force_login(other)
    download = mine.get(f"/exports/{job.pk}/download")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode("utf-8") == read(job)
    assert "attachment" in download["Content-Disposition"] and "no-store" in download["Cache-Control"]
    page = mine.get(f"/exports/{job.pk}/")
    assert page.status_code == 200 and f"/exports/{job.pk}/download" in page.content.decode()
    for path in (f"/exports/{job.pk}/", f"/exports/{job.pk}/download"):
        assert theirs.get(path).status_code == 404
        assert anonymous.get(path).status_code == 302  # to the login page
    assert f"/exports/{job.pk}/" in mine.get("/exports/").content.decode()
    assert f"/exports/{job.pk}/" not in theirs.get("/exports/").content.decode()


def test_asking_through_the_claim_list(seeds):
    user = make_user("researcher")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/claims/?q=Hamas")
    assert 'action="/exports/new/"' in page.content.decode()
    token = client.cookies["csrftoken"].value
    assert client.post("/exports/new/", {"fmt": "csv", "query": "q=Hamas"}).status_code == 403  # no CSRF token
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/exports/new/", {"fmt": "csv", "query": "q=Hamas", "csrfmiddlewaretoken": token})
    job = ImportJob.objects.get(kind="export", user=user)
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    refused = client.post("/exports/new/", {"fmt": "pdf", "query": "", "csrfmiddlewaretoken": token}, follow=True)
    assert "Choose CSV or JSON-LD." in refused.content.decode()
    assert ImportJob.objects.filter(kind="export").count() == 1


def test_the_claim_list_offers_it_only_to_signed_in_users(seeds):
    assert 'action="/exports/new/"' not in Client().get("/claims/").content.decode()


def test_expired_files_are_deleted_and_the_page_says_so(seeds):
    owner = make_user("researcher")
    job = make_export(owner)
    name = job.counts["file"]
    assert export_files_expire() == 0 and export_storage().exists(name)
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=30))
    assert export_files_expire() == 1
    assert not export_storage().exists(name)
    client = Client()
    client.force_login(owner)
    assert client.get(f"/exports/{job.pk}/download").status_code == 404
    assert "expired" in client.get(f"/exports/{job.pk}/").content.decode()
    assert export_files_expire() == 0
