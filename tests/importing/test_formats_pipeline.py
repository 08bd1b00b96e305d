"""Every format goes through the same pipeline once its text is extracted: the ranges tile the
stored text, candidates quote it exactly, a selection becomes a claim, and the same file
again stores nothing."""
from pathlib import Path

import pytest

from kb.models import Citation, Claim, Page, Passage, Section
from kb.selectors.selection import selection_find
from kb.services.claims import ClaimFields, claim_create_from_selection
from kb.services.sources import source_import

FORMATS = Path(__file__).resolve().parent.parent.parent / "fixtures" / "formats"

CASES = [
    ("report-footnotes.pdf", "pdf", "Hamas's political bureau has been based in Qatar since 2012"),
    ("two-columns.pdf", "pdf", "target Hamas financial networks"),
    ("briefing.docx", "docx", "Hamas (or the Islamic Resistance Movement) is a Palestinian Sunni Islamist"),
    ("reply-with-attachment.eml", "email", "announced a second round of sanctions Friday"),
    ("voa-news-page.html", "html", "Gaza-based organization that funneled illicit funds from Iran"),
]


@pytest.mark.parametrize("name, fmt, quote", CASES)
def test_each_format_is_stored_as_ranges_over_its_text_and_cited_exactly(db, editor, name, fmt, quote):
    data = (FORMATS / name).read_bytes()
    result = source_import(data=data, name=name, metadata={"slug": f"format-{fmt}-{len(data)}"})
    source = result.source
    assert result.status == "created" and source.format == fmt and len(source.text) == source.text_length
    passages = list(Passage.objects.filter(source=source).order_by("order").values_list("start", "end"))
    assert passages[0][0] == 0 and passages[-1][1] == len(source.text)
    assert all(a[1] == b[0] for a, b in zip(passages, passages[1:]))  # they tile the text
    for section in Section.objects.filter(source=source):
        assert 0 <= section.heading_start < section.heading_end <= section.end <= len(source.text)
    pages = list(Page.objects.filter(source=source).order_by("number").values_list("start", "end"))
    if fmt == "pdf":
        assert pages[0][0] == 0 and pages[-1][1] == len(source.text)
    else:
        assert pages == []
    for citation in Citation.objects.filter(source=source):  # the candidates the import mined
        assert source.text[citation.start:citation.end] == citation.quote
    assert Claim.objects.filter(citations__source=source, status=Claim.Status.CANDIDATE).exists()
    claim = claim_create_from_selection(by=editor, selection=selection_find(source=source, quote=quote),
                                        fields=ClaimFields(statement=f"A statement from the {fmt} file."))
    citation = claim.citations.get()
    assert source.text[citation.start:citation.end] == citation.quote
    assert " ".join(citation.quote.split()) == quote  # a PDF's line breaks stay in the quote
    again = source_import(data=data, name=name, metadata={"slug": source.slug})
    assert again.status == "unchanged"
