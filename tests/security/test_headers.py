"""Security headers on every page, and nothing inline that the policy would block (issue 13, item 8)."""
import pytest
from django.test import Client
from django.urls import reverse

from kb.middleware import CONTENT_SECURITY_POLICY
from kb.models import Annotation, Claim, Entity
from kb.services import annotations as annotation_services
from tests.security.html_checks import inline_code
from tests.factories import ARTICLE_SLUG, client_for, make_claim, make_user


def test_the_policy_allows_nothing_inline_and_nothing_from_elsewhere():
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


@pytest.fixture
def pages(curated):
    editor, admin = make_user("editor", "eddie"), make_user("admin", "ada")
    claim = make_claim(editor, statement="A claim.")
    note = annotation_services.annotation_create(by=editor, kind="context", body="**A** note.", claim=claim)
    public = ["/", "/claims/", f"/claims/{claim.pk}/", "/sources/", f"/sources/{ARTICLE_SLUG}/?claim={claim.pk}",
              "/entities/", "/entities/hamas/", "/timeline/", "/accounts/login/", "/no-such-page/", "/claims/export.csv"]
    editing = [f"/claims/{claim.pk}/edit/", f"/sources/{ARTICLE_SLUG}/claims/new/", "/review/",
               f"/annotations/{note.pk}/edit/", f"/claims/{claim.pk}/citations/new/"]
    admin_pages = ["/admin/", "/admin/kb/claim/", f"/admin/kb/claim/{claim.pk}/change/", "/admin/kb/source/",
                   "/admin/kb/source/import/", "/admin/kb/relation/", "/admin/kb/annotation/",
                   f"/admin/kb/annotation/{note.pk}/change/", f"/admin/kb/annotation/{note.pk}/history/",
                   f"/admin/kb/claim/{claim.pk}/history/", "/admin/kb/entity/", "/admin/auth/user/",
                   "/admin/auth/group/"]
    return [(None, public), (editor, editing), (admin, admin_pages)]


def test_every_page_has_the_headers_and_no_inline_code(pages):
    checked = 0
    for user, urls in pages:
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
            assert "camera=()" in response["Permissions-Policy"], url
            assert response["Referrer-Policy"] == "same-origin", url
            assert response["X-Content-Type-Options"] == "nosniff", url
            if response["Content-Type"].startswith("text/html"):
                assert inline_code(response.content.decode()) == [], url
                checked += 1
    assert checked >= 27


def test_error_pages_have_the_headers_and_no_inline_code(db, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    for response in (
        client.post("/accounts/login/", {"username": "a"}),  # CSRF failure
        client.generic("POST", "/accounts/login/", b"a=b", content_type="application/x-www-form-urlencoded; charset=utf-16"),
    ):
        assert response.status_code in (400, 403)
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert inline_code(response.content.decode()) == []


def test_the_500_page_has_no_inline_code():
    from kb.views.errors import server_error
    response = server_error(None)
    assert response.status_code == 500 and inline_code(response.content.decode()) == []


def test_inline_finder_finds_what_the_policy_blocks():
    html = ('<p style="x">a</p><script>alert(1)</script><script src="/s.js"></script>'
            '<script type="application/ld+json">{}</script><a onclick="x">b</a><style>p{}</style>')
    assert inline_code(html) == ["<p style=…>", "<script>alert(1)", "<a onclick=…>", "<style>"]


def test_password_reset_is_not_offered_without_mail(db, client):
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse("password_reset"), {"email": "a@example.org"}).status_code == 404
    assert b"password_reset" not in client.get(reverse("login")).content


def test_password_reset_works_once_mail_is_configured(db, client, settings, mailoutbox):
    settings.EMAIL_HOST = "smtp.example.org"
    user = make_user("editor", "eddie", password="a-long-test-password-91")
    user.email = "e@example.org"
    user.save()
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.post(reverse("password_reset"), {"email": "e@example.org"}).status_code == 302
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "%00=1", "status__exact=%00"])
def test_a_nul_in_the_query_string_is_a_bad_request_everywhere(db, query):
    admin = client_for(make_user("admin", "ada"), raise_request_exception=False)
    for url in ("/claims/", "/admin/kb/claim/", "/admin/auth/user/", "/admin/taggit/tag/"):
        response = admin.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
