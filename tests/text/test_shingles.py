"""Shingles and the copy rule, without the database."""
import random
import pytest
from kb.text import shingles


def test_winnowing_catches_every_shared_run_of_eight_words():
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(5000)]
    for _ in range(200):
        run = " ".join(rng.choice(vocabulary) for _ in range(shingles.MIN_RUN_WORDS))
        left = " ".join(rng.choice(vocabulary) for _ in range(rng.randrange(0, 60)))
        right = " ".join(rng.choice(vocabulary) for _ in range(rng.randrange(0, 60)))
        other = " ".join(rng.choice(vocabulary) for _ in range(rng.randrange(0, 60)))
        a, b = f"{left} {run} {right}", f"{other} {run}"
        assert shingles.fingerprints(a, [(0, len(a))]) & shingles.fingerprints(b, [(0, len(b))])


@pytest.mark.parametrize("share, runs, derived", [
    (0.03, [{"words": 16}, {"words": 19}], True),
    (0.5, [], False),
    (0.3, [{"words": 9}], True),
    (0.05, [{"words": 30}], False),
])
def test_the_decision_rule(share, runs, derived):
    assert shingles.is_derived(share, runs) is derived
