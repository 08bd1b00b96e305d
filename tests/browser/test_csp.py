"""The Content-Security-Policy blocks nothing the site itself uses: a real browser reports no
violation on the reader's and the editor's pages, scripts included (issue 13, item 8)."""
import pytest

from kb.models import Claim
from tests.factories import ARTICLE_SLUG, PASSWORD, make_user

WATCH = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__violations = window.__violations || []).push(e.violatedDirective + " " + e.blockedURI);
});"""


@pytest.fixture
def page(chromium, site, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context = chromium.new_context(base_url=site)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.refused = refused
    yield page
    context.close()


def _violations(page) -> list:
    return page.evaluate("window.__violations || []") + page.refused


def test_no_page_breaks_the_policy(page, transactional_db):
    claim = Claim.objects.filter(status=Claim.Status.PUBLISHED).order_by("id").first()
    public = ["/", "/claims/", f"/claims/{claim.pk}/", f"/sources/{ARTICLE_SLUG}/?claim={claim.pk}", "/timeline/",
              "/entities/", "/accounts/login/"]
    for url in public:
        page.goto(url)
        assert _violations(page) == [], url
    make_user("admin", "ada", password=PASSWORD)
    page.goto("/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    for url in [f"/sources/{ARTICLE_SLUG}/", f"/claims/{claim.pk}/edit/", "/review/", "/admin/",
                "/admin/kb/claim/", f"/admin/kb/claim/{claim.pk}/change/", "/admin/kb/source/import/",
                "/admin/kb/relation/"]:
        page.goto(url)
        assert _violations(page) == [], url
