"""A duplicate in the making, in a real browser (issue 11, item 5): words a claim already cites
are selected for a new claim; the page shows that claim first, and "add this as a citation of
claim N" adds the words to it instead; "create anyway" makes the new claim."""
from kb.models import Citation, Claim
from tests.browser.test_editing import SELECT_PHRASE
from tests.factories import PASSWORD, SECOND_PHRASE, article, make_claim, make_user
from tests.browser.conftest import log_in

PART = "Iran hosted a conference in Tehran"  # inside SECOND_PHRASE


def _new_claim_from(page, phrase, statement):
    page.goto(article().get_absolute_url())
    assert page.evaluate(SELECT_PHRASE, phrase)
    page.click(".selection-bar >> text=New claim")
    page.wait_for_selector("h1:has-text('New claim from a quote')")
    page.fill("#id_statement", statement)
    page.click("button:has-text('Create claim')")
    page.wait_for_selector("text=This may already be a claim")


def test_add_as_citation_instead_of_a_duplicate(page, transactional_db):
    eve = make_user("editor", "eve", password=PASSWORD)
    existing = make_claim(eve, phrase=SECOND_PHRASE, statement="Iran hosted a pro-Palestinian conference in Tehran in 1990.")
    claims = Claim.objects.count()
    log_in(page, "eve")
    _new_claim_from(page, PART, "Tehran hosted a conference for Palestine.")
    assert Claim.objects.count() == claims
    assert existing.statement in page.inner_text(f"#duplicate-{existing.pk}")
    page.click(f"#duplicate-{existing.pk} button:has-text('Add this as a citation of claim {existing.pk}')")
    page.wait_for_selector("text=added as a citation of claim")
    assert page.url.endswith(existing.get_absolute_url())
    assert Claim.objects.count() == claims
    assert Citation.objects.filter(claim=existing).count() == 2
    assert Citation.objects.filter(claim=existing, quote=PART).count() == 1


def test_create_anyway(page, transactional_db):
    eve = make_user("editor", "eve", password=PASSWORD)
    make_claim(eve, phrase=SECOND_PHRASE, statement="Iran hosted a pro-Palestinian conference in Tehran in 1990.")
    log_in(page, "eve")
    _new_claim_from(page, SECOND_PHRASE, "A separate claim on purpose.")
    page.click("button:has-text('Create a new claim anyway')")
    page.wait_for_selector("text=created with its citation")
    assert Claim.objects.get(statement="A separate claim on purpose.").citations.get().quote == SECOND_PHRASE
