"""Relating claims by search in a real browser (issue 11, item 6): suggestions as you type
(statement, date, grade), a choice fills the claim number, the type must be chosen, and a
contradictory pair is refused with the reason."""
from kb.models import Relation
from tests.factories import PASSWORD, SECOND_PHRASE, THIRD_PHRASE, make_claim, make_user
from tests.browser.conftest import log_in


def test_relate_by_search_then_refuse_the_contradictory_pair(page, transactional_db):
    eve = make_user("editor", "eve", password=PASSWORD)
    base = make_claim(eve, statement="Qatar paid Hamas salaries in Gaza.")
    target = make_claim(eve, phrase=SECOND_PHRASE, statement="Zorblax payments reached Gaza in 2018.",
                        date_edtf="2018", date_wording="in 2018", credibility=3, rationale="One report.")
    make_claim(eve, phrase=THIRD_PHRASE, statement="Zorblax is also a word in this unrelated claim.")
    log_in(page, "eve")
    page.goto(f"/claims/{base.pk}/relations/new/")
    assert page.input_value("#id_type") == ""

    page.fill("#claim-q", "zorblax payments")
    option = page.wait_for_selector(f"#claim-option-{target.pk}")
    assert "in 2018" in option.inner_text() and "3 — possibly true" in option.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#id_other") == str(target.pk)
    assert f"Chosen: claim {target.pk}" in page.inner_text(".claim-chosen")

    page.click("button:has-text('Add relation')")  # no type chosen yet
    page.wait_for_selector("text=Choose how the two claims relate.")
    assert not Relation.objects.filter(from_claim=base).exists()
    page.fill("#id_other", str(target.pk))
    page.select_option("#id_type", "refines")
    page.click("button:has-text('Add relation')")
    page.wait_for_selector("text=Relation added.")
    assert Relation.objects.filter(from_claim=base, to_claim=target, type="refines").exists()

    page.goto(f"/claims/{target.pk}/relations/new/?other={base.pk}")
    page.select_option("#id_type", "contradicts")
    page.click("button:has-text('Add relation')")
    page.wait_for_selector(f"text=claim {base.pk} already refines claim {target.pk}")
    assert not Relation.objects.filter(from_claim=target, to_claim=base).exists()


def test_without_javascript_the_search_form_still_chooses(chromium, site, settings, transactional_db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context = chromium.new_context(base_url=site, java_script_enabled=False)
    page = context.new_page()
    try:
        eve = make_user("editor", "eve", password=PASSWORD)
        base = make_claim(eve, statement="Qatar paid Hamas salaries in Gaza.")
        target = make_claim(eve, phrase=SECOND_PHRASE, statement="Zorblax payments reached Gaza in 2018.")
        log_in(page, "eve")
        page.goto(f"/claims/{base.pk}/merge/")
        page.fill("#claim-q", "zorblax")
        page.click("form.claim-search button[type=submit]")
        page.click(f"a.choose[href='?into={target.pk}']")
        assert page.input_value("#id_into") == str(target.pk)
    finally:
        context.close()
