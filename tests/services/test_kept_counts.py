"""The counts the writes keep (kb.services.counts): each entity's published claims and each
claim's contested flag, right after every write that changes what they count, on SQLite and
PostgreSQL. `counts_drift()` recounts everything, so each test also shows nothing else drifted."""
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kb.models import Claim, Entity, Relation
from kb.services import claims as claim_services
from kb.services import review as review_services
from kb.services.counts import counts_drift, counts_recount_all
from kb.services.curation import curation_load, fixture_files
from tests.factories import (
    SECOND_PHRASE, THIRD_PHRASE, EntityFactory, SourceFactory, article, client_for, make_candidate, make_claim,
    make_user,
)
from tests.security.admin_forms import admin_form_data


def count(entity: Entity) -> int:
    return Entity.objects.get(pk=entity.pk).claim_count


def contested(claim: Claim) -> bool:
    return Claim.objects.get(pk=claim.pk).is_contested


@pytest.fixture
def named(db, editor):
    """A published claim naming one new entity (entities are chosen in the admin; here, set
    through the service that keeps their counts)."""
    entity = EntityFactory()
    claim = make_claim(editor, statement="The ministry inspected the port.")
    from kb.services.counts import link_counts_kept

    with link_counts_kept(claim.pk):
        claim.entities.add(entity)
    return claim, entity


def test_the_curated_data_is_loaded_with_right_counts(curated):
    assert counts_drift() == []
    iran = Entity.objects.get(slug="iran")
    assert iran.claim_count == Claim.objects.filter(entities=iran, status="published", merged_into=None).count() > 0
    assert Claim.objects.filter(is_contested=True).exists()


def test_retract_and_reopen_move_the_count(named, editor):
    claim, entity = named
    assert count(entity) == 1
    claim_services.claim_retract(claim=claim, by=editor, reason="Wrong.")
    assert count(entity) == 0
    claim_services.claim_reopen(claim=claim, by=editor, reason="Right after all.")
    assert count(entity) == 1
    assert counts_drift() == []


def test_a_merge_counts_the_target_once_and_the_merged_claim_no_more(named, editor):
    claim, entity = named
    other = EntityFactory()
    target = make_claim(editor, phrase=SECOND_PHRASE, statement="The ministry inspected the harbour.")
    from kb.services.counts import link_counts_kept

    with link_counts_kept(target.pk):
        target.entities.add(other)
    assert (count(entity), count(other)) == (1, 1)
    claim_services.claim_merge(claim=claim, into=target, by=editor)
    # The target now names both entities; the merged claim is counted no more.
    assert (count(entity), count(other)) == (1, 1)
    assert counts_drift() == []


def test_a_merge_moves_the_contested_flag_with_the_contradiction(named, editor):
    claim, _ = named
    rival = make_claim(editor, phrase=THIRD_PHRASE, statement="The ministry never inspected the port.")
    target = make_claim(editor, phrase=SECOND_PHRASE, statement="The ministry inspected the harbour.")
    claim_services.relation_add(from_claim=claim, to_claim=rival, type="contradicts", by=editor)
    assert contested(claim) and contested(rival) and not contested(target)
    claim_services.claim_merge(claim=claim, into=target, by=editor)
    assert not contested(claim) and contested(target) and contested(rival)
    assert counts_drift() == []


def test_adding_and_removing_a_contradiction_flags_and_clears_both_claims(named, editor):
    claim, _ = named
    rival = make_claim(editor, phrase=SECOND_PHRASE, statement="The ministry never inspected the port.")
    friend = make_claim(editor, phrase=THIRD_PHRASE, statement="The ministry visited the port.")
    claim_services.relation_add(from_claim=claim, to_claim=friend, type="consistent_with", by=editor)
    assert not contested(claim) and not contested(friend)  # only contradictions contest
    relation = claim_services.relation_add(from_claim=rival, to_claim=claim, type="contradicts", by=editor)
    assert contested(claim) and contested(rival)
    assert claim.pk in set(Claim.objects.filter(is_contested=True).values_list("pk", flat=True))
    claim_services.relation_remove(relation=relation, by=editor, reason="A misreading.")
    assert not contested(claim) and not contested(rival)
    assert counts_drift() == []


