"""The admin cannot silently overwrite a newer version (issue 13, item 1): every change form
over versioned data carries the version it was drawn from and is refused when it is stale."""
import pytest
from django.urls import reverse

from kb.models import Annotation, Claim, Entity, Relation
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services.common import version_token
from tests.security.admin_forms import admin_form_data
from tests.factories import ARTICLE_SLUG, SECOND_PHRASE, client_for, make_claim, make_user

STALE = "Someone else changed this while you were editing"


@pytest.fixture
def people(db):
    return {"editor": make_user("editor", "eddie"), "admin": make_user("admin", "ada"),
            "admin2": make_user("admin", "abe")}


def _change_url(obj):
    return reverse(f"admin:kb_{obj._meta.model_name}_change", args=[obj.pk])


def _load(client, obj) -> dict:
    response = client.get(_change_url(obj))
    assert response.status_code == 200
    return admin_form_data(response)


def _refused(response) -> bool:
    return response.status_code == 200 and STALE in response.content.decode()


def test_admin_claim_form_loaded_before_an_editors_save_is_refused(people, curated):
    claim = make_claim(people["editor"], statement="First wording.")
    admin = client_for(people["admin"])
    loaded = _load(admin, claim)
    editor_page = client_for(people["editor"])
    saved = editor_page.post(reverse("claim-edit", args=[claim.pk]), {
        "statement": "The editor's wording.", "kind": "event", "version": version_token(claim),
    })
    assert saved.status_code == 302
    response = admin.post(_change_url(claim), {**loaded, "tags": "from-the-admin", "key": "admin-key"})
    assert _refused(response)
    claim.refresh_from_db()
    assert claim.statement == "The editor's wording."
    assert (claim.key, list(claim.tags.names())) == (None, [])


def test_admin_claim_form_that_is_current_saves_entities_and_tags(people, curated):
    claim = make_claim(people["editor"], statement="First wording.")
    admin = client_for(people["admin"])
    entity = Entity.objects.get(slug="hamas")
    response = admin.post(_change_url(claim), {**_load(admin, claim), "tags": "funding", "entities": [str(entity.pk)]})
    assert response.status_code == 302, response.content.decode()[:3000]
    claim.refresh_from_db()
    assert list(claim.tags.names()) == ["funding"] and list(claim.entities.all()) == [entity]
    assert claim.history.latest().history_user == people["admin"]


def test_admin_cannot_change_what_the_claim_pages_own(people, curated):
    claim = make_claim(people["editor"], statement="First wording.", credibility=3, rationale="why")
    admin = client_for(people["admin"])
    admin.post(_change_url(claim), {**_load(admin, claim), "statement": "Admin's.", "credibility": "1", "status": "rejected"})
    claim.refresh_from_db()
    assert (claim.statement, claim.credibility, claim.status) == ("First wording.", 3, "published")


def test_admin_claim_form_without_a_version_is_refused(people, curated):
    claim = make_claim(people["editor"], statement="First wording.")
    admin = client_for(people["admin"])
    data = _load(admin, claim)
    del data["version"]
    response = admin.post(_change_url(claim), {**data, "tags": "x"})
    assert response.status_code == 200 and "reload the page" in response.content.decode()
    assert list(Claim.objects.get(pk=claim.pk).tags.names()) == []


def test_admin_cannot_change_a_retracted_claim(people, curated):
    claim = make_claim(people["editor"], statement="First wording.")
    claim_services.claim_retract(claim=claim, by=people["editor"], reason="wrong")
    admin = client_for(people["admin"])
    response = admin.post(_change_url(claim), {**_load(admin, claim), "tags": "x"})
    assert response.status_code == 200 and "is retracted" in response.content.decode()
    assert list(Claim.objects.get(pk=claim.pk).tags.names()) == []


def test_admin_annotation_form_loaded_before_the_authors_edit_is_refused(people, curated):
    claim = make_claim(people["editor"], statement="A claim.")
    note = annotation_services.annotation_create(by=people["editor"], kind="context", body="First.", claim=claim)
    admin = client_for(people["admin"])
    loaded = _load(admin, note)
    annotation_services.annotation_update(annotation=note, by=people["editor"], kind="context", body="Second.",
                                          version=version_token(note))
    response = admin.post(_change_url(note), {**loaded, "is_hidden": "on", "hidden_reason": "spam"})
    assert _refused(response)
    note = Annotation.objects.get(pk=note.pk)
    assert (note.body, note.is_hidden) == ("Second.", False)


def test_admin_hides_an_annotation_through_the_service_with_a_reason(people, curated):
    claim = make_claim(people["editor"], statement="A claim.")
    note = annotation_services.annotation_create(by=people["editor"], kind="context", body="First.", claim=claim)
    admin = client_for(people["admin"])
    loaded = _load(admin, note)
    response = admin.post(_change_url(note), {**loaded, "is_hidden": "on"})
    assert response.status_code == 200 and not Annotation.objects.get(pk=note.pk).is_hidden
    response = admin.post(_change_url(note), {**loaded, "is_hidden": "on", "hidden_reason": "spam", "body": "Rewritten"})
    assert response.status_code == 302
    note = Annotation.objects.get(pk=note.pk)
    assert (note.is_hidden, note.hidden_reason, note.body) == (True, "spam", "First.")
    assert note.history.latest().history_change_reason == "hidden: spam"


def test_two_admins_editing_an_entity_the_second_is_refused(people, curated):
    entity = Entity.objects.get(slug="hamas")
    first, second = client_for(people["admin"]), client_for(people["admin2"])
    loaded_first, loaded_second = _load(first, entity), _load(second, entity)
    assert first.post(_change_url(entity), {**loaded_first, "description": "First admin."}).status_code == 302
    response = second.post(_change_url(entity), {**loaded_second, "description": "Second admin."})
    assert _refused(response)
    assert Entity.objects.get(pk=entity.pk).description == "First admin."


@pytest.mark.parametrize("model", ["relation", "source"])
def test_relations_and_sources_are_read_only_in_the_admin(people, curated, model):
    claim = make_claim(people["editor"], statement="A claim.")
    other = make_claim(people["editor"], phrase=SECOND_PHRASE, statement="Other.")
    relation = claim_services.relation_add(from_claim=claim, to_claim=other, type="refines", by=people["editor"])
    from kb.models import Source
    obj = relation if model == "relation" else Source.objects.current().get(slug=ARTICLE_SLUG)
    admin = client_for(people["admin"])
    page = admin.get(_change_url(obj))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin.post(_change_url(obj), {"note": "x", "title": "x"}).status_code == 403
    if model == "relation":
        assert Relation.objects.get(pk=relation.pk).note == ""
