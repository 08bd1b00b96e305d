"""Rules a claim, a relation or an entity must keep to mean exactly what it says.

Each rule returns `Problem`s naming the claims (by key, else `#id`) that break it, with the
rule's code. The bulk rules look at the whole knowledge base (or the querysets given) for
`manage.py check_claims`; `relation_problems`, `claim_problems` and `alias_problems` check one
record as an editor is about to save it, so the services refuse it with the same rule and code.

Independence: two citations are independent witnesses when their sources are independent
(kb.text.independence.SourceGroups: not versions of one source, not linked by `derived_from`
either way, transitively) and the source does not attribute both to the same speaker.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kb.models import Citation, Claim, Entity, Relation, Source
from kb.selectors.overlaps import derived_pairs_among
from kb.text.claim_wording import (
    context_problem, context_words, generic_alias, one_word_names, same_speaker, statement_names_attribution,
)
from kb.text.independence import SourceGroups

T = Relation.Type

CORROBORATES_NOT_INDEPENDENT = "corroborates_not_independent"
CONFLICTING_RELATIONS = "conflicting_relations"
DUPLICATE_RELATION = "duplicate_relation"
UPDATES_BACKWARDS = "updates_backwards"
GRADE_1_NOT_CONFIRMED = "grade_1_not_confirmed"
ATTRIBUTION_DROPPED = "attribution_dropped"
DATE_CONTEXT_WITHOUT_WORDS = "date_context_without_words"
GENERIC_ALIAS = "generic_alias"

RULES = {
    CORROBORATES_NOT_INDEPENDENT: "corroborates needs a pair of independent sources between the two claims",
    CONFLICTING_RELATIONS: "two claims cannot both contradict (or distort) and agree with (refine, support, update) each other",
    DUPLICATE_RELATION: "a relation between two claims is given once",
    UPDATES_BACKWARDS: "updates runs from the newer claim to the older one",
    GRADE_1_NOT_CONFIRMED: "credibility 1 (confirmed) needs two independent sources",
    ATTRIBUTION_DROPPED: "a statement keeps the attribution its citations carry",
    DATE_CONTEXT_WITHOUT_WORDS: "a date resolved from context quotes the words of the text it came from",
    GENERIC_ALIAS: "an entity alias must not be a common phrase that tags unrelated text",
}

# Contradiction cannot stand beside these between the same two claims.
AGREEING = {T.REFINES, T.CORROBORATES, T.CONSISTENT_WITH, T.SUPPORTS, T.UPDATES}
# Nor can a distortion: a claim that changes its target's meaning does not also agree with it.
DISAGREEING = {T.CONTRADICTS, T.DISTORTS}


def _conflicting(kinds) -> bool:
    kinds = set(kinds)
    return bool(kinds & DISAGREEING) and bool(kinds & AGREEING)

# Where a claim rule's message belongs on the editor's form.
CLAIM_RULE_FIELDS = {
    GRADE_1_NOT_CONFIRMED: "credibility",
    ATTRIBUTION_DROPPED: "statement",
    DATE_CONTEXT_WITHOUT_WORDS: "date_wording",
}


@dataclass(frozen=True)
class Problem:
    code: str
    claims: tuple[str, ...]  # claim keys (or "#id"); for GENERIC_ALIAS, "entity:<slug>"
    message: str

    def __str__(self):
        return f"[{self.code}] {', '.join(self.claims)}: {self.message}"

    @property
    def for_editor(self) -> str:
        """The message an editor sees: the rule, then what is wrong here."""
        return f"Rule “{RULES[self.code]}” ({self.code}): {self.message}."


def label(claim) -> str:
    return (claim.key or f"#{claim.pk}") if claim.pk else "this claim"


def _labels(claim_ids) -> dict[int, str]:
    return {pk: key or f"#{pk}" for pk, key in Claim.objects.filter(pk__in=set(claim_ids)).values_list("pk", "key")}


def _scope(claims=None):
    """Claims the bulk rules look at: real (not synthetic), neither rejected nor merged."""
    qs = Claim.objects.all() if claims is None else claims
    return qs.filter(is_synthetic=False).exclude(status__in=[Claim.Status.REJECTED, Claim.Status.MERGED])


# Witnesses: who states a claim, and which of them are independent


@dataclass(frozen=True)
class Witness:
    """One citation as the rules see it: its source (id and slug) and whom it attributes the words to."""
    source_id: int
    slug: str | None
    attribution: str = ""


def witnesses_of(claim_ids: Iterable[int]) -> dict[int, list[Witness]]:
    """{claim id: its usable (not orphaned) citations as Witnesses}; one query."""
    found: dict[int, list[Witness]] = defaultdict(list)
    rows = (Citation.objects.filter(claim_id__in=list(claim_ids)).exclude(anchoring=Citation.Anchoring.ORPHANED)
            .values_list("claim_id", "source_id", "source__slug", "attribution"))
    for claim_id, source_id, slug, attribution in rows:
        found[claim_id].append(Witness(source_id, slug, attribution or ""))
    return found


class Independence:
    """Which witnesses are independent: SourceGroups over the derived_from links that can join
    their sources (derived_pairs_among: one query over those sources' groups, not every copy
    link in the knowledge base), plus the speaker."""

    def __init__(self, witnesses: Iterable[Witness] = (), pairs: set[tuple[int, int]] | None = None):
        witnesses = list(witnesses)
        if pairs is None:
            pairs = derived_pairs_among({w.source_id for w in witnesses})
        self.groups = SourceGroups(pairs)
        self.add(witnesses)

    def add(self, witnesses: Iterable[Witness]) -> None:
        # Join every version first: a later join may move a root.
        for witness in witnesses:
            self.groups.group_of(witness.source_id, witness.slug)

    def independent(self, a: Witness, b: Witness) -> bool:
        return (self.groups.group_of(a.source_id) != self.groups.group_of(b.source_id)
                and not same_speaker(a.attribution, b.attribution))

    def between(self, left: list[Witness], right: list[Witness]) -> bool:
        """Some witness of the one claim is independent of some witness of the other."""
        return any(self.independent(a, b) for a in left for b in right)

    def within(self, witnesses: list[Witness]) -> bool:
        """Two of these witnesses are independent of each other."""
        return any(self.independent(a, b) for i, a in enumerate(witnesses) for b in witnesses[i + 1 :])


# Relation rules, in bulk


def _relations(relations=None):
    qs = Relation.objects.all() if relations is None else relations
    return qs.filter(from_claim__is_synthetic=False, to_claim__is_synthetic=False)


def corroboration_without_independence(relations=None) -> list[Problem]:
    """`corroborates` relations whose two claims have no pair of independent citations."""
    rows = list(_relations(relations).filter(type=T.CORROBORATES).values_list("from_claim_id", "to_claim_id"))
    if not rows:
        return []
    claim_ids = {i for pair in rows for i in pair}
    witnesses = witnesses_of(claim_ids)
    independence = Independence(w for ws in witnesses.values() for w in ws)
    labels = _labels(claim_ids)
    return [
        Problem(CORROBORATES_NOT_INDEPENDENT, (labels[a], labels[b]),
                "no pair of their sources is independent (the same source, a copy, or the same speaker); "
                "use consistent_with or supports")
        for a, b in rows if not independence.between(witnesses.get(a, []), witnesses.get(b, []))
    ]


def _by_pair(relations=None) -> dict[frozenset, list[str]]:
    pairs: dict[frozenset, list[str]] = defaultdict(list)
    for a, b, kind in _relations(relations).values_list("from_claim_id", "to_claim_id", "type"):
        pairs[frozenset((a, b))].append(kind)
    return pairs


def conflicting_relations(relations=None) -> list[Problem]:
    """Pairs of claims that both contradict and agree with one another."""
    grouped = {pair: set(kinds) for pair, kinds in _by_pair(relations).items() if _conflicting(kinds)}
    labels = _labels({i for pair in grouped for i in pair})
    return [Problem(CONFLICTING_RELATIONS, tuple(sorted(labels[i] for i in pair)),
                    f"related as {' and '.join(sorted(kinds))} at once; decide which holds")
            for pair, kinds in grouped.items()]


def duplicate_relations(relations=None) -> list[Problem]:
    """The same relation type twice between two claims (in either direction)."""
    duplicated = {}
    for pair, kinds in _by_pair(relations).items():
        twice = sorted({k for k in kinds if kinds.count(k) > 1})
        if twice:
            duplicated[pair] = twice
    labels = _labels({i for pair in duplicated for i in pair})
    return [Problem(DUPLICATE_RELATION, tuple(sorted(labels[i] for i in pair)),
                    f"{', '.join(kinds)} given in both directions; keep one")
            for pair, kinds in duplicated.items()]


def _date_key(earliest, latest):
    return earliest or latest


def _updates_problem(newer_dates, older_dates) -> str | None:
    newer, older = _date_key(*newer_dates), _date_key(*older_dates)
    if newer is None or older is None:
        return "one of the two claims is undated, so the order cannot be checked"
    if newer < older:
        return f"it runs backwards in time ({newer} is before {older}); the newer claim must carry the relation"
    return None


def backward_updates(relations=None) -> list[Problem]:
    """`updates` relations whose updating claim is dated before the claim it updates (or undated)."""
    rows = list(_relations(relations).filter(type=T.UPDATES).values_list(
        "from_claim_id", "to_claim_id", "from_claim__date_earliest", "from_claim__date_latest",
        "to_claim__date_earliest", "to_claim__date_latest",
    ))
    labels = _labels({i for row in rows for i in row[:2]})
    problems = []
    for a, b, a_early, a_late, b_early, b_late in rows:
        why = _updates_problem((a_early, a_late), (b_early, b_late))
        if why:
            problems.append(Problem(UPDATES_BACKWARDS, (labels[a], labels[b]), why))
    return problems


# Claim rules, in bulk


def grade_one_without_independent_sources(claims=None) -> list[Problem]:
    """Claims graded 1 (confirmed) without two independent witnesses among their citations."""
    graded = list(_scope(claims).filter(credibility=1).values_list("pk", "key"))
    if not graded:
        return []
    witnesses = witnesses_of(pk for pk, _ in graded)
    independence = Independence(w for ws in witnesses.values() for w in ws)
    return [
        Problem(GRADE_1_NOT_CONFIRMED, (key or f"#{pk}",), "graded 1 (confirmed) without two independent sources; grade 2 at most")
        for pk, key in graded if not independence.within(witnesses.get(pk, []))
    ]


def _attribution_problem(statement: str, witnesses: list[Witness]) -> str | None:
    attributions = [w.attribution for w in witnesses]
    if attributions and all(a.strip() for a in attributions) and not statement_names_attribution(statement, attributions):
        return (f"every citation is attributed ({'; '.join(sorted(set(attributions)))}) but the statement "
                "states it as bare fact; say who said it")
    return None


def attribution_dropped(claims=None) -> list[Problem]:
    """Claims whose every citation is attributed while the statement names none of the speakers."""
    rows = list(_scope(claims).filter(citations__attribution__gt="").distinct().values_list("pk", "key", "statement"))
    witnesses = witnesses_of(pk for pk, _, _ in rows)
    problems = []
    for pk, key, statement in rows:
        why = _attribution_problem(statement, witnesses.get(pk, []))
        if why:
            problems.append(Problem(ATTRIBUTION_DROPPED, (key or f"#{pk}",), why))
    return problems


def date_context_without_words(claims=None) -> list[Problem]:
    """Dates "resolved from context" that do not quote the words of a cited source they came from.

    The cited sources' texts are read one at a time (streamed), never all at once."""
    rows = list(_scope(claims).filter(date_wording__icontains="from context").values_list("pk", "key", "date_wording"))
    sources: dict[int, set[int]] = defaultdict(set)
    for claim_id, source_id in Citation.objects.filter(claim_id__in=[r[0] for r in rows]).values_list("claim_id", "source_id"):
        sources[source_id].add(claim_id)
    found: dict[int, set[str]] = defaultdict(set)  # claim id: its context words seen in a cited text
    wanted = {pk: context_words(wording) for pk, _, wording in rows}
    for source_id, text in Source.objects.filter(pk__in=list(sources)).values_list("pk", "text").iterator(chunk_size=50):
        for claim_id in sources[source_id]:
            found[claim_id].update(w for w in wanted[claim_id] if w in text)
    problems = []
    for pk, key, wording in rows:
        why = context_problem(wording, found[pk].__contains__)
        if why:
            problems.append(Problem(DATE_CONTEXT_WITHOUT_WORDS, (key or f"#{pk}",),
                                    f"the date wording “{wording}” is resolved from context but {why}"))
    return problems


