"""Imports through the API: admins only, a job to poll, the import page's checks."""
import pytest
from django.test import Client

from kb.models import ImportJob, Source
from kb.services.jobs import job_run
from kb.services.tokens import token_create

pytestmark = pytest.mark.django_db
TEXT = "A test document\n\nIn 2003, the ministry announced a new office near the border.\n".encode()


def _client(user, scope="write"):
    _token, secret = token_create(by=user, name="imports", scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _upload(client, data=TEXT, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/api/imports/", {"file": SimpleUploadedFile("doc.txt", data, "text/plain"), **fields})


def test_an_admin_imports_a_document_and_polls_its_job(users, django_capture_on_commit_callbacks):
    admin = _client(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(admin, title="A test document", reliability="B", published="2003")
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "queued" and not job["finished"]
    job_run(job_id=job["id"])  # what a worker does
    polled = _client(users["admin"], "read").get(job["url"]).json()
    assert polled["status"] == "done" and polled["outcome"] == "created" and polled["finished"]
    source = Source.objects.get(slug=polled["source"]["slug"])
    assert source.text == TEXT.decode() and source.reliability == "B"


@pytest.mark.parametrize("role", ["researcher", "editor"])
def test_only_admins_import(users, role, db_snapshot):
    client = _client(users[role])
    before = db_snapshot()
    response = _upload(client)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert db_snapshot() == before


def test_bad_metadata_and_empty_files_are_refused_with_codes(users, db_snapshot):
    admin = _client(users["admin"])
    before = db_snapshot()
    bad = _upload(admin, url="javascript:alert(1)")
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] in {"invalid", "url_scheme"}
    assert _upload(admin, reliability="Z").json()["errors"][0]["code"] == "invalid_choice"
    assert _upload(admin, data=b"").status_code in (400, 422)
    assert db_snapshot() == before


def test_someone_elses_job_is_not_found(users):
    job = ImportJob.objects.create(name="x.txt", user=users["editor"], batch="b")
    assert not users["admin"].is_superuser
    assert _client(users["admin"]).get(f"/api/imports/{job.pk}").json()["code"] == "not_found"
    assert _client(users["editor"]).get(f"/api/imports/{job.pk}").json()["code"] == "permission_denied"


@pytest.mark.parametrize("how,status,code", [
    ("none", 401, "not_authenticated"), ("read token", 403, "token_read_only"),
    ("session without csrf", 403, "csrf_failed"), ("session with csrf", 202, None),
])
def test_an_admin_imports_only_with_write_credentials(users, db_snapshot, how, status, code):
    from tests.api.test_writes import _client as credentials

    client = credentials(users["admin"], how)
    before = db_snapshot()
    response = _upload(client)
    assert response.status_code == status, response.content
    if code:
        assert response.json()["code"] == code and db_snapshot() == before
    else:
        assert ImportJob.objects.filter(user=users["admin"], name="doc.txt").exists()
