"""The import page with jobs: confirm returns at once and leads to a status page (JSON for the
script, a refresh link without it, retry for a failure, review link once candidates exist);
batches of files or a zip, refused whole when unsafe; a bounded preview that leaves nothing
behind when it fails; a truncated upload creates nothing."""
import io
import json
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory, TestCase
from django.test.client import encode_multipart, BOUNDARY, MULTIPART_CONTENT

from kb.models import ImportJob, PendingImport, Source

IMPORT_URL = "/admin/kb/source/import/"
CONFIRM_URL = "/admin/kb/source/import/confirm/"


def doc(title, extra=""):
    return (f"# {title}\n\nThe ministry said on 4 March 2019 that it paid $30 million to the group "
            f"in 2018, officials said.{extra}\n").encode()


def make_admin(username="jobs-admin"):
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    for codename in ("add_source", "view_source"):
        user.user_permissions.add(Permission.objects.get(content_type__app_label="kb", codename=codename))
    return user


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_admin())
    return client


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def post(client, files, **fields):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(IMPORT_URL, {"file": files, "kind": "news", "reliability": "C", **fields})


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# ---- the status page ---------------------------------------------------------------------


def confirmed(client, data=None, name="one.md"):
    preview = client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data or doc("One report")),
                                       "kind": "news", "reliability": "C"})
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(CONFIRM_URL, {"token": token, "action": "confirm"})


def test_status_page_shows_stages_counts_and_the_review_link(admin_client):
    response = confirmed(admin_client)
    page = admin_client.get(response["Location"])
    text = page_text(page)
    for stage in ImportJob.STAGES:
        assert f"{stage} " in text
    assert "Review the candidate claims" in text and 'href="/review/"' in page.content.decode()
    assert "one.md · done" in text and "candidate claims" in text
    # Finished: no script; a running batch loads it (tested below) and offers a refresh link.
    assert "import_status.js" not in page.content.decode()


def test_status_json_and_the_refresh_link_while_running(admin_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = confirmed(admin_client)
    page = admin_client.get(response["Location"])
    html = page.content.decode()
    assert "import_status.js" in html and '<a href="">refresh</a>' in html
    state = json.loads(admin_client.get(response["Location"] + "?format=json").content)
    assert state["finished"] is False and state["jobs"][0]["status"] == "queued"
    assert [stage["state"] for stage in state["jobs"][0]["stages"]] == ["waiting"] * 6
    assert not Source.objects.filter(slug="one-report").exists()  # the page returned at once


def test_another_admins_status_page_is_not_found(admin_client, client):
    response = confirmed(admin_client)
    client.force_login(make_admin("other-admin"))
    assert client.get(response["Location"]).status_code == 404


def test_a_failed_job_is_shown_with_a_retry_button_that_works(admin_client, monkeypatch):
    from kb.services import jobs as jobs_service

    def broken(*, source):
        raise RuntimeError("mining broke")

    monkeypatch.setattr(jobs_service, "candidates_propose", broken)
    response = confirmed(admin_client)
    text = page_text(admin_client.get(response["Location"]))
    assert "one.md · failed" in text and "RuntimeError: mining broke" in text and "Retry" in text
    assert Source.objects.filter(slug="one-report").exists()  # stored although mining failed
    job = ImportJob.objects.get()
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        retried = admin_client.post(f"/admin/kb/source/import/jobs/{job.pk}/retry/")
    assert retried.status_code == 302
    job.refresh_from_db()
    assert job.status == "done"


# ---- batches -----------------------------------------------------------------------------


def test_several_files_become_one_batch_of_jobs(admin_client):
    response = post(admin_client, [SimpleUploadedFile("a.md", doc("Alpha report")),
                                   SimpleUploadedFile("b.md", doc("Beta report"))])
    assert response.status_code == 302 and "/import/status/" in response["Location"]
    jobs = ImportJob.objects.order_by("pk")
    assert [job.status for job in jobs] == ["done", "done"] and len({job.batch for job in jobs}) == 1
    assert set(Source.objects.filter(slug__in=["alpha-report", "beta-report"]).values_list("slug", flat=True)) == {
        "alpha-report", "beta-report"}


def test_a_zip_of_documents_imports_each(admin_client):
    data = zipped({"docs/a.md": doc("Alpha report"), "docs/b.md": doc("Beta report"),
                   "__MACOSX/._a.md": b"junk", "docs/README.md": b"# not a source"})
    response = post(admin_client, SimpleUploadedFile("batch.zip", data))
    assert response.status_code == 302
    assert sorted(ImportJob.objects.values_list("name", flat=True)) == ["batch.zip/docs/a.md", "batch.zip/docs/b.md"]
    assert page_text(admin_client.get(response["Location"])).count("· done") == 2


def zip_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("bomb.txt", "w", force_zip64=True) as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("climb.zip", zipped({"../../etc/evil.md": doc("Evil")}), "path outside itself"),
    ("abs.zip", zipped({"/etc/evil.md": doc("Evil")}), "path outside itself"),
    ("bomb.zip", zip_bomb(25 * 1024 * 1024), "expands"),
    ("many.zip", zipped({f"f{i}.txt": b"tiny text." for i in range(10_000)}), "10,000 files, over the limit of 200"),
    ("fake.zip", b"This is plain text pretending to be a zip archive.", "not a zip archive"),
    ("empty.zip", zipped({}), "holds no documents"),
])
def test_unsafe_archives_are_refused_whole_with_a_message(admin_client, db_snapshot, name, data, message):
    before = db_snapshot()
    response = post(admin_client, SimpleUploadedFile(name, data))
    assert response.status_code == 200
    assert message in page_text(response) and "nothing was imported" in page_text(response)
    assert db_snapshot() == before


