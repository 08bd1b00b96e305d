"""A fact gone stale: someone named as a role's holder when an existing claim says that person
died. Pure functions and the matcher, on texts written for these tests (no database)."""
import pytest

from kb.extraction import matching
from kb.extraction.candidates import ClaimMatcher
from kb.extraction.matching import Existing


@pytest.mark.parametrize("text, name", [
    ("Tomas Varga, the leader of the Northern Front, met the envoy in Vienna.", "Tomas Varga"),
    ("The current commander of the militia, Karim Haddad, denied the report.", "Karim Haddad"),
    ("Karim Haddad is the militia's commander and its founder.", "Karim Haddad"),
    ("Karim Haddad, the group's current political chief, spoke in Doha.", "Karim Haddad"),
])
def test_someone_named_in_a_role(text, name):
    assert matching.role_holder(text)[0] == name


@pytest.mark.parametrize("text", [
    "The leader of the Northern Front met the envoy in Vienna.",  # nobody named
    "Tomas Varga, a farmer from the valley, met the envoy.",  # no role
])
def test_no_role_holder(text):
    assert matching.role_holder(text) is None


DEATH = Existing(7, "Northern Front leader Tomas Varga was killed in a drone strike near Kessel.", "2024-07-31")


def test_a_role_held_by_someone_who_has_since_died_is_stale():
    found = matching.stale_role("Tomas Varga, the leader of the Northern Front, met the envoy in Vienna.",
                                "2024-05-02", [DEATH])
    assert (found.claim_id, found.relation) == (7, "stale")
    assert "has since died (2024-07-31)" in found.reason


def test_a_role_named_after_the_death_is_stale_too():
    found = matching.stale_role("Tomas Varga, the leader of the Northern Front, met the envoy in Vienna.",
                                "2024-09-01", [DEATH])
    assert found.relation == "stale" and "died earlier (2024-07-31)" in found.reason


def test_another_persons_death_is_no_reason():
    other = Existing(8, "Northern Front leader Tomas Varga said a courier was killed near Kessel.", "2024-07-31")
    assert matching.stale_role("Tomas Varga, the leader of the Northern Front, met the envoy.", "2024-05-02",
                               [other]) is None


def test_the_matcher_flags_it_from_its_shortlist():
    matcher = ClaimMatcher([(7, DEATH.text, None)], dates={7: "2024-07-31"})
    found = matcher.best("Tomas Varga, the current leader of the Northern Front, met the envoy in Vienna.",
                         "2024-05-02", present_tense=True)
    assert (found.claim_id, found.relation) == (7, "stale")


def test_a_death_told_as_a_noun_counts():
    killing = Existing(9, "Officials confirmed the killing of Northern Front chief Tomas Varga in Kessel.", "2024-08")
    found = matching.stale_role("Tomas Varga is the leader of the Northern Front.", "2024-05-02", [killing])
    assert found is not None and found.claim_id == 9
