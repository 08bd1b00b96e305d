"""Tags in the admin (kb/admin/tags.py): renamed there, with their kept claim count shown; the
claims carrying a tag are not listed on its form (taggit's admin listed every one), and a tag
still on a claim cannot be deleted there (it would leave its claims with no trace)."""
import re

from django.urls import reverse
from taggit.models import Tag

from kb.services.counts import link_counts_kept
from tests.factories import SECOND_PHRASE, make_claim
from tests.security.admin_forms import admin_form_data


def tag_claims(editor, name, n):
    phrases = [None, SECOND_PHRASE]
    for i in range(n):
        claim = make_claim(editor, statement=f"Statement {i} about ports.",
                           **({"phrase": phrases[i]} if phrases[i] else {}))
        with link_counts_kept(claim.pk):
            claim.tags.add(name)
    return Tag.objects.get(name=name)


def test_the_tag_form_shows_the_count_and_no_tagged_claims(admin_client, editor):
    tag = tag_claims(editor, "ports", 2)
    html = admin_client.get(reverse("admin:taggit_tag_change", args=[tag.pk])).content.decode()
    assert re.search(r"Published claims:?</label>\s*<div class=\"readonly\">2</div>", html)
    assert "Statement 0 about ports." not in html and "tagged item" not in html.lower()


def test_a_tag_is_renamed_and_keeps_its_claims_and_count(admin_client, editor, client):
    tag = tag_claims(editor, "ports", 2)
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(name="harbours", slug="harbours")
    assert admin_client.post(url, data).status_code == 302
    page = client.get("/tags/harbours/").content.decode()
    assert "2 claims</h2>" in page and "Statement 1 about ports." in page


def test_a_tag_on_claims_cannot_be_deleted_and_an_unused_one_can(admin_client, editor):
    used = tag_claims(editor, "ports", 1)
    unused = Tag.objects.create(name="orphan", slug="orphan")
    assert admin_client.get(reverse("admin:taggit_tag_delete", args=[used.pk])).status_code == 403
    assert admin_client.post(reverse("admin:taggit_tag_delete", args=[used.pk]), {"post": "yes"}).status_code == 403
    assert Tag.objects.filter(pk=used.pk).exists()
    assert admin_client.post(reverse("admin:taggit_tag_delete", args=[unused.pk]), {"post": "yes"}).status_code == 302
    assert not Tag.objects.filter(pk=unused.pk).exists()


def test_the_tag_list_offers_no_bulk_delete(admin_client, editor):
    tag_claims(editor, "ports", 1)
    html = admin_client.get(reverse("admin:taggit_tag_changelist")).content.decode()
    assert "ports" in html and "delete_selected" not in html
