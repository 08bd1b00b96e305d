"""The curated claims: loading, anchoring, coverage, dates, relations and the copy link."""
import datetime as dt

import pytest
import yaml
from django.core.management import CommandError, call_command

from kb.models import Citation, Claim, Entity, Relation, SourceLink
from kb.services import claims as claim_services
from kb.services.curation import RELATION_DROPPED
from tests.factories import ARTICLE_SLUG, BLOG_SLUG


def test_loading_is_idempotent(curated, capsys):
    counts = (Claim.objects.count(), Citation.objects.count(), Relation.objects.count(), Entity.objects.count())
    stamps = dict(Claim.objects.values_list("key", "updated_at"))
    call_command("load_claims")
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert (Claim.objects.count(), Citation.objects.count(), Relation.objects.count(), Entity.objects.count()) == counts
    assert dict(Claim.objects.values_list("key", "updated_at")) == stamps


def test_every_citation_anchors_exactly(curated):
    assert Citation.objects.count() > 100
    for citation in Citation.objects.select_related("source", "passage"):
        assert citation.source.text[citation.start : citation.end] == citation.quote
        assert citation.passage.start <= citation.start and citation.end <= citation.passage.end
        assert citation.source.text[: citation.start].endswith(citation.prefix)
        assert citation.source.text[citation.end :].startswith(citation.suffix)
    call_command("check_citations")


def _write(tmp_path, data):
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _claim(key, quote, **extra):
    return {"key": key, "statement": "A statement.", "kind": "event", "credibility": 3, "rationale": "r",
            "citations": [{"source": ARTICLE_SLUG, "quote": quote, **extra}]}


def test_missing_quote_is_refused_naming_the_claim(seeds, db_snapshot, tmp_path, capsys):
    before = db_snapshot()
    path = _write(tmp_path, {"claims": [
        _claim("good-one", "Seven Israeli soldiers and one settler were killed."),
        _claim("bad-one", "Iran never supported Hamas."),
    ]})
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_claims", str(path))
    err = capsys.readouterr().err
    assert "claim bad-one" in err and "Iran never supported Hamas." in err and "not found" in err
    assert db_snapshot() == before and not Claim.objects.filter(key="good-one").exists()


def test_ambiguous_quote_is_refused_unless_occurrence_given(seeds, tmp_path, capsys):
    path = _write(tmp_path, {"claims": [_claim("ambiguous", "Hajj Qasem")]})
    with pytest.raises(CommandError):
        call_command("load_claims", str(path))
    assert "ambiguous" in capsys.readouterr().err
    assert not Claim.objects.filter(key="ambiguous").exists()
    path = _write(tmp_path, {"claims": [_claim("second", "Hajj Qasem", occurrence=2)]})
    call_command("load_claims", str(path))
    citation = Citation.objects.get(claim__key="second")
    text = seeds["article"].text
    assert citation.start == text.index("Hajj Qasem", text.index("Hajj Qasem") + 1)


def test_bad_values_are_refused(seeds, tmp_path, capsys):
    claim = _claim("bad-values", "Seven Israeli soldiers and one settler were killed.")
    claim.update(credibility=9, kind="rumour", date={"edtf": "sometime"})
    path = _write(tmp_path, {"claims": [claim]})
    with pytest.raises(CommandError):
        call_command("load_claims", str(path))
    err = capsys.readouterr().err
    assert "credibility" in err and "rumour" in err and "sometime" in err


def claim_citing(slug, quote_part):
    return Claim.objects.filter(citations__source__slug=slug, citations__quote__contains=quote_part).distinct()


def test_relative_dates_resolved_from_context(curated):
    beirut = claim_citing(ARTICLE_SLUG, "meeting in Beirut on 2 October").get()
    assert beirut.date_earliest == beirut.date_latest == dt.date(2023, 10, 2)
    assert "2 October" in beirut.date_wording
    wednesday = claim_citing(BLOG_SLUG, "assassinated on Wednesday").first()
    assert wednesday.date_earliest == dt.date(2024, 7, 31)
    assert "Wednesday" in wednesday.date_wording


def test_funding_figures_update_each_other(curated):
    thirty = claim_citing(ARTICLE_SLUG, "$30 million per year").get()
    hundred = claim_citing(ARTICLE_SLUG, "$100 million annually").get()
    three_fifty = claim_citing(ARTICLE_SLUG, "$350 million a year").get()
    assert Relation.objects.filter(from_claim=hundred, to_claim=thirty, type="updates").exists()
    assert Relation.objects.filter(from_claim=three_fifty, to_claim=hundred, type="updates").exists()


