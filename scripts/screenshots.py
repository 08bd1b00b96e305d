"""Take screenshots of the main pages at desktop and phone widths (for the README and review).

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR]; needs a running server and /usr/bin/chromium.
"""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PAGES = {
    "home": "/", "claims": "/claims/?q=tunnels", "claim": "/claims/1/", "reader": "/sources/iranian-support-for-hamas/?claim=1",
    "blog": "/sources/hamas-iran-unraveling-a-complex-relationship/", "timeline": "/timeline/",
    "entity": "/entities/ismail-haniyeh/",
}
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "artifacts/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size, (w, h) in SIZES.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            for name, path in PAGES.items():
                page.goto(base + path)
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                page.screenshot(path=str(out / f"{name}-{size}.png"), full_page=False)
                print(f"{name}-{size}: horizontal overflow {overflow}px")
        browser.close()


if __name__ == "__main__":
    main()
