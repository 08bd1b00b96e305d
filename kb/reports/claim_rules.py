"""`manage.py check_claims`: every claim rule (kb/selectors/claim_rules.py) over the whole
knowledge base, and the one check only the curated YAML can fail (a relation written twice,
which the loader would silently keep once)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from kb.selectors import claim_rules as rules
from kb.selectors.claim_rules import Problem


def duplicate_relations_in_fixtures(paths: Iterable[Path]) -> list[Problem]:
    """Relations written twice in the curated YAML (in either direction)."""
    seen: dict[tuple, str] = {}
    problems = []
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        for claim in data.get("claims") or []:
            for rel in claim.get("relations") or []:
                key, target, kind = claim.get("key"), rel.get("target"), rel.get("type")
                earlier = seen.get((key, target, kind)) or seen.get((target, key, kind))
                if earlier:
                    problems.append(Problem(rules.DUPLICATE_RELATION, (key, target),
                                            f"{kind} written twice ({earlier} and {Path(path).name})"))
                else:
                    seen[(key, target, kind)] = Path(path).name
    return problems


def all_problems(*, fixture_paths: Iterable[Path] = ()) -> dict[str, list[Problem]]:
    """Every rule over the whole knowledge base, by rule code (in the order of rules.RULES)."""
    return {
        rules.CORROBORATES_NOT_INDEPENDENT: rules.corroboration_without_independence(),
        rules.CONFLICTING_RELATIONS: rules.conflicting_relations(),
        rules.DUPLICATE_RELATION: rules.duplicate_relations() + duplicate_relations_in_fixtures(fixture_paths),
        rules.UPDATES_BACKWARDS: rules.backward_updates(),
        rules.GRADE_1_NOT_CONFIRMED: rules.grade_one_without_independent_sources(),
        rules.ATTRIBUTION_DROPPED: rules.attribution_dropped(),
        rules.DATE_CONTEXT_WITHOUT_WORDS: rules.date_context_without_words(),
        rules.GENERIC_ALIAS: rules.generic_aliases(),
    }
