"""The claim rules over the whole knowledge base (kb/selectors/claim_rules.py, run by
`manage.py check_claims` through kb/reports/claim_rules.py): the curated data keeps every one,
and each rule fires, with its code and the claims it names, on a record broken on purpose."""
import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from kb.models import Citation, Claim, Entity, Relation
from kb.reports.claim_rules import duplicate_relations_in_fixtures
from kb.reports.readme import database_counts, readme_counts, with_counts
from kb.selectors import claim_rules as rules
from kb.text.claim_wording import same_speaker
from kb.text.dates import parse_event_date
from tests.factories import SourceFactory

OTHER_TEXT = "An independent study.\n\nIran provides about $100 million annually, by this study's own estimate from budget papers.\n"


@pytest.fixture
def other_source(db):
    """A third source, neither the article nor a copy of it."""
    return SourceFactory(slug="independent-report", text=OTHER_TEXT)


def make_claim(key, source, quote, *, statement="A statement.", attribution="", credibility=3, edtf=None,
               wording=""):
    date = parse_event_date(edtf) if edtf else None
    claim = Claim.objects.create(
        key=key, statement=statement, kind=Claim.Kind.EVENT, credibility=credibility, rationale="test",
        date_edtf=edtf or "", date_earliest=date.earliest if date else None,
        date_latest=date.latest if date else None, date_wording=wording,
    )
    start = source.text.index(quote)
    Citation.objects.create(claim=claim, source=source, start=start, end=start + len(quote), quote=quote,
                            attribution=attribution)
    return claim


def codes(problems, key):
    return {p.code for p in problems if key in p.claims}


# ---------------------------------------------------------------- the curated data


def test_curated_data_keeps_every_rule(curated, capsys):
    call_command("check_claims")
    out = capsys.readouterr().out
    assert "0 problems" in out and all(code in out for code in rules.RULES)


def test_no_corroboration_in_the_seeds(curated):
    # Both seeds are one account (the blog copies the article): nothing in them can corroborate.
    assert not Relation.objects.filter(type=Relation.Type.CORROBORATES).exists()


def test_readme_counts_match_the_database(curated):
    text = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert readme_counts(text) == database_counts()
    call_command("readme_counts")


def test_readme_counts_are_rewritten_from_the_database():
    text = "holds 1 claims, 2 citations, 3 entities\nand 4 relations, with"
    new = with_counts(text, {"claims": 1226, "citations": 5, "entities": 6, "relations": 7})
    assert new == "holds 1,226 claims, 5 citations, 6 entities\nand 7 relations, with"
    assert readme_counts(new) == {"claims": 1226, "citations": 5, "entities": 6, "relations": 7}


def test_check_claims_fails_naming_the_claims(seeds, capsys):
    a = make_claim("rule-a", seeds["article"], "Seven Israeli soldiers and one settler were killed.")
    b = make_claim("rule-b", seeds["blog"], "orchestrated by Hamas")
    Relation.objects.create(from_claim=a, to_claim=b, type=Relation.Type.CORROBORATES)
    with pytest.raises(CommandError, match="rule-a"):
        call_command("check_claims", "--no-fixtures")
    assert "[corroborates_not_independent] rule-a, rule-b" in capsys.readouterr().err


# ---------------------------------------------------------------- one broken record per rule


def test_corroboration_needs_independent_sources(seeds, other_source):
    a = make_claim("corr-a", seeds["article"], "Iran provides about $100 million annually")
    copy = make_claim("corr-copy", seeds["blog"], "Iran provides about $100 million annually")
    Relation.objects.create(from_claim=copy, to_claim=a, type=Relation.Type.CORROBORATES)
    found = rules.corroboration_without_independence()
    assert rules.CORROBORATES_NOT_INDEPENDENT in codes(found, "corr-copy")
    independent = make_claim("corr-other", other_source, "Iran provides about $100 million annually")
    Relation.objects.create(from_claim=independent, to_claim=a, type=Relation.Type.CORROBORATES)
    assert not codes(rules.corroboration_without_independence(), "corr-other")


def test_same_speaker_is_not_independent(seeds, other_source):
    a = make_claim("speaker-a", seeds["article"], "Iran provides about $100 million annually",
                   attribution="Ezzatollah Zarghami")
    b = make_claim("speaker-b", other_source, "Iran provides about $100 million annually", attribution="Zarghami")
    Relation.objects.create(from_claim=b, to_claim=a, type=Relation.Type.CORROBORATES)
    assert rules.CORROBORATES_NOT_INDEPENDENT in codes(rules.corroboration_without_independence(), "speaker-b")
    assert same_speaker("Iran's Supreme Leader Ayatollah Ali Khamenei", "Ali Khamenei")
    assert not same_speaker("a report", "a 2020 US Department of State report")