def test_tunnel_lengths_contradict(curated):
    lengths = {n: claim_citing(ARTICLE_SLUG, text).first()
               for n, text in [(360, "360 kilometers"), (400, "400 kilometers"), (800, "800 km"), (700, "700 kilometers")]}
    assert all(lengths.values())
    pairs = set(Relation.objects.filter(type="contradicts").values_list("from_claim", "to_claim"))
    linked = {frozenset(p) for p in pairs}
    assert frozenset({lengths[360].pk, lengths[800].pk}) in linked or frozenset({lengths[360].pk, lengths[700].pk}) in linked
    assert frozenset({lengths[700].pk, lengths[800].pk}) in linked


def test_same_fact_in_both_sources_is_one_claim(curated):
    claim = claim_citing(ARTICLE_SLUG, "Iran provides about $100 million annually").get()
    assert set(claim.citations.values_list("source__slug", flat=True)) == {ARTICLE_SLUG, BLOG_SLUG}


def test_haniyeh_accounts_contradict(curated):
    strike = claim_citing(BLOG_SLUG, "overnight strike").first()
    device = claim_citing(BLOG_SLUG, "explosive device covertly smuggled").first()
    assert Relation.objects.filter(type="contradicts", from_claim__in=[strike, device], to_claim__in=[strike, device]).exists()


def test_blog_is_derived_from_article_with_evidence(curated):
    link = SourceLink.objects.get(source=curated["blog"], target=curated["article"], kind="derived_from")
    assert link.evidence and link.shared_share > 0
    text = curated["blog"].text
    for run in link.evidence:
        assert text[run["start"] : run["end"]] == run["quote"]
        assert run["quote"] in curated["article"].text.replace("\n", " ") or run["words"] >= 8


def test_entities_have_aliases(curated):
    quds = Entity.objects.get(slug="quds-force")
    assert {"Quds Force", "IRGC Quds Force"} <= {quds.name, *quds.aliases}
    haniyeh = Entity.objects.get(slug="ismail-haniyeh")
    assert {"Ismail Haniyeh", "Haniyeh"} <= {haniyeh.name, *haniyeh.aliases}


# Loading again converges: relations the files no longer hold are removed, with history


def _load_pair(tmp_path, relations):
    claims = [
        {"key": key, "statement": "A statement.", "kind": "event", "credibility": 3, "rationale": "r",
         "citations": [{"source": ARTICLE_SLUG, "quote": quote}], "relations": relations.get(key, [])}
        for key, quote in (("conv-a", "Seven Israeli soldiers and one settler were killed."),
                           ("conv-b", "Tehran's support progressively increased."))
    ]
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump({"claims": claims}), encoding="utf-8")
    call_command("load_claims", str(path), verbosity=0)


def test_relations_no_longer_in_the_files_are_removed_with_history(seeds, tmp_path, editor):
    _load_pair(tmp_path, {"conv-a": [{"type": "corroborates", "target": "conv-b", "note": "same"}]})
    old = Relation.objects.get(from_claim__key="conv-a", to_claim__key="conv-b")
    a, b = Claim.objects.get(key="conv-a"), Claim.objects.get(key="conv-b")
    by_editor = claim_services.relation_add(from_claim=b, to_claim=a, type="supports", by=editor)
    _load_pair(tmp_path, {"conv-a": [{"type": "consistent_with", "target": "conv-b", "note": "one account"}]})
    assert set(Relation.objects.filter(from_claim__in=[a, b]).values_list("type", flat=True)) == {"consistent_with", "supports"}
    removal = Relation.history.filter(id=old.pk).latest("history_date")
    assert (removal.history_type, removal.history_change_reason, removal.type) == ("-", RELATION_DROPPED, "corroborates")
    assert Relation.objects.filter(pk=by_editor.pk).exists()  # an editor's relation is left alone
    _load_pair(tmp_path, {})
    assert list(Relation.objects.filter(from_claim__in=[a, b]).values_list("type", flat=True)) == ["supports"]


def test_loading_one_file_leaves_other_files_relations(curated, tmp_path):
    """Only relations out of the loaded claims are the loaded files' to remove."""
    before = Relation.objects.count()
    _load_pair(tmp_path, {})
    assert Relation.objects.count() == before
