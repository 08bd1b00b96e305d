"""Choices shared across models: the Admiralty grades and how a mark sits in a text."""
from django.db import models


class Reliability(models.TextChoices):
    """NATO Admiralty code: how far the source itself can be trusted."""

    A = "A", "completely reliable"
    B = "B", "usually reliable"
    C = "C", "fairly reliable"
    D = "D", "not usually reliable"
    E = "E", "unreliable"
    F = "F", "reliability cannot be judged"


class Credibility(models.IntegerChoices):
    """NATO Admiralty code: how far the claim itself is borne out."""

    CONFIRMED = 1, "confirmed by other independent sources"
    PROBABLE = 2, "probably true"
    POSSIBLE = 3, "possibly true"
    DOUBTFUL = 4, "doubtful"
    IMPROBABLE = 5, "improbable"
    UNKNOWN = 6, "truth cannot be judged"


class Anchoring(models.TextChoices):
    """How a citation or annotation is placed in the current version of its source's text."""

    EXACT = "exact", "anchored"
    FUZZY = "fuzzy", "re-anchored by fuzzy match"
    ORPHANED = "orphaned", "orphaned"
