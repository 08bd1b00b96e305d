"""A new claim that may duplicate another (issue 11, item 5): the existing claims are shown
before anything is created, with "add this as a citation of claim N" or "create anyway"."""
from django.urls import reverse

from kb.models import Citation, Claim
from kb.selectors import duplicates
from kb.services import claims as claim_services
from tests.factories import SECOND_PHRASE, THIRD_PHRASE, article, client_for, make_claim, words

STATEMENT = "In 1990 Iran hosted a conference in Tehran that supported the Palestinian cause."


def _post(client, phrase, statement, **extra):
    source = article()
    start = source.text.index(phrase)
    return client.post(reverse("claim-new", args=[source.slug]), {
        "start": start, "end": start + len(phrase), "quote": phrase, "statement": statement,
        "kind": "event", "stance": "states", **extra,
    })


def test_overlapping_words_are_found_in_the_database(editor):
    existing = make_claim(editor, phrase=SECOND_PHRASE, statement="A claim on these words.")
    source = article()
    start = source.text.index(SECOND_PHRASE)
    inside = words(source, SECOND_PHRASE[10:40])
    found = duplicates.claims_citing(inside)
    assert [(d.claim.pk, d.why) for d in found if d.claim.pk == existing.pk] == [(existing.pk, "cites some of these words")]
    exact = duplicates.claims_citing(words(source, SECOND_PHRASE))
    assert (existing.pk, "cites these words") in [(d.claim.pk, d.why) for d in exact]
    elsewhere = duplicates.claims_citing(words(source, THIRD_PHRASE))
    assert existing.pk not in [d.claim.pk for d in elsewhere]
    assert start >= 0


def test_a_close_statement_is_found(editor):
    existing = make_claim(editor, phrase=SECOND_PHRASE, statement=STATEMENT, date_edtf="1990")
    close = duplicates.claim_stating("Iran hosted a conference in Tehran in 1990 that supported the Palestinian cause.", "1990")
    assert close is not None and close.claim.pk == existing.pk and close.why == "says nearly the same"
    assert duplicates.claim_stating("Tehran's support for Hamas progressively increased over the decade.", "") is None


def test_service_refuses_a_possible_duplicate_only_when_asked(editor, db_snapshot):
    existing = make_claim(editor, phrase=SECOND_PHRASE, statement="A claim on these words.")
    before = db_snapshot()
    try:
        claim_services.claim_create_from_selection(
            by=editor, selection=words(article(), SECOND_PHRASE), refuse_duplicates=True,
            fields=claim_services.ClaimFields(statement="Another claim on the same words."),
        )
    except claim_services.PossibleDuplicate as exc:
        assert exc.code == "possible_duplicate" and existing.pk in [d.claim.pk for d in exc.found]
    else:
        raise AssertionError("the duplicate was not refused")
    assert db_snapshot() == before


def test_the_page_warns_and_creates_nothing(editor, db_snapshot):
    existing = make_claim(editor, phrase=SECOND_PHRASE, statement="A claim on these words.")
    before = db_snapshot()
    response = _post(client_for(editor), SECOND_PHRASE, "Another claim on the same words.")
    html = response.content.decode()
    assert response.status_code == 200 and "This may already be a claim" in html
    assert f'id="duplicate-{existing.pk}"' in html and "A claim on these words." in html
    assert 'name="create_anyway" value="1"' in html
    # It cites exactly these words already: the page says so instead of offering to add them again.
    assert f'name="cite_into" value="{existing.pk}"' not in html and "It already cites exactly these words." in html
    assert db_snapshot() == before


def test_partly_cited_words_can_be_added_to_that_claim(editor):
    existing = make_claim(editor, phrase=SECOND_PHRASE, statement="A claim on these words.")
    html = _post(client_for(editor), SECOND_PHRASE[9:43], "Another claim on some of the words.").content.decode()
    assert f'name="cite_into" value="{existing.pk}"' in html


def test_add_as_a_citation_of_the_existing_claim(editor, other_editor):
    existing = make_claim(editor, statement="Seven soldiers and a settler died.")  # cites UNIQUE_PHRASE
    target = make_claim(editor, phrase=SECOND_PHRASE, statement="A claim on these words.")
    claims_before = Claim.objects.count()
    response = _post(client_for(other_editor), SECOND_PHRASE, "Another claim on the same words.",
                     cite_into=str(existing.pk), attribution="the article")
    assert response.status_code == 302 and response["Location"] == existing.get_absolute_url()
    assert Claim.objects.count() == claims_before
    added = Citation.objects.get(claim=existing, quote=SECOND_PHRASE)
    assert added.attribution == "the article" and added.history.get().history_user == other_editor
    assert target.citations.count() == 1


def test_create_anyway_makes_the_claim(editor):
    make_claim(editor, phrase=SECOND_PHRASE, statement=STATEMENT, date_edtf="1990")
    client = client_for(editor)
    close = _post(client, THIRD_PHRASE, "Iran hosted a conference in Tehran in 1990 that supported the Palestinian cause.",
                  date_edtf="1990")
    assert "says nearly the same" in close.content.decode()
    response = _post(client, THIRD_PHRASE, "Iran hosted a conference in Tehran in 1990 that supported the Palestinian cause.",
                     date_edtf="1990", create_anyway="1")
    assert response.status_code == 302
    assert Claim.objects.filter(statement__startswith="Iran hosted a conference in Tehran in 1990").count() == 1


def test_citing_into_a_missing_claim_says_so(editor, db_snapshot):
    make_claim(editor, phrase=SECOND_PHRASE, statement="A claim on these words.")
    before = db_snapshot()
    response = _post(client_for(editor), SECOND_PHRASE, "Another.", cite_into="999999")
    assert response.status_code == 200 and "There is no claim with that number." in response.content.decode()
    assert db_snapshot() == before
