"""Every write view, for every role: anonymous visitors and researchers change nothing."""
import pytest
from django.urls import reverse

from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import common as edits
from kb.models import Relation
from tests.factories import SECOND_PHRASE, THIRD_PHRASE, UNIQUE_PHRASE, article, client_for, make_candidate, make_claim, make_user

ROLES = [None, "researcher", "editor", "admin"]


@pytest.fixture
def world(db):
    """One editor's claim, annotation and relation, a candidate, and one user per role.
    The editor is the annotation's author, so author-only views succeed for them."""
    users = {role: make_user(role, f"{role or 'anon'}-u") if role else None for role in ROLES}
    author = users["editor"]
    claim = make_claim(author, statement="The claim.")
    other = make_claim(author, phrase=SECOND_PHRASE, statement="Another claim.")
    annotation = annotation_services.annotation_create(by=author, kind="context", body="A note.", claim=claim)
    hidden = annotation_services.annotation_create(by=author, kind="context", body="Hidden note.", claim=claim)
    annotation_services.annotation_set_hidden(annotation=hidden, by=users["admin"], hidden=True, reason="test")
    relation = claim_services.relation_add(from_claim=claim, to_claim=other, type="consistent_with", by=author)
    retracted = make_claim(author, phrase=THIRD_PHRASE, statement="A retracted claim.")
    claim_services.claim_retract(claim=retracted, by=author, reason="test")
    text = article().text
    start = text.index(THIRD_PHRASE)
    candidates = [
        make_candidate(start=start, end=start + len(THIRD_PHRASE), statement=f"Candidate {n}.", suggested_match=claim)
        for n in range(3)
    ]
    quote_start = text.index(UNIQUE_PHRASE)
    selection = {"start": quote_start, "end": quote_start + len(UNIQUE_PHRASE), "quote": UNIQUE_PHRASE}
    return {
        "users": users, "claim": claim, "other": other, "annotation": annotation, "hidden": hidden,
        "relation": relation, "candidates": candidates, "selection": selection, "retracted": retracted,
    }


def _writes(w):
    """(name, url, POST data, roles that may do it) for every write view."""
    claim, ann, sel, slug = w["claim"], w["annotation"], w["selection"], article().slug
    claim_fields = {"statement": "Edited.", "kind": "event", "date_edtf": "2006-12", "date_wording": "", "credibility": "", "rationale": ""}
    editors = {"editor", "admin"}
    return [
        ("claim-new", reverse("claim-new", args=[slug]), {**sel, **claim_fields, "stance": "states", "create_anyway": "1"}, editors),
        ("selection-annotate", reverse("selection-annotate", args=[slug]), {**sel, "kind": "question", "body": "Why?"}, editors),
        ("claim-edit", reverse("claim-edit", args=[claim.pk]), {**claim_fields, "version": edits.version_token(claim)}, editors),
        ("claim-retract", reverse("claim-retract", args=[claim.pk]), {"reason": "wrong"}, editors),
        ("claim-reopen", reverse("claim-reopen", args=[w["retracted"].pk]), {"reason": "right after all"}, editors),
        ("claim-merge", reverse("claim-merge", args=[w["other"].pk]), {"into": claim.pk}, editors),
        ("citation-add", reverse("citation-add", args=[claim.pk]), {**{**sel, "start": "", "end": "", "quote": SECOND_PHRASE}, "source": slug, "stance": "states"}, editors),
        ("relation-add", reverse("relation-add", args=[claim.pk]), {"type": "supports", "other": w["other"].pk, "direction": "out"}, editors),
        ("relation-remove", reverse("relation-remove", args=[w["relation"].pk]), {}, editors),
        ("claim-annotate", reverse("claim-annotate", args=[claim.pk]), {"kind": "support", "body": "Agreed."}, editors),
        ("citation-annotate", reverse("citation-annotate", args=[claim.citations.first().pk]), {"kind": "support", "body": "Agreed."}, editors),
        ("annotation-edit", reverse("annotation-edit", args=[ann.pk]), {"kind": "correction", "body": "Changed.", "version": edits.version_token(ann)}, {"editor"}),
        ("annotation-reference-add", reverse("annotation-reference-add", args=[ann.pk]), {"url": "https://example.org", "title": "Ex"}, {"editor"}),
        ("annotation-hide", reverse("annotation-hide", args=[ann.pk]), {"reason": "spam"}, {"admin"}),
        ("annotation-unhide", reverse("annotation-unhide", args=[w["hidden"].pk]), {}, {"admin"}),
        ("review-accept", reverse("review-accept", args=[w["candidates"][0].pk]), {f"c{w['candidates'][0].pk}-{k}": v for k, v in {**claim_fields, "credibility": "3", "rationale": "suggested by the extractor"}.items()}, editors),
        ("review-merge", reverse("review-merge", args=[w["candidates"][1].pk]), {"into": claim.pk}, editors),
        ("review-reject", reverse("review-reject", args=[w["candidates"][2].pk]), {"reason": "not a claim"}, editors),
    ]


