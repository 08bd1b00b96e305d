"""Relating and merging by search (issue 11, item 6): a claim search that works without
JavaScript, a JSON lookup for the suggestions, and no default relation type."""
from django.urls import reverse

from kb.models import Relation
from tests.factories import SECOND_PHRASE, client_for, make_candidate, make_claim


def test_lookup_finds_claims_by_words_with_date_and_grade(editor):
    claim = make_claim(editor, statement="Zorblax tunnels ran under the Rafah crossing.", date_edtf="2014",
                       date_wording="in 2014", credibility=3, rationale="One source.")
    other = make_claim(editor, phrase=SECOND_PHRASE, statement="Something else entirely.")
    response = client_for(editor).get(reverse("claim-lookup"), {"q": "zorblax rafah", "exclude": other.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    (found,) = response.json()["claims"]
    assert found == {"id": claim.pk, "statement": claim.statement, "url": claim.get_absolute_url(), "date": "2014",  # the date in words, not the wording
                     "grade": "3 — possibly true", "status": "published"}
    assert client_for(editor).get(reverse("claim-lookup"), {"q": "zorblax", "exclude": claim.pk}).json() == {"claims": []}
    assert client_for(editor).get(reverse("claim-lookup"), {"q": f"#{claim.pk}"}).json()["claims"][0]["id"] == claim.pk


def test_lookup_is_for_editors_and_hides_what_they_may_not_relate(editor, researcher, client):
    assert client.get(reverse("claim-lookup"), {"q": "Hamas"}).status_code == 302
    assert client_for(researcher).get(reverse("claim-lookup"), {"q": "Hamas"}).status_code == 403
    claim = make_claim(editor, statement="Quuxly unique wording for a retracted claim.")
    claim.status = "retracted"
    claim.save()
    assert client_for(editor).get(reverse("claim-lookup"), {"q": "quuxly"}).json() == {"claims": []}


def test_lookup_answers_hostile_queries_without_error(editor):
    client = client_for(editor)
    for q in ("", " ", "9" * 40, "#", "a" * 5000, "%' OR 1=1 --", "²", "#²"):
        assert client.get(reverse("claim-lookup"), {"q": q, "exclude": "²"}).status_code == 200
    claim = make_claim(editor)
    for page in (reverse("relation-add", args=[claim.pk]), reverse("claim-merge", args=[claim.pk])):
        assert client.get(page, {"other": "²", "into": "²", "q": "²"}).status_code == 200


def test_without_javascript_search_lists_matches_that_fill_the_number(editor):
    claim = make_claim(editor, statement="The base claim.")
    target = make_claim(editor, phrase=SECOND_PHRASE, statement="Zorblax tunnels ran under the Rafah crossing.")
    client = client_for(editor)
    url = reverse("relation-add", args=[claim.pk])
    html = client.get(url, {"q": "zorblax"}).content.decode()
    assert f'href="?other={target.pk}"' in html and "Zorblax tunnels ran under the Rafah crossing." in html
    chosen = client.get(url, {"other": target.pk}).content.decode()
    assert f'name="other" value="{target.pk}"' in chosen and f"Chosen: claim {target.pk}" in chosen
    merge = client.get(reverse("claim-merge", args=[claim.pk]), {"q": "zorblax"}).content.decode()
    assert f'href="?into={target.pk}"' in merge


def test_relation_type_has_no_default_and_must_be_chosen(editor, db_snapshot):
    claim = make_claim(editor, statement="The base claim.")
    other = make_claim(editor, phrase=SECOND_PHRASE, statement="Another.")
    client = client_for(editor)
    url = reverse("relation-add", args=[claim.pk])
    html = client.get(url).content.decode()
    select = html[html.index('name="type"'):html.index("</select>", html.index('name="type"'))]
    assert "selected" not in select.replace('value="" selected', "")
    before = db_snapshot()
    response = client.post(url, {"other": other.pk, "direction": "out"})
    assert response.status_code == 200 and "Choose how the two claims relate." in response.content.decode()
    assert db_snapshot() == before
    assert client.post(url, {"other": other.pk, "direction": "out", "type": "supports"}).status_code == 302
    assert Relation.objects.filter(from_claim=claim, to_claim=other, type="supports").exists()


def test_a_contradictory_pair_is_refused_on_the_page_with_the_reason(editor):
    a = make_claim(editor, statement="A.")
    b = make_claim(editor, phrase=SECOND_PHRASE, statement="B.")
    client = client_for(editor)
    client.post(reverse("relation-add", args=[a.pk]), {"other": b.pk, "direction": "out", "type": "refines"})
    response = client.post(reverse("relation-add", args=[b.pk]), {"other": a.pk, "direction": "out", "type": "contradicts"})
    assert f"claim {a.pk} already refines claim {b.pk}" in response.content.decode()
    assert not Relation.objects.filter(from_claim=b, to_claim=a).exists()


def test_candidates_in_the_lookup_are_marked(editor):
    candidate = make_candidate(start=0, end=20, statement="Blorptastic candidate sentence about funding.")
    (found,) = client_for(editor).get(reverse("claim-lookup"), {"q": "blorptastic"}).json()["claims"]
    assert found["id"] == candidate.pk and found["status"] == "candidate"
