"""seed_synthetic: refuses a real database unless told, and marks what it makes."""
import pytest
from django.core.management import call_command
from kb.models import Citation, Claim


def test_seed_synthetic_refuses_real_database_and_marks_data(db, curated):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--allow-mixed"):
        call_command("seed_synthetic", claims=10)
    call_command("seed_synthetic", claims=60, allow_mixed=True)
    synthetic = Claim.objects.filter(is_synthetic=True)
    assert synthetic.count() == 60
    for citation in Citation.objects.filter(claim__in=synthetic).select_related("source", "passage")[:60]:
        assert citation.source.is_synthetic
        assert citation.source.text[citation.start:citation.end] == citation.quote
        assert citation.passage.start <= citation.start < citation.end <= citation.passage.end
    call_command("check_citations")


def test_up_to_grows_the_corpus_to_a_size_once(db, curated, capsys):
    from kb.services.counts import counts_drift

    have = Claim.objects.count()
    call_command("seed_synthetic", up_to=have + 25, claims_per_source=10, allow_mixed=True)
    assert Claim.objects.count() == have + 25
    call_command("seed_synthetic", up_to=have + 20, allow_mixed=True)  # already there: nothing more
    assert Claim.objects.count() == have + 25
    assert f"holds {have + 25:,} claims already: nothing created" in capsys.readouterr().out
    assert counts_drift() == []  # the entities' and tags' kept counts moved with the new claims