# Entity rule


def _one_word_names(rows) -> dict[str, set[str]]:
    return {slug: one_word_names(name, aliases or []) for slug, name, aliases in rows}


def generic_aliases(entities=None) -> list[Problem]:
    rows = list((Entity.objects.filter(is_synthetic=False) if entities is None else entities)
                .values_list("slug", "name", "aliases"))
    names = _one_word_names(rows)
    problems = []
    for slug, _, aliases in rows:
        others = set().union(*(v for k, v in names.items() if k != slug))
        problems += [Problem(GENERIC_ALIAS, (f"entity:{slug}",),
                             f"the alias “{alias}” is a common phrase that would tag unrelated text; name the thing itself")
                     for alias in aliases or [] if generic_alias(alias, others)]
    return problems


def alias_problems(slug: str, aliases: Iterable[str]) -> list[Problem]:
    """One entity's aliases, as an editor is about to save them, against the other entities' names."""
    names = _one_word_names(Entity.objects.exclude(slug=slug).values_list("slug", "name", "aliases"))
    others = set().union(*names.values()) if names else set()
    return [Problem(GENERIC_ALIAS, (f"entity:{slug}",),
                    f"the alias “{alias}” is a common phrase that would tag unrelated text; name the thing itself")
            for alias in aliases if generic_alias(alias, others)]


