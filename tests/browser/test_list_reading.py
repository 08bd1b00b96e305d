"""What a researcher sees on the claim list and a claim page (issue 11, minor items): a search's
words marked with the quote they are in, the page's order kept by its downloads (and "CSV for
Excel" with a byte-order mark), a claim's date in words, quote context without markup.

Drives the system Chromium through Playwright; skipped when it is missing (see conftest).
"""
import csv
import io

import pytest

from kb.models import Citation

from tests.browser.conftest import DESKTOP, PHONE


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_search_marks_its_words_and_shows_the_quote_they_are_in(browse, viewport):
    page = browse(viewport)
    page.goto("/claims/?q=kilometers+tunnels")
    marks = page.locator(".claim-statement mark.hit")
    assert marks.count() >= 1 and marks.first.is_visible()
    assert marks.first.inner_text().lower().startswith("tunnel")
    quote = page.locator(".match-quote").first
    assert quote.is_visible() and "kilomet" in quote.locator("mark.hit").first.inner_text().lower()
    box = quote.bounding_box()
    assert box["x"] + box["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    href = quote.locator("a").get_attribute("href")
    page.goto(href)
    assert page.locator("mark.hl-marked").first.is_visible()


def test_the_csv_for_excel_link_downloads_the_pages_order_with_a_byte_order_mark(browse):
    page = browse(DESKTOP, accept_downloads=True)
    page.goto("/claims/?sort=-confidence&tag=tunnels")
    shown = [int(a.get_attribute("href").strip("/").rsplit("/", 1)[1])
             for a in page.locator(".claim-row a.claim-statement").all()]
    with page.expect_download() as download:
        page.click("text=CSV for Excel")
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    ordered = list(dict.fromkeys(int(r["claim_id"]) for r in rows))
    cited = [pk for pk in shown if Citation.objects.filter(claim_id=pk).exists()]
    assert ordered == cited
    assert {"contested", "contradicts", "updated_by"} <= set(rows[0])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_claim_shows_its_date_in_words_and_its_context_as_text(browse, viewport):
    from kb.models import Claim
    dated = Claim.objects.filter(status="published", date_edtf__regex=r"^[0-9]{4}-[0-9]{2}$").first()
    marked = Citation.objects.filter(prefix__endswith="**", claim__status="published").first()
    page = browse(viewport)
    page.goto(f"/claims/{dated.pk}/")
    assert page.inner_text(".claim-date").split(" ")[0] in {
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December"}
    assert page.locator(".date-range").is_visible()
    page.goto(f"/claims/{marked.claim_id}/")
    blocks = page.locator(".citation blockquote").all()
    assert blocks
    for block in blocks:
        text = block.inner_text()
        assert "**" not in text and "==" not in text and "[[" not in text
    assert marked.quote.strip("*") in page.inner_text(".citations")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
