"""Benchmark the import of a long text PDF (goal: 200 pages in under 30 s on two cores).

Builds a PDF of `--pages` pages of public-domain report text (reportlab: `pip install
'.[fixtures]'`), with a running header and page numbers on every page and a heading every
few pages, then imports it into a fresh SQLite database through `source_import`: reading
the PDF (pdfminer.six's layout analysis), structure, store, copy check and candidate claims,
and prints each stage's time and the reader page's time.

    python scripts/bench_pdf.py [--pages 200]
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "fixtures" / "gold"
PUBLIC_DOMAIN = (
    "crs-hamas-background-current-status-us-policy", "voa-us-imposes-new-sanctions-on-hamas",
    "state-dept-press-briefing-2019-05-29-excerpts", "state-dept-press-briefing-2023-11-21",
)


def long_pdf(pages: int, path: Path) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    paragraphs = []
    for slug in PUBLIC_DOMAIN:
        text = (GOLD / f"{slug}.txt").read_text(encoding="utf-8")
        paragraphs += [" ".join(p.split()) for p in text.split("\n") if len(p.split()) > 6]
    story = []
    for page in range(pages):
        if page % 5 == 0:
            story.append(Paragraph(f"Part {page // 5 + 1}", styles["Heading2"]))
        # About a page of prose: numbered so no two pages are the same text.
        for index in range(6):
            paragraph = paragraphs[(page * 6 + index) % len(paragraphs)]
            story.append(Paragraph(f"({page + 1}.{index + 1}) {paragraph}"[:900].replace("&", "&amp;")
                                   .replace("<", "&lt;"), styles["BodyText"]))
        story.append(PageBreak())

    def decorate(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 750, "Benchmark report · public-domain text")
        canvas.drawRightString(540, 40, f"Page {doc.page}")

    SimpleDocTemplate(str(path), pagesize=letter).build(story, onFirstPage=decorate, onLaterPages=decorate)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="claimbook-bench-pdf-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"  # never the shared database
    os.environ["DJANGO_SETTINGS_MODULE"] = "kb.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from kb.services.sources import source_import

    call_command("migrate", verbosity=0)
    call_command("bootstrap", verbosity=0)  # other sources, so the copy check has work to do
    pdf = folder / "long.pdf"
    long_pdf(args.pages, pdf)
    data = pdf.read_bytes()
    began = time.perf_counter()
    result = source_import(data=data, name="long.pdf", metadata={"slug": "long-pdf"})
    seconds = time.perf_counter() - began
    print(f"import: {len(data) / 1024:.0f} KB PDF, {result.pages} pages, {result.characters:,} characters, "
          f"{result.sections} sections, {result.passages} passages ({result.boilerplate} boilerplate) "
          f"in {seconds:.2f} s")
    print("import: stages: " + ", ".join(f"{stage} {spent:.2f} s" for stage, spent in result.timings.items()))
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/sources/long-pdf/")
    began = time.perf_counter()
    response = client.get("/sources/long-pdf/")
    print(f"reader /sources/long-pdf/: {(time.perf_counter() - began) * 1000:.0f} ms "
          f"({len(response.content):,} bytes)")
    print(f"database: {folder}/bench.sqlite3")


if __name__ == "__main__":
    main()
