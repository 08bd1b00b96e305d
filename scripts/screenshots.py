"""Screenshots of the main pages at desktop and phone widths, for the README and docs/.

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR]
  BASE_URL defaults to http://127.0.0.1:8000, OUT_DIR to docs/screenshots.
  Needs a running server with the seed data (`manage.py bootstrap`) and /usr/bin/chromium.
  The review queue is taken as an editor: CLAIMBOOK_SCREENSHOT_USER and
  CLAIMBOOK_SCREENSHOT_PASSWORD name one (skipped when unset). The reader's side notes are
  taken when the article has annotations (skipped when it has none).

Each PNG is reduced to a 256-colour palette so it stays small in the repository; the script
prints each file's size and any sideways overflow (a page wider than the screen).
"""
import io
import os
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
READER = "/sources/iranian-support-for-hamas/"
BLOG = "/sources/hamas-iran-unraveling-a-complex-relationship/"


def _claim_with_relations(page, base) -> str:
    """A claim page worth showing: the first claim the list's first row links to."""
    page.goto(base + "/claims/?q=tunnels")
    return page.locator(".claim-row a.claim-statement").first.get_attribute("href")


def _reader_with_popover(page, base):
    page.goto(base + READER)
    mark = page.locator("article.reader mark[data-citation]").nth(4)
    # A third of the way down the screen, so the popover below it is in the picture.
    mark.evaluate("(element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 260)")
    mark.click()
    page.locator("#hl-pop").wait_for()


def _reader_notes(page, base) -> bool:
    """The reader at its first side note, when the server has annotations on it (else skipped)."""
    page.goto(base + READER)
    note = page.locator(".side-notes .annotation")
    if not note.count():
        return False
    words = page.locator(f'.an-mark[data-note="{note.first.get_attribute("data-note")}"]').first
    words.evaluate("(element) => element.scrollIntoView({block: 'center'})")
    return True


def _save(png: bytes, path: Path) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    return path.stat().st_size


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    user, password = os.environ.get("CLAIMBOOK_SCREENSHOT_USER"), os.environ.get("CLAIMBOOK_SCREENSHOT_PASSWORD")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            claim = _claim_with_relations(page, base)
            shots = {
                "reader": lambda: _reader_with_popover(page, base),
                "reader-copy": lambda: page.goto(base + BLOG),
                "claims": lambda: page.goto(base + "/claims/"),
                "claims-search": lambda: page.goto(base + "/claims/?q=kilometers+tunnels"),
                "reader-notes": lambda: _reader_notes(page, base),
                "claim": lambda: page.goto(base + claim),
                "timeline": lambda: page.goto(base + "/timeline/"),
                "sources": lambda: page.goto(base + "/sources/"),
            }
            for name, show in shots.items():
                if show() is False:
                    print(f"{name}-{size}: skipped (nothing to show on this server)")
                    continue
                _shoot(page, out / f"{name}-{size}.png")
            if user and password:
                page.goto(base + "/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", password)
                page.click("main button[type=submit]")
                page.goto(base + "/review/")
                if page.locator(".review-actions summary").count():
                    page.locator(".review-actions summary").first.click()
                _shoot(page, out / f"review-{size}.png")
            context.close()
        browser.close()


def _shoot(page, path: Path):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    size = _save(page.screenshot(full_page=False), path)
    print(f"{path}: {size // 1024} KB, horizontal overflow {overflow}px")


if __name__ == "__main__":
    main()
