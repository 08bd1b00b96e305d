"""import_source: refusals reported per file, limits before reading, dry run, summary counts."""
import pytest
from django.core.management import CommandError, call_command
from kb.importing.decode import ImportRefused
from kb.models import Source
from tests.factories import ARTICLE


def test_command_refuses_missing_oversized_and_reports(db_snapshot, tmp_path, settings, capsys):
    before = db_snapshot()
    settings.CLAIMBOOK_MAX_IMPORT_BYTES = 100
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 50)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="3 of 3 files failed"):
        call_command("import_source", str(big), str(empty), str(tmp_path / "missing.txt"))
    err = capsys.readouterr().err
    assert "big.txt: the file is 250 bytes, over the 100-byte limit" in err
    assert "empty.txt: the file is empty" in err
    assert "missing.txt: no such file" in err
    assert db_snapshot() == before


def test_size_limit_checked_before_reading(db, tmp_path, settings, monkeypatch):
    from pathlib import Path

    settings.CLAIMBOOK_MAX_IMPORT_BYTES = 10
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1000)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("file was read"))
    from kb.management.commands.import_source import import_path

    with pytest.raises(ImportRefused, match="over the 10-byte limit"):
        import_path(path)


def test_dry_run_writes_nothing(db_snapshot, tmp_path, capsys):
    before = db_snapshot()
    new = tmp_path / "new.txt"
    new.write_text("= A new document =\n\nIt says something new about 2020.\n", encoding="utf-8")
    call_command("import_source", str(ARTICLE), str(new), "--dry-run")
    out = capsys.readouterr().out
    assert "dry run" in out and "Total: 2 files" in out and "1 unchanged" in out
    assert db_snapshot() == before


def test_import_summary_reports_counts(db, capsys):
    Source.objects.filter(slug="iranian-support-for-hamas").update(slug="renamed-for-test", is_current=False)
    call_command("import_source", str(ARTICLE))
    out = capsys.readouterr().out
    assert "iranian-support-for-hamas: imported:" in out
    assert "11 sections" in out and "(7 boilerplate)" in out and "11,958 characters" in out

    call_command("import_source", str(ARTICLE))
    assert "unchanged" in capsys.readouterr().out


def test_bad_metadata_names_the_file_and_field(db_snapshot, tmp_path):
    before = db_snapshot()
    from kb.management.commands.import_source import import_path

    doc = tmp_path / "doc.txt"
    doc.write_text("A paragraph of text.\n", encoding="utf-8")
    (tmp_path / "doc.meta.yaml").write_text("reliability: Z\npublished: not a date\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_path(doc)
    assert "doc.meta.yaml" in refused.value.message
    assert "reliability" in refused.value.message and "published" in refused.value.message
    assert db_snapshot() == before
