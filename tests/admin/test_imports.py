"""The admin's import page: who may use it, preview, confirmation from server-kept bytes, limits."""
import html
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from kb.models import Citation, ImportJob, PendingImport, Source
from tests.factories import ARTICLE, ARTICLE_SLUG, UserFactory

IMPORT_URL = "/admin/kb/source/import/"
CONFIRM_URL = "/admin/kb/source/import/confirm/"
DOCUMENT = (
    "= Talks resume in Geneva =\n\n"
    "The committee met in Geneva on 4 March 2019 and agreed a timetable for the talks, "
    "which both delegations described as realistic.\n\n"
    "== Background ==\n\n"
    "Earlier talks in 2017 had failed after the envoy resigned, according to a UN official.\n"
)


def make_user(username, *, staff=True, perms=()):
    return UserFactory(username=username, is_staff=staff, permissions=perms)


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("importer-admin", perms=("add_source", "view_source")))
    return client


def upload(client, data=DOCUMENT.encode(), name="talks.txt", **metadata):
    fields = {"kind": "news", "reliability": "C", **metadata}
    if data is not None:
        fields["file"] = SimpleUploadedFile(name, data, content_type="text/plain")
    return client.post(IMPORT_URL, fields)


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the preview offers no confirmation"
    return match.group(1)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# ---- who may import ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    for method in (client.get, client.post):
        response = method(IMPORT_URL)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(CONFIRM_URL, {"token": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_logged_in_non_staff_are_sent_to_the_login(client, db):
    client.force_login(make_user("reader", staff=False, perms=("add_source",)))
    assert client.get(IMPORT_URL).status_code == 302


def test_staff_without_the_add_source_permission_get_403(client, db_snapshot):
    before = db_snapshot()
    client.force_login(make_user("staff-no-perm", perms=("view_source",)))
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client).status_code == 403
    assert client.post(CONFIRM_URL, {"token": "x"}).status_code == 403
    assert db_snapshot() == before


def test_permission_is_checked_before_the_body_is_read(db):
    from kb.admin.imports import upload_view
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied

    request = RequestFactory().post(IMPORT_URL, data=b"", content_type="multipart/form-data; boundary=x")
    request.META["wsgi.input"] = ExplodingStream()
    request.META["CONTENT_LENGTH"] = "100"
    request._stream = ExplodingStream()
    request.user = make_user("staff-no-perm-2", perms=())
    with pytest.raises(PermissionDenied):
        upload_view(admin.site)(request)


def test_import_links_from_the_admin_index_app_and_source_list(admin_client):
    assert "Import document" in admin_client.get("/admin/kb/source/").content.decode()
    assert "Import document" in admin_client.get("/admin/kb/").content.decode()
    # The admin index's "Add" for sources leads to the import page.
    assert "/admin/kb/source/add/" in admin_client.get("/admin/").content.decode()
    response = admin_client.get("/admin/kb/source/add/")
    assert response.status_code == 302 and response["Location"] == IMPORT_URL


def test_the_form_shows_document_and_metadata_fields(admin_client):
    html = admin_client.get(IMPORT_URL).content.decode()
    for name in ("file", "text", "title", "kind", "publisher", "author", "url", "published", "reliability"):
        assert f'name="{name}"' in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html


# ---- preview and confirmation ------------------------------------------------------------


def test_preview_shows_what_will_be_created_and_writes_only_the_pending_upload(admin_client, db_snapshot):
    before = db_snapshot()
    response = upload(admin_client, published="2019-03", publisher="Geneva Times")
    assert response.status_code == 200
    text = page_text(response)
    assert "Format wikitext" in text and "Encoding utf-8" in text
    assert "new source" in text
    assert "H1 Talks resume in Geneva" in text and "H2 Background" in text
    assert "Boilerplate 0" in text
    assert "Passages 4" in text
    after = db_snapshot()
    assert after.pop("PendingImport") == before.pop("PendingImport") + 1
    assert after == before  # nothing else written by a preview
    pending = PendingImport.objects.get()
    assert bytes(pending.data) == DOCUMENT.encode() and pending.name == "talks.txt"


def test_preview_lists_candidate_claims_and_shared_text(admin_client, seeds):
    data = seeds["blog"].text.replace("Hamas & Iran", "Hamas and Iran").encode()
    response = upload(admin_client, data=data, name="blog-copy.txt")
    text = page_text(response)
    assert re.search(r"Candidate claims \(\d+\)", text)
    assert "Shared text with stored sources" in text
    # Both parts are filled in, not only their headings: candidates found, the copied blog named.
    assert int(re.search(r"Candidate claims \((\d+)\)", text).group(1)) > 0
    shared = html.unescape(text[text.index("Shared text with stored sources") :])
    assert seeds["blog"].title in shared


def confirm(client, token, **extra):
    """Confirm a preview; the import job runs when the request's transaction commits."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(CONFIRM_URL, {"token": token, "action": "confirm", **extra})


def test_confirm_imports_the_server_kept_bytes_with_the_metadata(admin_client):
    preview = upload(admin_client, published="2019-03", publisher="Geneva Times", title="Talks in Geneva")
    token = token_of(preview)
    # Whatever else the browser sends is ignored: only the token counts.
    response = confirm(admin_client, token, text="tampered", title="tampered")
    source = Source.objects.get(slug="talks-in-geneva")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert source.text == DOCUMENT and source.title == "Talks in Geneva"
    assert (source.kind, source.reliability, source.publisher, source.published_edtf) == ("news", "C", "Geneva Times", "2019-03")
    assert source.imported_by.username == "importer-admin"
    assert not PendingImport.objects.exists()
    assert (job.status, job.source, job.outcome, job.data) == ("done", source, "created", None)
    page = page_text(admin_client.get(response["Location"]))
    assert "talks.txt · done" in page and "Finished: 1 done, 0 failed" in page
    assert "Talks in Geneva (created)" in page


def test_pasted_text_imports_like_a_file(admin_client):
    preview = admin_client.post(IMPORT_URL, {"text": "# Pasted note\r\n\r\nIt was pasted in 2024, officials said.\r\n",
                                             "kind": "other", "reliability": "F"})
    assert "Format markdown" in page_text(preview)
    confirm(admin_client, token_of(preview))
    source = Source.objects.get(slug="pasted-note")
    assert source.text == "# Pasted note\n\nIt was pasted in 2024, officials said.\n"


def test_a_token_is_scoped_to_its_user_and_expires(admin_client, client, db_snapshot):
    token = token_of(upload(admin_client))
    before = db_snapshot()
    other = make_user("other-admin", perms=("add_source", "view_source"))
    client.force_login(other)
    response = client.post(CONFIRM_URL, {"token": token, "action": "confirm"})
    assert response.status_code == 400 and "expired or does not exist" in page_text(response)
    PendingImport.objects.update(created_at=PendingImport.objects.get().created_at - timedelta(hours=2))
    response = admin_client.post(CONFIRM_URL, {"token": token, "action": "confirm"})
    assert response.status_code == 400
    assert db_snapshot() == before


def test_cancel_discards_the_pending_upload(admin_client, db_snapshot):
    before = db_snapshot()
    token = token_of(upload(admin_client))
    response = admin_client.post(CONFIRM_URL, {"token": token, "action": "cancel"})
    assert response.status_code == 302
    assert db_snapshot() == before


def test_same_text_again_is_shown_as_unchanged_and_offers_nothing(admin_client, seeds, db_snapshot):
    before = db_snapshot()
    response = upload(admin_client, data=ARTICLE.read_bytes(), name=ARTICLE.name, slug=ARTICLE_SLUG)
    assert response.status_code == 200
    assert "already imported" in page_text(response)
    assert 'name="token"' not in response.content.decode()
    assert db_snapshot() == before


def test_changed_text_becomes_a_new_version_with_citations_carried_over(admin_client, seeds):
    article = seeds["article"]
    cited = Citation.objects.filter(source=article).count()
    changed = article.text.replace("about $100 million annually", "about $110 million annually")
    preview = upload(admin_client, data=changed.encode(), name="article.txt", slug=ARTICLE_SLUG)
    assert "new version 2" in page_text(preview)
    response = confirm(admin_client, token_of(preview))
    assert response.status_code == 302
    v2 = Source.objects.get(slug=ARTICLE_SLUG, is_current=True)
    assert v2.version == 2
    assert Citation.objects.filter(source=v2).count() >= cited
    assert all(v2.text[c.start : c.end] == c.quote for c in Citation.objects.filter(source=v2))


# ---- bad metadata and forms --------------------------------------------------------------


@pytest.mark.parametrize("metadata, field", [
    ({"published": "not a date"}, "published"),
    ({"reliability": "Z"}, "reliability"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"kind": "poem"}, "kind"),
])
def test_bad_metadata_is_shown_on_the_form_and_nothing_is_written(admin_client, db_snapshot, metadata, field):
    before = db_snapshot()
    response = upload(admin_client, **metadata)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert f'name="{field}"' in response.content.decode()
    assert db_snapshot() == before


def test_file_and_text_together_or_neither_are_refused(admin_client, db_snapshot):
    before = db_snapshot()
    both = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.txt", b"Some text here."), "text": "More."})
    assert "Give a file, pasted text or an address: one of them." in page_text(both)
    with_address = admin_client.post(IMPORT_URL, {"text": "More.", "address": "https://example.org/page"})
    assert "Give a file, pasted text or an address: one of them." in page_text(with_address)
    neither = admin_client.post(IMPORT_URL, {"kind": "news"})
    assert "Choose a file" in page_text(neither)
    assert db_snapshot() == before


# ---- size limits, before the body is read -------------------------------------------------


class ExplodingStream(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = readinto = read


def test_content_length_over_the_limit_is_refused_before_reading(db, settings):
    from django.contrib import admin

    from kb.admin.imports import upload_view

    request = RequestFactory().post(IMPORT_URL, data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(30 * 1024 * 1024)
    request._stream = ExplodingStream()
    request.user = make_user("admin-30mb", perms=("add_source",))
    request.session = {}
    response = upload_view(admin.site)(request)
    response.render()
    assert response.status_code == 413
    assert "over the" in response.content.decode() and "byte limit" in response.content.decode()


def test_upload_handler_stops_reading_past_the_limit(admin_client, settings, db_snapshot):
    before = db_snapshot()
    settings.CLAIMBOOK_MAX_IMPORT_BYTES = 5_000  # Content-Length passes (limit + form overhead)
    response = upload(admin_client, data=b"A line of perfectly good text.\n" * 200)  # 6,200 bytes
    assert response.status_code == 413
    assert "over the 5,000-byte limit" in page_text(response)
    assert db_snapshot() == before


def test_pasted_text_over_the_form_limit_gets_a_message(admin_client, settings, db_snapshot):
    before = db_snapshot()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = admin_client.post(IMPORT_URL, {"text": "Pasted words. " * 200, "kind": "news"})
    assert response.status_code == 413
    assert "upload it as a file" in page_text(response)
    assert db_snapshot() == before


def test_reverse_names_exist():
    assert reverse("admin:kb_source_import") == IMPORT_URL
    assert reverse("admin:kb_source_import_confirm") == CONFIRM_URL