def test_a_batch_refuses_slug_and_title(admin_client, db_snapshot):
    before = db_snapshot()
    response = post(admin_client, [SimpleUploadedFile("a.md", doc("A")), SimpleUploadedFile("b.md", doc("B"))],
                    slug="same-slug")
    assert "leave Slug and Title empty" in page_text(response)
    assert db_snapshot() == before


def test_a_batch_with_one_bad_file_still_queues_and_that_job_fails_clearly(admin_client):
    post(admin_client, [SimpleUploadedFile("good.md", doc("Good report")),
                        SimpleUploadedFile("bad.txt", b"\x00\x01\x02binary" * 50)])
    jobs = {job.name: job for job in ImportJob.objects.all()}
    assert jobs["good.md"].status == "done"
    assert jobs["bad.txt"].status == "failed" and not jobs["bad.txt"].retryable and jobs["bad.txt"].error


# ---- the preview: bounded, and nothing left behind -----------------------------------------


def test_the_preview_mines_only_a_sample(admin_client, settings):
    settings.CLAIMBOOK_PREVIEW_CHARS = 300
    body = b"".join(doc(f"Part {i}", " More words here.") for i in range(40))
    response = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("long.md", body), "kind": "news"})
    text = page_text(response)
    assert "in the first 300 characters" in text and "mines the whole text" in text
    count = int(re.search(r"Candidate claims \((\d+)", text).group(1))
    assert 0 < count <= 3


class Abandoned(BaseException):
    """What a worker timeout looks like from inside the request: it never returns."""


def test_a_preview_cut_off_midway_leaves_nothing(admin_client, db_snapshot, monkeypatch):
    from kb.admin import imports

    def timeout(*args, **kwargs):
        raise Abandoned

    monkeypatch.setattr(imports, "find_overlaps", timeout)
    before = db_snapshot()
    with pytest.raises(Abandoned):
        admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.md", doc("Cut off")), "kind": "news"})
    assert db_snapshot() == before and not PendingImport.objects.exists()


def test_a_truncated_upload_creates_nothing(db, db_snapshot):
    from django.contrib import admin

    from kb.admin.imports import upload_view

    before = db_snapshot()
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("a.md", doc("Truncated") * 50),
                                       "kind": "news", "reliability": "C"})
    environ = RequestFactory()._base_environ(
        REQUEST_METHOD="POST", PATH_INFO=IMPORT_URL, CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(body)), **{"wsgi.input": io.BytesIO(body[: len(body) // 2])},
    )
    request = WSGIRequest(environ)
    request.user = make_admin("truncating-admin")
    request.session = {}
    request._dont_enforce_csrf_checks = True
    response = upload_view(admin.site)(request)
    response.render()
    assert response.status_code == 400
    assert "cut short" in response.content.decode()
    assert db_snapshot() == before
