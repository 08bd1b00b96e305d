"""PDF import: reading order, pages as ranges, running heads as boilerplate, footnotes, and
refusals (encrypted, damaged, scanned, too many pages, a compression bomb) that write nothing.
The documents are in fixtures/formats/ (scripts/make_format_fixtures.py builds them)."""
import csv
import io
import json
import zlib
from pathlib import Path

import pytest
from django.core.management import call_command

from kb.importing.decode import ImportRefused
from kb.importing.prepare import prepare
from kb.models import Citation, Page, Passage, Source
from kb.selectors.selection import selection_find
from kb.services.claims import ClaimFields, claim_create_from_selection
from kb.services.sources import source_import
from tests.factories import UserFactory

FORMATS = Path(__file__).resolve().parent.parent.parent / "fixtures" / "formats"
PAGE_3_QUOTE = "Hamas's political bureau has been based in Qatar since 2012"


def fixture(name: str) -> bytes:
    return (FORMATS / name).read_bytes()


def minimal_pdf(pages: int, content: bytes = b"BT /F1 12 Tf 72 700 Td (Page text) Tj ET",
                extra_objects: list[bytes] = ()) -> bytes:
    """A valid PDF by hand: `pages` pages sharing one content stream, with a cross-reference table."""
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                       b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>")
    objects.extend(extra_objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def bomb_stream(inflated: int) -> bytes:
    packer = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    body = b"".join(packer.compress(chunk) for _ in range(inflated // len(chunk))) + packer.flush()
    return (b"<< /Length " + str(len(body)).encode() + b" /Filter /FlateDecode >>\nstream\n" + body
            + b"\nendstream")


# ---- reading, no database -------------------------------------------------------------------


def test_report_pages_tile_the_text_and_each_page_starts_at_its_first_line():
    prepared = prepare(fixture("report-footnotes.pdf"), "report.pdf")
    pages = prepared.structure.pages
    assert prepared.format == "pdf" and len(pages) == 5
    assert pages[0][0] == 0 and pages[-1][1] == len(prepared.text)
    assert all(pages[i][1] == pages[i + 1][0] for i in range(4))
    # The running head is the first line of every page.
    for start, _end in pages:
        assert prepared.text[start:].startswith("Congressional Research Service · Hamas")
    third = prepared.text[pages[2][0]:pages[2][1]]
    assert PAGE_3_QUOTE in third and PAGE_3_QUOTE not in prepared.text[: pages[2][0]]


def test_running_heads_and_page_numbers_are_boilerplate():
    prepared = prepare(fixture("report-footnotes.pdf"), "report.pdf")
    text = prepared.text
    boilerplate = [(b.note, text[b.start:b.end]) for b in prepared.structure.blocks if b.kind == "boilerplate"]
    heads = [t for note, t in boilerplate if note == "running header or footer"]
    numbers = [t for note, t in boilerplate if note == "page number"]
    assert heads == ["Congressional Research Service · Hamas: Background and U.S. Policy"] * 5
    assert numbers == [f"Page {n} of 5" for n in range(1, 6)]
    # Nothing of the body was set apart.
    assert not any("Treasury" in t for _note, t in boilerplate)


def test_footnotes_are_kept_and_marked_and_headings_become_sections():
    prepared = prepare(fixture("report-footnotes.pdf"), "report.pdf")
    text = prepared.text
    footnotes = [text[b.start:b.end] for b in prepared.structure.blocks if b.kind == "footnote"]
    assert footnotes == [
        "1 Congressional Research Service, In Focus IF12549, October 23, 2024.",
        "2 See the U.S. Department of the Treasury press release of October 18, 2023.",
        "3 Department of State, Department Press Briefing, May 29, 2019.",
    ]
    sections = [(s.level, s.title) for s in prepared.structure.sections]
    assert sections[:3] == [(1, "Hamas: Background and U.S. Policy"), (2, "Origins and Leadership"),
                            (2, "Current Status")]
    assert prepared.metadata == {"title": "Hamas: Background and U.S. Policy", "author": "Jim Zanotti"}


def test_two_columns_read_down_the_left_column_then_the_right():
    prepared = prepare(fixture("two-columns.pdf"), "columns.pdf")
    text = prepared.text
    order = [
        "The U.S. Treasury Department announced a",
        "The Treasury Department said in a statement",
        "The sanctions include members of Iran",
        "The agency said the secret Hamas portfolio",
        "Hamas (or the Islamic Resistance Movement)",
        "MS ORTAGUS",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert prepared.structure.sections[0].title == "US Imposes New Sanctions on Hamas"


def test_hyphenated_line_ends_are_left_as_printed():
    # The stored text is what the PDF prints; no word is joined across a line.
    prepared = prepare(fixture("two-columns.pdf"), "columns.pdf")
    assert "\n" in prepared.text[prepared.structure.blocks[1].start:prepared.structure.blocks[1].end]


@pytest.mark.parametrize("name, data, code, words", [
    ("encrypted.pdf", fixture("encrypted.pdf"), "encrypted", "needs a password"),
    ("scanned.pdf", fixture("scanned.pdf"), "no_text_layer", "no text layer"),
    ("truncated.pdf", fixture("report-footnotes.pdf")[:900], "damaged", "damaged"),
    ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20, "damaged", "damaged"),
    ("pages.pdf", minimal_pdf(2000), "too_many_pages", "2,000 pages, over the limit of 600"),
    ("bomb.pdf", minimal_pdf(1, extra_objects=[bomb_stream(260 * 1024 * 1024)]), "too_large", "inflate past"),
])
def test_bad_pdfs_are_refused_with_a_reason(name, data, code, words):
    assert len(data) < 10 * 1024 * 1024
    with pytest.raises(ImportRefused) as refused:
        prepare(data, name)
    assert refused.value.code == code
    assert words in refused.value.message and refused.value.message.startswith(name)


def test_a_preview_reads_only_the_first_pages_of_a_long_pdf(settings):
    settings.CLAIMBOOK_PREVIEW_PDF_PAGES = 2
    prepared = prepare(fixture("report-footnotes.pdf"), "report.pdf", preview=True)
    assert prepared.sampled and len(prepared.structure.pages) == 2
    assert "preview of the first 2 of 5 pages" in prepared.notes[0]
    assert not prepare(fixture("report-footnotes.pdf"), "report.pdf").sampled


# ---- stored, cited, shown -------------------------------------------------------------------


@pytest.fixture
def report(db):
    result = source_import(data=fixture("report-footnotes.pdf"), name="report-footnotes.pdf",
                           metadata={"slug": "crs-report", "kind": "government"})
    return result.source


def test_import_stores_pages_the_original_and_the_document_metadata(report):
    assert report.format == "pdf" and report.encoding == ""
    assert bytes(Source.objects.get(pk=report.pk).original) == fixture("report-footnotes.pdf")
    assert report.title == "Hamas: Background and U.S. Policy" and report.author == "Jim Zanotti"
    pages = list(Page.objects.filter(source=report).order_by("number").values_list("number", "start", "end"))
    assert [p[0] for p in pages] == [1, 2, 3, 4, 5]
    assert pages[0][1] == 0 and pages[-1][2] == len(report.text)
    assert Passage.objects.filter(source=report, kind="footnote").count() == 3
    running = Passage.objects.filter(source=report, kind="boilerplate", note="running header or footer")
    assert running.count() == 5
    for passage in running:
        assert report.text[passage.start:passage.end].startswith("Congressional Research Service")


def test_a_claim_from_a_selection_on_page_3_is_cited_as_page_3(report, editor, client):
    selection = selection_find(source=report, quote=PAGE_3_QUOTE)
    claim = claim_create_from_selection(by=editor, selection=selection,
                                        fields=ClaimFields(statement="Hamas's political bureau is in Qatar."))
    citation = Citation.objects.with_page().get(claim=claim)
    assert citation.page == 3
    assert report.text[citation.start:citation.end] == citation.quote == PAGE_3_QUOTE
    # Every candidate the import mined quotes the text at its range.
    for candidate in Citation.objects.filter(source=report):
        assert report.text[candidate.start:candidate.end] == candidate.quote
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'href="/sources/crs-report/?claim={claim.pk}#page-3">p. 3</a>' in page
    reader = client.get("/sources/crs-report/").content.decode()
    for number in range(1, 6):
        assert reader.count(f'id="page-{number}"') == 1
    assert reader.index('id="page-3"') < reader.index(PAGE_3_QUOTE.replace("'", "&#x27;")) < reader.index('id="page-4"')
    assert 'href="/sources/crs-report/v1/original/"' in reader


def test_exports_give_the_page(report, editor, client):
    selection = selection_find(source=report, quote=PAGE_3_QUOTE)
    claim = claim_create_from_selection(by=editor, selection=selection,
                                        fields=ClaimFields(statement="Hamas's political bureau is in Qatar."))
    out = io.StringIO()
    call_command("export_claims", "--format", "csv", stdout=out)
    rows = [row for row in csv.DictReader(io.StringIO(out.getvalue())) if row["claim_id"] == str(claim.pk)]
    assert [row["page"] for row in rows] == ["3"]
    out = io.StringIO()
    call_command("export_claims", "--format", "jsonld", stdout=out)
    exported = next(item for item in json.loads(out.getvalue()) if item["id"].endswith(f"/claims/{claim.pk}/"))
    assert exported["citations"][0]["page"] == 3
    annotation = client.get(f"/api/citations/{claim.citations.get().pk}/").json()
    assert {"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
            "value": "page=3"} in annotation["target"]["selector"]
    api_csv = b"".join(client.get("/api/exports/claims.csv?source=crs-report").streaming_content).decode()
    lines = api_csv.split("\n", 1)[1]  # after the line that describes the selection
    api_rows = [r for r in csv.DictReader(io.StringIO(lines)) if r["claim_id"] == str(claim.pk)]
    assert [r["page"] for r in api_rows] == ["3"]


def test_the_original_downloads_as_an_attachment_only(report, client):
    response = client.get("/sources/crs-report/v1/original/")
    assert response.status_code == 200 and response.content == fixture("report-footnotes.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report-footnotes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/sources/crs-report/v2/original/").status_code == 404


def test_a_changed_pdf_becomes_a_version_and_citations_follow(report, editor):
    selection = selection_find(source=report, quote=PAGE_3_QUOTE)
    claim = claim_create_from_selection(by=editor, selection=selection,
                                        fields=ClaimFields(statement="Hamas's political bureau is in Qatar."))
    again = source_import(data=fixture("report-footnotes.pdf"), name="report-footnotes.pdf",
                          metadata={"slug": "crs-report"})
    assert again.status == "unchanged"
    # The two-column PDF under the same slug: a new version; the quote is not in it: orphaned, kept.
    result = source_import(data=fixture("two-columns.pdf"), name="two-columns.pdf", metadata={"slug": "crs-report"})
    assert result.status == "version" and result.reanchored["orphaned"] >= 1
    assert Page.objects.filter(source=result.source).count() == 2
    assert Citation.objects.get(claim=claim).anchoring == "orphaned"


def test_refused_pdfs_write_nothing(db, db_snapshot):
    before = db_snapshot()
    for name in ("encrypted.pdf", "scanned.pdf"):
        with pytest.raises(ImportRefused):
            source_import(data=fixture(name), name=name)
    assert db_snapshot() == before


def test_admin_preview_shows_pages_and_found_metadata(db, client):
    admin = UserFactory(username="pdf-admin", is_staff=True, permissions=("add_source", "view_source"))
    client.force_login(admin)
    upload = io.BytesIO(fixture("report-footnotes.pdf"))
    upload.name = "report-footnotes.pdf"
    response = client.post("/admin/kb/source/import/", {"file": upload, "kind": "government", "reliability": "A"})
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "<th scope=\"row\">Pages</th><td>5;" in page
    assert "author: <span dir=\"auto\">Jim Zanotti</span>" in page
    assert "3 footnotes" in page and "5 running header or footer" in page
