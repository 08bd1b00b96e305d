"""The review queue after a decision (issue 11, minor items): back on the same page at the next
candidate; an error names its candidate and returns to it; the suggestions read as words."""
import re

from django.urls import reverse

from tests.factories import THIRD_PHRASE, article, client_for, make_candidate


def _candidates(n):
    start = article().text.index(THIRD_PHRASE)
    return [make_candidate(start=start, end=start + len(THIRD_PHRASE), statement=f"Candidate {i}.") for i in range(n)]


def test_a_decision_returns_to_the_same_page_at_the_next_candidate(editor):
    first, second, third = _candidates(3)
    client = client_for(editor)
    html = client.get(reverse("review-queue")).content.decode()
    block = html[html.index(f'id="candidate-{second.pk}"'):html.index(f'id="candidate-{third.pk}"')]
    assert re.search(r'name="page" value="\d+"', block) and f'name="next" value="{third.pk}"' in block
    response = client.post(reverse("review-reject", args=[second.pk]), {"reason": "Not a claim.", "page": "1", "next": str(third.pk)})
    assert response["Location"] == f"{reverse('review-queue')}?page=1#candidate-{third.pk}"


def test_an_error_names_the_candidate_and_returns_to_it(editor):
    (candidate,) = _candidates(1)
    client = client_for(editor)
    response = client.post(reverse("review-reject", args=[candidate.pk]), {"reason": "", "page": "2", "next": "5"})
    assert response["Location"] == f"{reverse('review-queue')}?page=2#candidate-{candidate.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f"Candidate {candidate.pk}: " in page


def test_hostile_place_values_are_ignored(editor):
    (candidate,) = _candidates(1)
    response = client_for(editor).post(reverse("review-reject", args=[candidate.pk]),
                                       {"reason": "No.", "page": "²", "next": "javascript:1"})
    assert response["Location"] == reverse("review-queue")


def test_suggested_date_is_written_in_words_not_an_uppercase_eyebrow(editor):
    (candidate,) = _candidates(1)
    html = client_for(editor).get(reverse("review-queue")).content.decode()
    block = html[html.index(f'id="candidate-{candidate.pk}"'):]
    eyebrow = re.search(r'<p class="eyebrow">(.*?)</p>', block)[1]
    assert "suggested" not in eyebrow.lower()
    assert "Suggested date: none" in block
