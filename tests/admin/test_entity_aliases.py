"""The admin's entity form keeps the generic_alias rule: "the war" is refused, naming the rule."""
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from kb.admin.versioned import admin_version
from kb.models import Entity
from kb.selectors.claim_rules import RULES


def test_admin_refuses_a_generic_alias(curated, db_snapshot):
    admin_user = get_user_model().objects.create_superuser("root", password=None)
    client = Client()
    client.force_login(admin_user)
    entity = Entity.objects.get(slug="hamas")
    url = reverse("admin:kb_entity_change", args=[entity.pk])
    # The change form carries the version it was drawn from (kb/admin/versioned.py).
    data = {"slug": entity.slug, "name": entity.name, "kind": entity.kind, "description": entity.description,
            "version": admin_version(entity)}
    before = db_snapshot()
    response = client.post(url, {**data, "aliases": '["the war"]'})
    assert response.status_code == 200
    assert escape(f"Rule “{RULES['generic_alias']}” (generic_alias)") in response.content.decode()
    assert db_snapshot() == before
    response = client.post(url, {**data, "aliases": '["Harakat al-Muqawama al-Islamiya"]'})
    assert response.status_code == 302
    assert Entity.objects.get(pk=entity.pk).aliases == ["Harakat al-Muqawama al-Islamiya"]
