"""Build the small documents in fixtures/formats/ that the import tests read.

Run once, after changing it: `python scripts/make_format_fixtures.py` (needs reportlab and
python-docx: `pip install '.[fixtures]'`). The outputs are committed, so the tests need
neither library. Every text is public domain: US government works from fixtures/gold/ (a
Congressional Research Service report, State Department briefings, a VOA news story).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "gold"
OUT = ROOT / "fixtures" / "formats"

# A sentence the tests know is printed on page 3 of report-footnotes.pdf.
PAGE_3_QUOTE = "Hamas's political bureau has been based in Qatar since 2012"


def paragraphs(slug: str) -> list[str]:
    text = (GOLD / f"{slug}.txt").read_text(encoding="utf-8")
    return [" ".join(p.split()) for p in text.split("\n") if len(p.split()) > 6]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_with_footnotes(path: Path) -> None:
    """Five pages: a running header and 'Page N of 5' on each, headings, footnotes at the foot."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    crs = paragraphs("crs-hamas-background-current-status-us-policy")
    voa = paragraphs("voa-us-imposes-new-sanctions-on-hamas")
    state = paragraphs("state-dept-press-briefing-2019-05-29-excerpts")
    footnotes = {
        1: "1 Congressional Research Service, In Focus IF12549, October 23, 2024.",
        3: "2 See the U.S. Department of the Treasury press release of October 18, 2023.",
        4: "3 Department of State, Department Press Briefing, May 29, 2019.",
    }
    pages = [
        [("Heading1", "Hamas: Background and U.S. Policy"), ("Heading2", "Origins and Leadership"),
         *[("BodyText", p) for p in crs[:2]]],
        [("Heading2", "Current Status"), *[("BodyText", p) for p in state[3:6]]],
        [("Heading2", "Sanctions"), ("BodyText", PAGE_3_QUOTE + ", according to U.S. officials."),
         *[("BodyText", p) for p in voa[:2]]],
        [("Heading2", "Statements"), *[("BodyText", p) for p in state[:3]]],
        [("Heading2", "Outlook"), *[("BodyText", p) for p in voa[2:4]]],
    ]
    story = []
    for number, page in enumerate(pages, start=1):
        for style, text in page:
            story.append(Paragraph(_escape(text), styles[style]))
        if number < len(pages):
            story.append(PageBreak())

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 750, "Congressional Research Service · Hamas: Background and U.S. Policy")
        canvas.drawRightString(540, 40, f"Page {doc.page} of {len(pages)}")
        note = footnotes.get(doc.page)
        if note:
            canvas.setFont("Helvetica", 7)
            canvas.line(72, 78, 200, 78)
            canvas.drawString(72, 66, note)
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=letter, topMargin=72, bottomMargin=100,
                            title="Hamas: Background and U.S. Policy", author="Jim Zanotti")
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


def two_columns(path: Path) -> None:
    """Two pages in two columns: the text must read down the left column, then the right."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    styles = getSampleStyleSheet()
    width, height = letter
    gap, margin = 18, 54
    column = (width - 2 * margin - gap) / 2
    frames = [Frame(margin, margin, column, height - 2 * margin, id="left"),
              Frame(margin + column + gap, margin, column, height - 2 * margin, id="right")]
    doc = BaseDocTemplate(str(path), pagesize=letter, title="US imposes new sanctions on Hamas",
                          author="VOA News")
    doc.addPageTemplates([PageTemplate(id="columns", frames=frames)])
    story = [Paragraph("US Imposes New Sanctions on Hamas", styles["Heading1"])]
    for paragraph in (paragraphs("voa-us-imposes-new-sanctions-on-hamas")
                      + paragraphs("crs-hamas-background-current-status-us-policy")
                      + paragraphs("state-dept-press-briefing-2019-05-29-excerpts")):
        story.append(Paragraph(_escape(paragraph), styles["BodyText"]))
    doc.build(story)


def encrypted(path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), encrypt=StandardEncryption("secret", ownerPassword="owner"))
    canvas.drawString(72, 700, "A confidential memorandum that needs a password.")
    canvas.save()


def scanned(path: Path) -> None:
    """A page that is only a picture: no text layer."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    for y in range(100, 700, 12):
        canvas.rect(72, y, 400, 6, fill=1)
    canvas.save()