WRITE_NAMES = [
    "claim-new", "selection-annotate", "claim-edit", "claim-retract", "claim-reopen", "claim-merge", "citation-add", "relation-add",
    "relation-remove", "claim-annotate", "citation-annotate", "annotation-edit", "annotation-reference-add",
    "annotation-hide", "annotation-unhide", "review-accept", "review-merge", "review-reject",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", WRITE_NAMES)
def test_every_write_is_checked_on_the_server(world, db_snapshot, role, name):
    url, data, allowed = next((u, d, a) for n, u, d, a in _writes(world) if n == name)
    client = client_for(world["users"][role])
    before = db_snapshot()
    response = client.post(url, data)
    if role in allowed:
        assert response.status_code == 302, (response.status_code, response.content[:2000])
        assert "/accounts/login/" not in response["Location"]
        assert db_snapshot() != before
    else:
        if role is None:
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            # Someone else's annotation is not found for a non-author editor; any other refusal is 403.
            assert response.status_code in (403, 404)
        assert db_snapshot() == before


@pytest.mark.parametrize("role", [None, "researcher"])
def test_form_pages_are_closed_to_readers(world, role):
    claim, slug = world["claim"], article().slug
    pages = [
        reverse("claim-new", args=[slug]), reverse("selection-annotate", args=[slug]),
        reverse("claim-edit", args=[claim.pk]), reverse("claim-retract", args=[claim.pk]),
        reverse("claim-reopen", args=[world["retracted"].pk]),
        reverse("claim-merge", args=[claim.pk]), reverse("citation-add", args=[claim.pk]),
        reverse("relation-add", args=[claim.pk]), reverse("claim-annotate", args=[claim.pk]),
        reverse("annotation-edit", args=[world["annotation"].pk]), reverse("review-queue"),
    ]
    client = client_for(world["users"][role])
    for url in pages:
        response = client.get(url)
        assert response.status_code == (302 if role is None else 403), url


def test_csrf_is_enforced_on_writes(world, db_snapshot):
    editor = world["users"]["editor"]
    client = client_for(editor, enforce_csrf_checks=True)
    url = reverse("claim-annotate", args=[world["claim"].pk])
    before = db_snapshot()
    assert client.post(url, {"kind": "support", "body": "No token."}).status_code == 403
    assert db_snapshot() == before
    page = client.get(url)
    token = page.context["csrf_token"]
    response = client.post(url, {"kind": "support", "body": "With token.", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert world["claim"].annotations.filter(body="With token.").exists()


def test_relation_removal_refuses_get(world):
    client = client_for(world["users"]["editor"])
    assert client.get(reverse("relation-remove", args=[world["relation"].pk])).status_code == 405
    assert Relation.objects.filter(pk=world["relation"].pk).exists()


def test_researcher_sees_no_edit_controls(world, client):
    claim = world["claim"]
    for user in (None, world["users"]["researcher"]):
        client = client_for(user)
        page = client.get(claim.get_absolute_url()).content.decode()
        assert reverse("claim-edit", args=[claim.pk]) not in page
        assert reverse("claim-annotate", args=[claim.pk]) not in page
        assert "A note." in page and "Hidden note." not in page
        reader = client.get(article().get_absolute_url()).content.decode()
        assert "editing-tools" not in reader and "editing.js" not in reader
    editor_page = client_for(world["users"]["editor"]).get(claim.get_absolute_url()).content.decode()
    assert reverse("claim-edit", args=[claim.pk]) in editor_page and "Hidden note." not in editor_page
    admin_page = client_for(world["users"]["admin"]).get(claim.get_absolute_url()).content.decode()
    assert "Hidden note." in admin_page and reverse("annotation-unhide", args=[world["hidden"].pk]) in admin_page