# One record, as an editor saves it


def relation_problems(from_claim: Claim, to_claim: Claim, type: str) -> list[Problem]:
    """The rules for a new relation `from_claim` -> `to_claim` of `type`, against the relations
    the two claims already have (either way). A few queries, whatever the size of the corpus
    (corroborates also reads the copy links among the two claims' sources)."""
    pair = (label(from_claim), label(to_claim))
    existing = list(Relation.objects.filter(
        from_claim__in=[from_claim.pk, to_claim.pk], to_claim__in=[from_claim.pk, to_claim.pk],
    ).values_list("from_claim_id", "type", "to_claim_id"))
    kinds = {kind for _, kind, _ in existing}
    problems = []
    if type in kinds:
        problems.append(Problem(DUPLICATE_RELATION, pair, f"these claims are already related as {type}"))
    clashing = AGREEING if type in DISAGREEING else DISAGREEING if type in AGREEING else set()
    if kinds & clashing:
        said = "; ".join(f"claim {a} already {kind.replace('_', ' ')} claim {b}"
                         for a, kind, b in sorted(existing) if kind in clashing)
        problems.append(Problem(CONFLICTING_RELATIONS, pair,
                                f"{said}, so {type.replace('_', ' ')} would contradict it; remove that relation "
                                "first if it no longer holds"))
    if type == T.CORROBORATES:
        witnesses = witnesses_of([from_claim.pk, to_claim.pk])
        left, right = witnesses.get(from_claim.pk, []), witnesses.get(to_claim.pk, [])
        if not Independence(left + right).between(left, right):
            problems.append(Problem(CORROBORATES_NOT_INDEPENDENT, pair,
                                    "no pair of their sources is independent (the same source, a copy, or the "
                                    "same speaker); use consistent_with or supports"))
    if type == T.UPDATES:
        why = _updates_problem((from_claim.date_earliest, from_claim.date_latest),
                               (to_claim.date_earliest, to_claim.date_latest))
        if why:
            problems.append(Problem(UPDATES_BACKWARDS, pair, why))
    return problems


