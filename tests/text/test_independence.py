"""Independent sources, the one definition (kb/text/independence.SourceGroups), without the database:
copies count once whichever way and however far the copying goes, versions of one document count
once, everything else counts apart."""
import pytest

from kb.text.independence import SourceGroups


def test_unrelated_sources_are_each_independent():
    assert SourceGroups().count([(1, "a"), (2, "b"), (3, "c")]) == 3


def test_a_copy_and_its_original_count_once_in_either_order():
    groups = SourceGroups({(2, 1)})  # 2 copies 1
    assert groups.count([(1, "article"), (2, "blog")]) == 1
    assert SourceGroups({(2, 1)}).count([(2, "blog"), (1, "article")]) == 1


def test_copying_is_followed_transitively():
    # Two blogs copy one article, a forum copies one of the blogs: one voice.
    groups = SourceGroups({(2, 1), (3, 1), (4, 3)})
    assert groups.partition([(4, None), (1, None), (2, None), (5, None)]) == [[4, 1, 2], [5]]


def test_versions_of_one_document_count_once():
    assert SourceGroups().count([(1, "report"), (7, "report"), (2, "other")]) == 2


def test_a_version_of_an_original_joins_its_copy():
    # 2 copied version 1 of "report"; version 7 of "report" is the same document.
    assert SourceGroups({(2, 1)}).count([(7, "report"), (2, "blog"), (1, "report")]) == 1


def test_the_same_source_cited_twice_counts_once():
    assert SourceGroups().partition([(1, "a"), (1, "a"), (2, "b")]) == [[1], [2]]


def test_same_group_names_the_copies_of_a_source():
    groups = SourceGroups({(2, 1), (3, 2)})
    assert groups.same_group(1, [2, 3, 4]) == [2, 3]
    assert groups.same_group(4, [1, 2, 3]) == []


@pytest.mark.parametrize("group, original", [([1, 2, 3], 1), ([3, 2, 1], 1), ([2, 3], 2)])
def test_the_original_of_a_group_copies_none_of_the_others(group, original):
    groups = SourceGroups({(2, 1), (3, 2)})
    assert groups.original(group) == original