def test_refines_and_contradicts_conflict(seeds):
    a = make_claim("conf-a", seeds["article"], "Seven Israeli soldiers and one settler were killed.")
    b = make_claim("conf-b", seeds["article"], "the perpetrator was an Islamic Jihad militant")
    Relation.objects.create(from_claim=a, to_claim=b, type=Relation.Type.REFINES)
    Relation.objects.create(from_claim=b, to_claim=a, type=Relation.Type.CONTRADICTS)
    assert rules.CONFLICTING_RELATIONS in codes(rules.conflicting_relations(), "conf-a")


def test_relation_given_twice(seeds, tmp_path):
    a = make_claim("dup-a", seeds["article"], "Seven Israeli soldiers and one settler were killed.")
    b = make_claim("dup-b", seeds["article"], "the perpetrator was an Islamic Jihad militant")
    Relation.objects.create(from_claim=a, to_claim=b, type=Relation.Type.CONTRADICTS)
    Relation.objects.create(from_claim=b, to_claim=a, type=Relation.Type.CONTRADICTS)
    assert rules.DUPLICATE_RELATION in codes(rules.duplicate_relations(), "dup-a")
    path = tmp_path / "claims.yaml"
    rel = {"type": "refines", "target": "y", "note": "n"}
    path.write_text(yaml.safe_dump({"claims": [{"key": "x", "relations": [rel, dict(rel)]}]}), encoding="utf-8")
    assert rules.DUPLICATE_RELATION in codes(duplicate_relations_in_fixtures([path]), "x")


def test_updates_must_run_forward(seeds):
    old = make_claim("upd-old", seeds["article"], "with reportedly $30 million per year", edtf="1990/1993")
    new = make_claim("upd-new", seeds["article"], "Iran provides about $100 million annually", edtf="2020")
    Relation.objects.create(from_claim=old, to_claim=new, type=Relation.Type.UPDATES)
    assert rules.UPDATES_BACKWARDS in codes(rules.backward_updates(), "upd-old")
    Relation.objects.filter(from_claim=old).delete()
    Relation.objects.create(from_claim=new, to_claim=old, type=Relation.Type.UPDATES)
    assert not rules.backward_updates()


def test_grade_one_needs_two_independent_sources(seeds, other_source):
    claim = make_claim("grade-one", seeds["article"], "Iran provides about $100 million annually", credibility=1)
    start = seeds["blog"].text.index("Iran provides about $100 million annually")
    Citation.objects.create(claim=claim, source=seeds["blog"], start=start, end=start + 41,
                            quote=seeds["blog"].text[start : start + 41])
    assert rules.GRADE_1_NOT_CONFIRMED in codes(rules.grade_one_without_independent_sources(), "grade-one")
    start = other_source.text.index("Iran provides")
    Citation.objects.create(claim=claim, source=other_source, start=start, end=start + 41,
                            quote=other_source.text[start : start + 41])
    assert not rules.grade_one_without_independent_sources()


def test_statement_keeps_the_attribution(seeds):
    quote = "Iran had significantly increased its funding for Hamas to $350 million a year"
    make_claim("attr-bare", seeds["article"], quote, attribution="an Israeli security source",
               statement="Iran increased its funding for Hamas to $350 million a year.")
    make_claim("attr-kept", seeds["article"], quote, attribution="an Israeli security source",
               statement="An Israeli security source said Iran increased its funding for Hamas to $350 million a year.")
    found = rules.attribution_dropped()
    assert rules.ATTRIBUTION_DROPPED in codes(found, "attr-bare")
    assert not codes(found, "attr-kept")


def test_date_from_context_quotes_its_words(seeds):
    make_claim("ctx-bare", seeds["blog"], "Threats of military intervention against Iran have been voiced",
               edtf="2025-06", wording="have been voiced (resolved from context: June 2025)")
    make_claim("ctx-words", seeds["blog"], "assassinated on Wednesday", edtf="2024-07-31",
               wording="on Wednesday (resolved from context: Wednesday 31 July 2024)")
    found = rules.date_context_without_words()
    assert rules.DATE_CONTEXT_WITHOUT_WORDS in codes(found, "ctx-bare")
    assert not codes(found, "ctx-words")


def test_generic_alias(db):
    Entity.objects.create(slug="hamas-test", name="Hamas", kind="organisation")
    Entity.objects.create(slug="some-war", name="Some war", kind="event", aliases=["the war", "Hamas-led attack", "2023 Gaza war"])
    found = rules.generic_aliases(Entity.objects.filter(slug__in=["hamas-test", "some-war"]))
    messages = " ".join(p.message for p in found)
    assert {p.code for p in found} == {rules.GENERIC_ALIAS}
    assert "the war" in messages and "Hamas-led attack" in messages and "2023 Gaza war" not in messages
