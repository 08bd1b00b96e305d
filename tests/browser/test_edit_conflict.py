"""Two editors on one claim in real browsers (issue 11, item 4): the second saves a new date
wording, the first saves the statement; the date wording is kept. When both changed the
statement, the page shows both side by side and saves nothing until one is chosen."""
import pytest

from kb.models import Claim
from tests.factories import PASSWORD, make_claim, make_user
from tests.browser.conftest import log_in


@pytest.fixture
def browsers(chromium, site, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    contexts = [chromium.new_context(base_url=site) for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(10_000)
    yield pages
    for context in contexts:
        context.close()


def _two_editors_open(browsers, **fields):
    eddie, edna = make_user("editor", "eddie", password=PASSWORD), make_user("editor", "edna", password=PASSWORD)
    claim = make_claim(eddie, **fields)
    first, second = browsers
    log_in(first, "eddie")
    log_in(second, "edna")
    url = f"/claims/{claim.pk}/edit/"
    first.goto(url)
    second.goto(url)
    return claim, first, second


def test_the_other_editors_date_wording_is_kept(browsers, transactional_db):
    claim, first, second = _two_editors_open(
        browsers, statement="Hamas won the 2006 elections.", date_edtf="2006-01", date_wording="January 2006")
    second.fill("#id_date_wording", "late January 2006")
    second.click("button:has-text('Save')")
    second.wait_for_selector("text=Claim saved.")

    first.fill("#id_statement", "Hamas won the January 2006 Palestinian legislative elections.")
    first.click("button:has-text('Save')")
    first.wait_for_selector("text=the fields you did not touch keep their new values")
    claim.refresh_from_db()
    assert claim.statement == "Hamas won the January 2006 Palestinian legislative elections."
    assert claim.date_wording == "late January 2006"


def test_both_changed_the_statement_choose_then_save_again(browsers, transactional_db):
    claim, first, second = _two_editors_open(
        browsers, statement="Hamas won the 2006 elections.", date_edtf="2006-01", date_wording="January 2006")
    second.fill("#id_statement", "Hamas won the 2006 legislative elections.")
    second.fill("#id_date_wording", "late January 2006")
    second.click("button:has-text('Save')")
    second.wait_for_selector("text=Claim saved.")

    first.fill("#id_statement", "Hamas won the January 2006 elections.")
    first.click("button:has-text('Save')")
    first.wait_for_selector("text=Changed by someone else")
    choice = first.locator("fieldset.merge-choice")
    assert "Hamas won the January 2006 elections." in choice.locator(".merge-mine").inner_text()
    assert "Hamas won the 2006 legislative elections." in choice.locator(".merge-theirs").inner_text()
    assert first.input_value("#id_date_wording") == "late January 2006"

    first.click("button:has-text('Save')")  # no choice made: refused, nothing saved
    first.wait_for_selector("text=Choose yours or theirs.")
    claim.refresh_from_db()
    assert claim.statement == "Hamas won the 2006 legislative elections."

    first.check("fieldset.merge-choice .merge-mine input")
    first.click("button:has-text('Save')")
    first.wait_for_selector("text=Claim saved.")
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.statement, claim.date_wording) == ("Hamas won the January 2006 elections.", "late January 2006")
