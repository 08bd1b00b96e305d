"""After saving an annotation the page opens at it, far down a phone's screen; the notice that
it was saved must be in view there too (issue 11, minor items)."""
import pytest

from kb.models import Annotation
from tests.factories import PASSWORD, make_claim, make_user


@pytest.fixture
def phone(chromium, site, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context = chromium.new_context(base_url=site, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
}"""


def test_annotation_saved_notice_is_in_view(phone, transactional_db):
    eve = make_user("editor", "eve", password=PASSWORD)
    claim = make_claim(eve, statement="Iran's support for Hamas grew through the 1990s. " * 6)
    phone.goto("/accounts/login/")
    phone.fill("#id_username", "eve")
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.goto(f"/claims/{claim.pk}/annotations/new/")
    phone.select_option("select[name=kind]", "context")
    phone.fill("textarea[name=body]", "Context: the 1990s saw the first large transfers.")
    phone.click("button:has-text('Save annotation')")
    annotation = Annotation.objects.get(claim=claim)
    phone.wait_for_selector(f"#annotation-{annotation.pk}")
    assert phone.evaluate("window.scrollY") > 0, "the page should open at the annotation, below the top"
    assert phone.evaluate(IN_VIEW, ".messages")
    assert "Annotation saved." in phone.inner_text(".messages")
