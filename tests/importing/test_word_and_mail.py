"""Word files and e-mails: structure from styles and headers, footnotes, comments and quoted
replies kept apart, attachments imported as sources of their own, and bad files refused."""
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from kb.importing.decode import ImportRefused
from kb.importing.prepare import prepare
from kb.models import Citation, ImportJob, Passage, Source
from kb.selectors.selection import selection_find
from kb.services.claims import ClaimFields, claim_create_from_selection
from kb.services.jobs import import_job_create
from kb.services.sources import source_import

FORMATS = Path(__file__).resolve().parent.parent.parent / "fixtures" / "formats"


def fixture(name: str) -> bytes:
    return (FORMATS / name).read_bytes()


def kinds(prepared):
    return [(b.kind, b.note, prepared.text[b.start:b.end]) for b in prepared.structure.blocks]


# ---- Word ------------------------------------------------------------------------------------


def test_word_headings_by_style_lists_tables_footnotes_and_comments():
    prepared = prepare(fixture("briefing.docx"), "briefing.docx")
    assert prepared.format == "docx" and prepared.original == fixture("briefing.docx")
    sections = [(s.level, s.title) for s in prepared.structure.sections]
    assert sections == [(1, "Hamas: Background and U.S. Policy"), (2, "Origins"), (2, "Designations"),
                        (3, "Sanctions in 2023")]
    found = kinds(prepared)
    assert ("list_item", "", "State Department Rewards for Justice") in found
    assert ("paragraph", "table row", "1997 | Foreign Terrorist Organization | State") in found
    assert ("footnote", "footnote", "2 U.S. Department of the Treasury, press release, October 18, 2023.") in found
    assert ("boilerplate", "comment by Reviewer", "Check the founding date against the charter.") in found
    # Footnotes and comments follow the body, apart from it.
    body_end = max(b.end for b in prepared.structure.blocks if b.kind in ("paragraph", "list_item", "heading"))
    assert all(b.start > body_end for b in prepared.structure.blocks if b.kind in ("footnote", "boilerplate"))
    assert prepared.metadata["author"] == "Congressional Research Service"


def test_a_renamed_zip_is_not_a_word_file():
    with pytest.raises(ImportRefused) as refused:
        prepare(fixture("renamed-zip.docx"), "renamed-zip.docx")
    assert refused.value.code == "not_docx"
    assert "a zip archive but not a Word document" in refused.value.message


def test_a_word_bomb_is_refused_before_it_is_read(settings):
    settings.CLAIMBOOK_MAX_INFLATED_BYTES = 5 * 1024 * 1024
    body = io.BytesIO()
    with zipfile.ZipFile(fixture_copy := io.BytesIO(fixture("briefing.docx"))) as source, \
            zipfile.ZipFile(body, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename), zipfile.ZIP_DEFLATED)
        target.writestr("word/media/padding.bin", bytes(8 * 1024 * 1024), zipfile.ZIP_DEFLATED)
    assert fixture_copy and len(body.getvalue()) < 100_000
    with pytest.raises(ImportRefused) as refused:
        prepare(body.getvalue(), "bomb.docx")
    assert refused.value.code == "too_large" and "inflates past 5,242,880 bytes" in refused.value.message


