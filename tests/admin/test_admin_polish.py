"""The admin's import path (issue 11, minor items): a link on the admin's home page, each
import page's heading once, en dashes kept as hyphens in slugs, and a finished import that
counts its candidates and links to the review queue."""
import re

from tests.admin.test_import_jobs_page import confirmed, doc

IMPORT_URL = "/admin/kb/source/import/"


def test_admin_home_links_to_import_documents(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert f'href="{IMPORT_URL}"' in html and "Import documents" in html


def test_import_pages_show_their_heading_once(admin_client):
    html = admin_client.get(IMPORT_URL).content.decode()
    assert len(re.findall(r"<h1[^>]*>\s*Import a document\s*</h1>", html)) == 1
    status = admin_client.get(confirmed(admin_client)["Location"]).content.decode()
    assert len(re.findall(r"<h1[^>]*>\s*Import status\s*</h1>", status)) == 1


def test_an_en_dash_in_the_title_stays_a_hyphen_in_the_slug(admin_client):
    from kb.models import Source

    confirmed(admin_client, data=doc("Turkey–Hamas relations"), name="th.md")
    assert Source.objects.filter(slug="turkey-hamas-relations").exists()


def test_finished_import_counts_candidates_and_links_to_review(admin_client):
    html = admin_client.get(confirmed(admin_client)["Location"]).content.decode()
    summary = re.search(r'<p id="import-summary"[^>]*>(.*?)</p>', html, re.S)[1]
    assert re.search(r"\d+ candidate claims? proposed", summary)
    if "0 candidate claims proposed" not in summary:
        assert 'href="/review/"' in summary