def claim_problems(claim: Claim, witnesses: list[Witness], *, texts=None) -> list[Problem]:
    """The rules for one claim holding the values an editor is about to save, stated by
    `witnesses` (its citations: `witnesses_of([claim.pk])[claim.pk]`, or the one a new claim
    is created with). `texts`: the cited sources' texts when the caller holds them already."""
    name = (label(claim),)
    problems = []
    if claim.credibility == 1 and not Independence(witnesses).within(witnesses):
        problems.append(Problem(GRADE_1_NOT_CONFIRMED, name,
                                "it is graded 1 (confirmed) but its citations do not hold two independent "
                                "sources; grade it 2 at most, or cite an independent source first"))
    why = _attribution_problem(claim.statement, witnesses)
    if why:
        problems.append(Problem(ATTRIBUTION_DROPPED, name, why))
    if "from context" in (claim.date_wording or "").lower():
        if texts is None:
            ids = {w.source_id for w in witnesses}
            texts = list(Source.objects.filter(pk__in=ids).values_list("text", flat=True)) if ids else []
        why = context_problem(claim.date_wording, lambda words: any(words in text for text in texts))
        if why:
            problems.append(Problem(DATE_CONTEXT_WITHOUT_WORDS, name, f"the date is resolved from context but {why}"))
    return problems
