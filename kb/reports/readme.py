"""The README's sentence of counts ("226 claims, 299 citations, 79 entities and 68 relations"),
read from and written to the database's figures, never typed by hand."""
from __future__ import annotations

import re
from pathlib import Path

from kb.models import Citation, Claim, Entity, Relation

COUNTS = re.compile(
    r"(?P<claims>[\d,]+) claims, (?P<citations>[\d,]+) citations, (?P<entities>[\d,]+) entities(?P<space>\s+)"
    r"and (?P<relations>[\d,]+) relations"
)


def database_counts() -> dict[str, int]:
    claims = Claim.objects.filter(is_synthetic=False)
    return {
        "claims": claims.count(),
        "citations": Citation.objects.filter(claim__is_synthetic=False).count(),
        "entities": Entity.objects.filter(is_synthetic=False).count(),
        "relations": Relation.objects.filter(from_claim__is_synthetic=False).count(),
    }


def readme_counts(text: str) -> dict[str, int]:
    match = COUNTS.search(text)
    if match is None:
        raise ValueError("the README has no sentence of counts (“N claims, N citations, N entities and N relations”)")
    return {name: int(value.replace(",", "")) for name, value in match.groupdict().items() if name != "space"}


def with_counts(text: str, counts: dict[str, int]) -> str:
    readme_counts(text)  # refuse a README without the sentence
    def put(match):
        return (f"{counts['claims']:,} claims, {counts['citations']:,} citations, {counts['entities']:,} entities"
                f"{match.group('space')}and {counts['relations']:,} relations")

    return COUNTS.sub(put, text, count=1)


def update_readme(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    new = with_counts(text, database_counts())
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