def test_accepting_a_candidate_counts_it_and_rejecting_one_does_not(db, editor):
    entity = EntityFactory()
    start = article().text.index(THIRD_PHRASE)
    accepted, rejected = (
        make_candidate(start=start, end=start + len(THIRD_PHRASE), statement=f"Candidate {n}.") for n in range(2)
    )
    for candidate in (accepted, rejected):
        candidate.entities.add(entity)  # candidates are not counted, so nothing moves yet
    assert count(entity) == 0 and counts_drift() == []
    review_services.review_accept(claim=accepted, by=editor)
    assert count(entity) == 1
    review_services.review_reject(claim=rejected, by=editor, reason="Not a claim.")
    assert count(entity) == 1
    assert counts_drift() == []


def test_merging_a_candidate_in_review_adds_its_entities_to_the_target(named, editor):
    claim, entity = named
    other = EntityFactory()
    start = article().text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="The port was inspected.")
    candidate.entities.add(other)
    review_services.review_merge(claim=candidate, into=claim, by=editor)
    assert (count(entity), count(other)) == (1, 1)
    assert counts_drift() == []


def test_an_import_proposes_candidates_and_counts_nothing_new(curated):
    before = dict(Entity.objects.values_list("slug", "claim_count"))
    SourceFactory(text="Iran transferred weapons to Hamas in 2012, officials said. " * 3, candidates=True)
    assert Claim.objects.filter(status="candidate").exists()
    assert dict(Entity.objects.filter(slug__in=before).values_list("slug", "claim_count")) == before
    assert counts_drift() == []


def test_loading_the_curated_files_again_keeps_the_counts(curated):
    curation_load(fixture_files(__import__("django.conf").conf.settings.CLAIMBOOK_FIXTURES_DIR))
    assert counts_drift() == []


def test_entities_chosen_in_the_admin_move_their_counts(named, editor):
    claim, entity = named
    other = EntityFactory()
    client = client_for(make_user("admin", "ada"))
    url = reverse("admin:kb_claim_change", args=[claim.pk])
    data = admin_form_data(client.get(url))
    data["entities"] = [str(other.pk)]
    assert client.post(url, data).status_code == 302
    assert (count(entity), count(other)) == (0, 1)
    assert counts_drift() == []


def test_an_entity_saved_in_the_admin_keeps_its_count(named):
    _, entity = named
    client = client_for(make_user("admin", "ada"))
    url = reverse("admin:kb_entity_change", args=[entity.pk])
    data = admin_form_data(client.get(url))
    Entity.objects.filter(pk=entity.pk).update(claim_count=1)  # as it is; another writer may move it meanwhile
    data["name"] = "Renamed Entity"
    assert client.post(url, data).status_code == 302
    assert Entity.objects.get(pk=entity.pk).name == "Renamed Entity" and count(entity) == 1


def test_check_counts_finds_drift_and_fix_rewrites_it(named, capsys):
    claim, entity = named
    call_command("check_counts")
    Entity.objects.filter(pk=entity.pk).update(claim_count=7)
    Claim.objects.filter(pk=claim.pk).update(is_contested=True)
    with pytest.raises(CommandError, match="2 kept counts differ"):
        call_command("check_counts")
    err = capsys.readouterr().err
    assert f"entity {entity.slug}" in err and f"claim {claim.pk}: marked contested" in err
    call_command("check_counts", "--fix")
    assert counts_drift() == [] and count(entity) == 1 and not contested(claim)


def test_recounting_everything_matches_what_was_kept(curated, editor):
    kept = dict(Entity.objects.values_list("pk", "claim_count"))
    flags = set(Claim.objects.filter(is_contested=True).values_list("pk", flat=True))
    Entity.objects.update(claim_count=0)
    Claim.objects.update(is_contested=False)
    counts_recount_all()
    assert dict(Entity.objects.values_list("pk", "claim_count")) == kept
    assert set(Claim.objects.filter(is_contested=True).values_list("pk", flat=True)) == flags
    assert Relation.objects.filter(type="contradicts").exists()
