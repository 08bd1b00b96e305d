"""Each tag's published claims (`TagCount`), kept by the same writes that keep the entities'
counts, on SQLite and PostgreSQL; the tag page shows that number without counting."""
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from taggit.models import Tag

from kb.models import Entity, TagCount
from kb.services import claims as claim_services
from kb.services import review as review_services
from kb.services.counts import counts_drift, counts_recount_all, entity_counts_move, link_counts_kept
from tests.factories import (
    SECOND_PHRASE, THIRD_PHRASE, EntityFactory, article, client_for, make_candidate, make_claim, make_user,
)
from tests.security.admin_forms import admin_form_data


def count(name: str) -> int:
    return TagCount.objects.filter(tag__name=name).values_list("claim_count", flat=True).first() or 0


def tagged(claim, *names):
    with link_counts_kept(claim.pk):  # as the admin and the curated load tag claims
        claim.tags.add(*names)
    return claim


@pytest.fixture
def ports(db, editor):
    return tagged(make_claim(editor, statement="The ministry inspected the port."), "ports")


def test_the_curated_tags_are_counted(curated):
    assert counts_drift() == []
    funding = Tag.objects.get(slug="funding")
    published = curated_claims_tagged(funding)
    assert published > 0 and count("funding") == published


def curated_claims_tagged(tag) -> int:
    from kb.models import Claim

    return Claim.objects.filter(tags=tag, status="published", merged_into=None).count()


def test_retract_and_reopen_move_the_tag_count(ports, editor):
    assert count("ports") == 1
    claim_services.claim_retract(claim=ports, by=editor, reason="Wrong.")
    assert count("ports") == 0
    claim_services.claim_reopen(claim=ports, by=editor, reason="Right after all.")
    assert count("ports") == 1
    assert counts_drift() == []


def test_a_merge_moves_the_tags_to_the_target_and_counts_it_once(ports, editor):
    target = tagged(make_claim(editor, phrase=SECOND_PHRASE, statement="The ministry inspected the harbour."),
                    "ports", "harbours")
    assert (count("ports"), count("harbours")) == (2, 1)
    claim_services.claim_merge(claim=ports, into=target, by=editor)
    assert (count("ports"), count("harbours")) == (1, 1)  # the merged claim is counted no more
    assert counts_drift() == []


def test_accepting_a_tagged_candidate_counts_it(db, editor):
    start = article().text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="The port was inspected.")
    tagged(candidate, "ports")
    assert count("ports") == 0  # candidates are not counted
    review_services.review_accept(claim=candidate, by=editor)
    assert count("ports") == 1
    assert counts_drift() == []


def test_tags_chosen_in_the_admin_move_their_counts(ports):
    client = client_for(make_user("admin", "ada"))
    url = reverse("admin:kb_claim_change", args=[ports.pk])
    data = admin_form_data(client.get(url))
    data["tags"] = "harbours, docks"
    assert client.post(url, data).status_code == 302
    assert (count("ports"), count("harbours"), count("docks")) == (0, 1, 1)
    assert counts_drift() == []


def test_check_counts_finds_a_wrong_or_missing_tag_count_and_fix_rewrites_it(ports, capsys):
    TagCount.objects.filter(tag__name="ports").update(claim_count=7)
    with pytest.raises(CommandError, match="1 kept counts differ"):
        call_command("check_counts")
    assert "tag ports" in capsys.readouterr().err
    TagCount.objects.filter(tag__name="ports").delete()
    drift = counts_drift()
    assert any("tag ports" in line and "claim_count 0, recounted 1" in line for line in drift), drift
    call_command("check_counts", "--fix")
    assert counts_drift() == [] and count("ports") == 1


def test_recounting_everything_matches_what_was_kept(curated):
    kept = dict(TagCount.objects.exclude(claim_count=0).values_list("tag_id", "claim_count"))
    TagCount.objects.update(claim_count=3)
    counts_recount_all()
    assert dict(TagCount.objects.exclude(claim_count=0).values_list("tag_id", "claim_count")) == kept


def test_the_tag_page_shows_the_kept_count_and_lists_those_claims(ports, editor, client):
    tagged(make_claim(editor, phrase=SECOND_PHRASE, statement="The ministry inspected the harbour."), "ports")
    page = client.get(reverse("tag-detail", args=["ports"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 claims</h2>" in html
    assert "The ministry inspected the port." in html and "The ministry inspected the harbour." in html


def test_a_tag_no_counted_claim_carries_shows_none(db, client, editor):
    start = article().text.index(THIRD_PHRASE)
    tagged(make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="Unreviewed."), "unreviewed")
    assert not TagCount.objects.filter(tag__name="unreviewed", claim_count__gt=0).exists()
    html = client.get(reverse("tag-detail", args=["unreviewed"])).content.decode()
    assert "0 claims</h2>" in html and "No published claims yet." in html


def test_entity_counts_move_by_different_deltas_in_one_update(db, django_assert_num_queries):
    up, down, same = EntityFactory(), EntityFactory(), EntityFactory()
    Entity.objects.filter(pk=down.pk).update(claim_count=5)
    # One statement over the ids in index order: two writers lock them in the same order.
    with django_assert_num_queries(1):
        entity_counts_move(Counter({up.pk: 2, down.pk: -3, same.pk: 0}))
    assert dict(Entity.objects.filter(pk__in=[up.pk, down.pk, same.pk]).values_list("pk", "claim_count")) == {
        up.pk: 2, down.pk: 2, same.pk: 0,
    }
