"""Deferred candidate mining: `import_source --no-candidates`, then `propose_candidates`."""
import pytest
from django.core.management import CommandError, call_command

from kb.models import Claim, Source

TEXT = (
    "= Ministry report =\n\n"
    "In March 2019 the ministry transferred $40 million to the port authority, according to Reuters. "
    "The governor said on 4 June 2020 that 300 fighters had been trained near the border.\n"
)


def test_no_candidates_then_propose(db, tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    call_command("import_source", str(path), "--no-candidates")
    source = Source.objects.get(slug="ministry-report")
    assert not Claim.objects.filter(citations__source=source).exists()

    call_command("propose_candidates", "ministry-report")
    assert "Proposed" in capsys.readouterr().out
    candidates = Claim.objects.filter(citations__source=source, status="candidate").distinct()
    assert candidates.count() >= 2
    for claim in candidates:
        citation = claim.citations.get()
        assert source.text[citation.start : citation.end] == citation.quote

    before = Claim.objects.count()
    call_command("propose_candidates", "ministry-report")
    assert Claim.objects.count() == before  # repeating proposes nothing new


def test_propose_candidates_needs_sources(db):
    with pytest.raises(CommandError, match="--all"):
        call_command("propose_candidates")
    with pytest.raises(CommandError, match="no-such-source"):
        call_command("propose_candidates", "no-such-source")


def test_the_command_mines_a_long_text_in_the_foreground(db, tmp_path, settings, capsys):
    # Whoever runs the command waits for the whole work: nothing is left "deferred".
    settings.CLAIMBOOK_INLINE_CANDIDATE_CHARS = 100
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    call_command("import_source", str(path), verbosity=2)
    out = capsys.readouterr().out
    assert "deferred" not in out
    assert "decode" in out and "copy check" in out and "candidates" in out
    source = Source.objects.get(slug="ministry-report")
    assert Claim.objects.filter(citations__source=source, status="candidate").exists()


def test_direct_service_call_still_defers_a_long_text_and_says_so(db, settings):
    from kb.services.sources import source_import

    settings.CLAIMBOOK_INLINE_CANDIDATE_CHARS = 100
    result = source_import(data=TEXT.encode(), name="report.txt")
    assert "run `manage.py propose_candidates ministry-report`" in result.summary()
    assert not Claim.objects.filter(citations__source=result.source).exists()