FOOTNOTES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>Congressional Research Service, In Focus IF12549.</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:t>U.S. Department of the Treasury, press release, October 18, 2023.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def _add_footnotes(path: Path) -> None:
    """python-docx writes no footnotes: add the part, its relationship and content type."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/footnotes.xml"] = FOOTNOTES_XML.encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/footnotes" Target="footnotes.xml"/></Relationships>')).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"/></Types>')).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))  # the same bytes every run
            target.writestr(info, body, zipfile.ZIP_DEFLATED)


def word_document(path: Path) -> None:
    """Title, headings, paragraphs, a bulleted list, a table, a reviewer's comment, footnotes."""
    import docx

    crs = paragraphs("crs-hamas-background-current-status-us-policy")
    voa = paragraphs("voa-us-imposes-new-sanctions-on-hamas")
    document = docx.Document()
    document.core_properties.title = "Hamas: Background and U.S. Policy (briefing notes)"
    document.core_properties.author = "Congressional Research Service"
    document.add_paragraph("Hamas: Background and U.S. Policy", style="Title")
    document.add_paragraph("Origins", style="Heading 1")
    first = document.add_paragraph(crs[0])
    document.add_paragraph("Designations", style="Heading 1")
    document.add_paragraph("Sanctions in 2023", style="Heading 2")
    document.add_paragraph(voa[0])
    for item in ("Office of Foreign Assets Control designations", "State Department Rewards for Justice",
                 "Coordination with the United Kingdom"):
        document.add_paragraph(item, style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Year", "Measure", "Agency"),
                                       ("1997", "Foreign Terrorist Organization", "State"),
                                       ("2023", "Financial sanctions", "Treasury")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    document.add_paragraph(voa[1])
    document.add_comment(first.runs, text="Check the founding date against the charter.", author="Reviewer")
    document.save(str(path))
    _add_footnotes(path)


def renamed_zip(path: Path) -> None:
    """A zip of two text files, named .docx."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("notes.txt", date_time=(2024, 1, 1, 0, 0, 0)), "Some notes.")
        archive.writestr(zipfile.ZipInfo("more.txt", date_time=(2024, 1, 1, 0, 0, 0)), "More notes.")


def email_with_attachment(path: Path) -> None:
    """A reply with a quoted message and a signature, a text attachment and a picture."""
    from email.message import EmailMessage

    voa = paragraphs("voa-us-imposes-new-sanctions-on-hamas")
    message = EmailMessage()
    message["From"] = "Press Office <press@example.gov>"
    message["To"] = "Research Desk <desk@example.org>"
    message["Date"] = "Fri, 03 Nov 2023 14:05:00 -0400"
    message["Subject"] = "Re: Treasury sanctions on Hamas financiers"
    message["Message-ID"] = "<fixture-1@example.gov>"
    message.set_content(
        f"{voa[0]}\n\n{voa[1]}\n\n"
        "On Thu, 2 Nov 2023 at 09:12, Research Desk <desk@example.org> wrote:\n"
        "> Can you confirm the figures in yesterday's release?\n"
        "> We would like to cite the Treasury statement.\n\n"
        "-- \nPress Office\nexample.gov\n"
    )
    briefing = (GOLD / "state-dept-press-briefing-2019-05-29-excerpts.txt").read_bytes()
    message.add_attachment(briefing, maintype="text", subtype="plain",
                           filename="press-briefing-2019-05-29.txt")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png",
                           filename="logo.png")
    path.write_bytes(bytes(message))


def saved_news_page(path: Path) -> None:
    """A news page as a browser saves it: navigation, a cookie banner, share buttons, related
    links and comments around the article; its metadata in JSON-LD, OpenGraph and <meta>."""
    import html
    import json

    voa = paragraphs("voa-us-imposes-new-sanctions-on-hamas")
    json_ld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": "US Imposes New Sanctions on Hamas",
        "datePublished": "2023-10-27T18:04:00-04:00",
        "author": [{"@type": "Person", "name": "VOA News"}],
        "publisher": {"@type": "Organization", "name": "Voice of America"},
    })
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in voa[:4])
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>US Imposes New Sanctions on Hamas | VOA</title>
<meta property="og:title" content="US Imposes New Sanctions on Hamas">
<meta property="og:site_name" content="Voice of America">
<meta property="og:url" content="https://www.voanews.com/a/us-imposes-new-sanctions-on-hamas/7329335.html">
<meta property="article:published_time" content="2023-10-27T22:04:00Z">
<meta name="author" content="VOA News">
<script type="application/ld+json">{json_ld}</script>
</head><body>
<div id="cookie-consent" class="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p><button>Accept</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<main>
<article>
<h1>US Imposes New Sanctions on Hamas</h1>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
{body}
<section class="related-stories"><h2>Related</h2><ul><li><a href="/a/1">Israel strikes Gaza</a></li><li><a href="/a/2">Hamas leaders in Qatar</a></li></ul></section>
</article>
<section id="comments"><h2>Comments</h2><p>Great article, thanks for sharing this with everyone!</p></section>
</main>
<footer><p>Voice of America, 330 Independence Avenue SW</p></footer>
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def main() -> int:
    from reportlab import rl_config

    rl_config.invariant = 1  # no timestamps or random ids: the same PDFs on every run
    OUT.mkdir(parents=True, exist_ok=True)
    report_with_footnotes(OUT / "report-footnotes.pdf")
    two_columns(OUT / "two-columns.pdf")
    encrypted(OUT / "encrypted.pdf")
    scanned(OUT / "scanned.pdf")
    word_document(OUT / "briefing.docx")
    renamed_zip(OUT / "renamed-zip.docx")
    email_with_attachment(OUT / "reply-with-attachment.eml")
    saved_news_page(OUT / "voa-news-page.html")
    for made in sorted(OUT.iterdir()):
        print(f"{made.relative_to(ROOT)}: {made.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
