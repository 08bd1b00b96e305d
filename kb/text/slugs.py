"""Slugs from titles: a dash between words stays a hyphen ("Turkey–Hamas relations" is
`turkey-hamas-relations`, not `turkeyhamas-relations`, as slugify alone would make it)."""
from __future__ import annotations

import re

from django.utils.text import slugify

# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")


def title_slug(title: str) -> str:
    return slugify(_DASHES.sub("-", title))
