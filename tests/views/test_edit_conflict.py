"""The claim edit page after a stale edit (issue 11, item 4): merged per field; fields both
editors changed shown side by side with a required choice; never a silent revert."""
import re

from django.urls import reverse

from kb.models import Claim
from tests.factories import client_for, make_claim


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html)[1]


FIELDS = {"kind": "event", "date_edtf": "2006-01", "credibility": "", "rationale": ""}


def _opened(client, url):
    html = client.get(url).content.decode()
    return {"version": _hidden(html, "version")}


def test_untouched_date_wording_survives_the_other_editors_statement(editor, other_editor):
    claim = make_claim(editor, statement="Hamas won the 2006 elections.", date_edtf="2006-01", date_wording="January 2006")
    url = reverse("claim-edit", args=[claim.pk])
    eddie, edna = client_for(editor), client_for(other_editor)
    eddie_loaded, edna_loaded = _opened(eddie, url), _opened(edna, url)
    edna.post(url, {**FIELDS, **edna_loaded, "statement": "Hamas won the 2006 elections.", "date_wording": "late January 2006"})
    response = eddie.post(url, {**FIELDS, **eddie_loaded, "statement": "Hamas won the January 2006 elections.",
                                "date_wording": "January 2006"}, follow=True)
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.statement, claim.date_wording) == ("Hamas won the January 2006 elections.", "late January 2006")
    assert "fields you did not touch keep their new values" in response.content.decode()


def test_both_changed_statement_asks_for_a_choice_then_saves_it(editor, other_editor):
    claim = make_claim(editor, statement="First wording.", date_edtf="2006-01", date_wording="2006")
    url = reverse("claim-edit", args=[claim.pk])
    eddie, edna = client_for(editor), client_for(other_editor)
    eddie_loaded, edna_loaded = _opened(eddie, url), _opened(edna, url)
    edna.post(url, {**FIELDS, **edna_loaded, "statement": "Edna's wording.", "date_wording": "early 2006"})
    response = eddie.post(url, {**FIELDS, **eddie_loaded, "statement": "Eddie's wording.", "date_wording": "2006"})
    html = response.content.decode()
    assert response.status_code == 200 and "you both changed it" in html
    assert 'name="choose_statement"' in html and "checked" not in html[html.index("merge-choice"):html.index("</fieldset>")]
    assert _hidden(html, "conflicts") == "statement" and _hidden(html, "statement") == "Eddie&#x27;s wording."
    assert _hidden(html, "theirs_statement") == "Edna&#x27;s wording."
    assert 'value="early 2006"' in html  # the untouched field now holds theirs
    assert Claim.objects.get(pk=claim.pk).statement == "Edna's wording."

    resent = {**FIELDS, "version": _hidden(html, "version"), "conflicts": "statement", "statement": "Eddie's wording.",
              "theirs_statement": "Edna's wording.", "date_wording": "early 2006"}
    unchosen = eddie.post(url, resent)
    assert unchosen.status_code == 200 and "Choose yours or theirs." in unchosen.content.decode()
    assert Claim.objects.get(pk=claim.pk).statement == "Edna's wording."

    assert eddie.post(url, {**resent, "choose_statement": "theirs"}).status_code == 302
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.statement, claim.date_wording) == ("Edna's wording.", "early 2006")


def test_choosing_yours_keeps_yours_and_theirs_elsewhere(editor, other_editor):
    claim = make_claim(editor, statement="First wording.", date_edtf="2006-01", date_wording="2006")
    url = reverse("claim-edit", args=[claim.pk])
    eddie, edna = client_for(editor), client_for(other_editor)
    eddie_loaded, edna_loaded = _opened(eddie, url), _opened(edna, url)
    edna.post(url, {**FIELDS, **edna_loaded, "statement": "Edna's wording.", "date_wording": "early 2006"})
    html = eddie.post(url, {**FIELDS, **eddie_loaded, "statement": "Eddie's wording.", "date_wording": "2006"}).content.decode()
    form = {**FIELDS, "version": _hidden(html, "version"), "conflicts": "statement", "statement": "Eddie's wording.",
            "theirs_statement": "Edna's wording.", "date_wording": "early 2006", "choose_statement": "mine"}
    assert eddie.post(url, form).status_code == 302
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.statement, claim.date_wording) == ("Eddie's wording.", "early 2006")


def test_edit_form_shows_the_quote(editor):
    claim = make_claim(editor)
    html = client_for(editor).get(reverse("claim-edit", args=[claim.pk])).content.decode()
    quote = claim.citations.get().quote
    assert "What the sources say" in html and quote.split()[0] in html[html.index("edit-quotes"):]
