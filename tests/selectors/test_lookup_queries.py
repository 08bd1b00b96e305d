"""The editors' look-ups run a fixed number of queries, however many claims match."""
from kb.selectors import claims as browse
from kb.selectors import duplicates
from tests.factories import SECOND_PHRASE, article, make_claim, words


def test_claim_lookup_is_one_query(editor, django_assert_num_queries):
    for n in range(3):
        make_claim(editor, phrase=SECOND_PHRASE, statement=f"Zorblax claim number {n}.")
    with django_assert_num_queries(3):  # the editor's permissions (two queries, then cached on the user) and the search
        browse.claim_lookup(editor, "nothing-matches-this")
    with django_assert_num_queries(1):
        found = browse.claim_lookup(editor, "zorblax")
    assert len(found) == 3 and [c.pk for c in found] == sorted((c.pk for c in found), reverse=True)
    with django_assert_num_queries(1):
        assert browse.claim_lookup(editor, f"#{found[0].pk}") == [found[0]]
    with django_assert_num_queries(0):
        assert browse.claim_lookup(editor, "   ") == []


def test_claims_citing_is_two_queries(editor, django_assert_num_queries):
    for n in range(3):
        make_claim(editor, phrase=SECOND_PHRASE, statement=f"Claim {n} on these words.")
    selection = words(article(), SECOND_PHRASE)
    with django_assert_num_queries(2):
        found = duplicates.claims_citing(selection)
    assert len([d for d in found if d.why == "cites these words"]) >= 3