def test_a_damaged_word_file_is_refused():
    data = fixture("briefing.docx")
    with pytest.raises(ImportRefused) as refused:
        prepare(data[: len(data) // 2], "cut.docx")
    assert refused.value.code == "damaged"


def test_a_claim_from_a_word_table_row(db, editor):
    source = source_import(data=fixture("briefing.docx"), name="briefing.docx", metadata={"slug": "briefing"}).source
    selection = selection_find(source=source, quote="1997 | Foreign Terrorist Organization")
    claim = claim_create_from_selection(by=editor, selection=selection,
                                        fields=ClaimFields(statement="Hamas was designated an FTO in 1997."))
    citation = Citation.objects.with_page().get(claim=claim)
    assert citation.page is None
    assert source.text[citation.start:citation.end] == citation.quote
    assert Passage.objects.get(pk=citation.passage_id).kind == "paragraph"


# ---- e-mail ----------------------------------------------------------------------------------


def test_email_headers_become_metadata_and_quoted_replies_are_set_apart():
    prepared = prepare(fixture("reply-with-attachment.eml"), "reply.eml")
    assert prepared.format == "email"
    assert prepared.metadata == {"title": "Re: Treasury sanctions on Hamas financiers",
                                 "author": "Press Office <press@example.gov>", "published": "2023-11-03"}
    found = kinds(prepared)
    assert found[0] == ("heading", "", "Re: Treasury sanctions on Hamas financiers")
    assert found[1][:2] == ("boilerplate", "e-mail headers")
    quoted = [text for kind, note, text in found if note == "quoted reply"]
    assert quoted == ["On Thu, 2 Nov 2023 at 09:12, Research Desk <desk@example.org> wrote:",
                      "> Can you confirm the figures in yesterday's release?\n> We would like to cite the "
                      "Treasury statement."]
    assert [text for kind, note, text in found if note == "signature"] == ["-- \nPress Office\nexample.gov"]
    body = [text for kind, _note, text in found if kind == "paragraph"]
    assert len(body) == 2 and body[0].startswith("The U.S. Treasury Department announced")
    assert [name for name, _ in prepared.attachments] == ["press-briefing-2019-05-29.txt"]
    assert any("logo.png" in note for note in prepared.notes)


def test_an_email_job_imports_its_attachment_as_a_source(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(data=fixture("reply-with-attachment.eml"), name="reply.eml",
                                metadata={"kind": "news", "reliability": "B"})
    jobs = list(ImportJob.objects.filter(batch=job.batch).order_by("pk"))
    assert [j.status for j in jobs] == ["done", "done"]
    mail, attached = (Source.objects.get(pk=j.source_id) for j in jobs)
    assert mail.format == "email" and mail.author == "Press Office <press@example.gov>"
    assert str(mail.published_edtf) == "2023-11-03"
    assert attached.text.startswith("Department Press Briefing") and attached.reliability == "B"
    assert attached.reliability_note == f"Attached to the e-mail “{mail.title}” ({mail.slug})."
    assert jobs[0].counts["attachments"] == 1


def test_the_command_imports_an_email_and_its_attachment(db, tmp_path):
    path = tmp_path / "reply.eml"
    path.write_bytes(fixture("reply-with-attachment.eml"))
    out = io.StringIO()
    call_command("import_source", str(path), stdout=out, stderr=io.StringIO())
    assert "  attachment press-briefing-2019-05-29: imported: plain" in out.getvalue()
    assert Source.objects.filter(format="email").count() == 1
    assert Source.objects.filter(filename="press-briefing-2019-05-29.txt").count() == 1


def test_text_that_only_mentions_mail_headers_stays_text():
    prepared = prepare(b"From: the archive of notes\nThis is a plain note about e-mail.\n", "note.txt")
    assert prepared.format == "plain"


def test_a_word_upload_is_previewed_as_one_document_not_unpacked_as_a_zip(db, client, db_snapshot):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="docx-admin", is_staff=True, permissions=("add_source", "view_source")))
    upload = io.BytesIO(fixture("briefing.docx"))
    upload.name = "briefing.docx"
    before = db_snapshot()
    response = client.post("/admin/kb/source/import/", {"file": upload, "kind": "analysis", "reliability": "A"})
    page = response.content.decode()
    assert response.status_code == 200 and "Preview" in page
    assert "<td>docx</td>" in page and "Sanctions in 2023" in page
    assert "author: <span dir=\"auto\">Congressional Research Service</span>" in page
    assert ImportJob.objects.count() == before["ImportJob"]  # nothing queued before the confirmation
    # An e-mail's preview lists the attachment it will import.
    upload = io.BytesIO(fixture("reply-with-attachment.eml"))
    upload.name = "reply.eml"
    page = client.post("/admin/kb/source/import/", {"file": upload, "kind": "news", "reliability": "B"}).content.decode()
    assert "press-briefing-2019-05-29.txt</span> (1.9\xa0KB)" in page and "quoted reply" in page
