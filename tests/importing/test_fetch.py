"""Web pages by address: fetched by the job worker or the command from a local test server
(the tests never reach the internet), with the page's own metadata, and refused when the
address is private, redirects to one, never answers, is too large or robots.txt says no."""
import io
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kb.importing.decode import ImportRefused
from kb.importing.fetch import FetchFailed, Policy, fetch_url
from kb.importing.prepare import prepare
from kb.models import ImportJob, Source
from kb.services.jobs import url_job_create
from tests.factories import UserFactory

FORMATS = Path(__file__).resolve().parent.parent.parent / "fixtures" / "formats"
NEWS = (FORMATS / "voa-news-page.html").read_bytes()
BIG = 50 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    robots = b"User-agent: *\nDisallow: /private/\n"

    def log_message(self, *args):
        pass

    def _send(self, body: bytes, content_type="text/html; charset=utf-8", status=200, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("User-Agent", "")))
        if self.path == "/robots.txt":
            return self._send(self.robots, "text/plain")
        if self.path in ("/news.html", "/private/page.html"):
            return self._send(NEWS)
        if self.path == "/to-news":
            return self._send(b"", status=302, headers=[("Location", "/news.html")])
        if self.path == "/to-metadata":
            return self._send(b"", status=302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")])
        if self.path == "/to-ten":
            return self._send(b"", status=301, headers=[("Location", "http://10.0.0.1/")])
        if self.path == "/big":  # 50 MB with no Content-Length: read until the limit, then stop
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            try:
                for _ in range(BIG // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if self.path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
            return None
        if self.path == "/missing":
            return self._send(b"gone", status=404)
        return self._send(b"", status=404)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def silent():
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def base(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


LOCAL = Policy(allowed=("127.0.0.1",), max_bytes=10 * 1024 * 1024, timeout=5, user_agent="Claimbook-test/1")


def test_a_page_is_fetched_with_a_clear_user_agent_after_robots_txt(server):
    fetched = fetch_url(f"{base(server)}/to-news", LOCAL)
    assert fetched.data == NEWS and fetched.final_url == f"{base(server)}/news.html"
    assert [path for path, _agent in server.seen] == ["/robots.txt", "/to-news", "/news.html"]
    assert {agent for _path, agent in server.seen} == {"Claimbook-test/1"}


@pytest.mark.parametrize("path, code, words", [
    ("/private/page.html", "robots", "robots.txt does not allow"),
    ("/to-metadata", "private_address", "169.254.169.254, a local or private address"),
    ("/to-ten", "private_address", "10.0.0.1, a local or private address"),
    ("/big", "too_large", "sends more than 10,485,760 bytes"),
    ("/big-declared", "too_large", "is 52,428,800 bytes, over the 10,485,760-byte limit"),
    ("/missing", "http_error", "answered HTTP 404"),
])
def test_refusals(server, path, code, words):
    with pytest.raises(ImportRefused) as refused:
        fetch_url(base(server) + path, LOCAL)
    assert refused.value.code == code and words in refused.value.message


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:9/", "127.0.0.1, a local or private address"),
    ("http://localhost:9/", "resolves to"),
    ("http://[::1]:9/", "::1, a local or private address"),
    ("http://0.0.0.0:9/", "0.0.0.0, a local or private address"),
    ("ftp://example.org/file", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("http://user:secret@example.org/", "user name or password"),
])
def test_local_addresses_and_other_schemes_are_refused_without_a_connection(url, words):
    with pytest.raises(ImportRefused) as refused:
        fetch_url(url, Policy(timeout=2, robots=False))
    assert words in refused.value.message


def test_an_address_that_never_answers_gives_up_in_time(silent):
    with pytest.raises(FetchFailed) as failed:
        fetch_url(f"http://127.0.0.1:{silent}/", Policy(allowed=("127.0.0.1",), timeout=0.5, robots=False))
    assert failed.value.code == "timeout" and "did not answer within 0.5 seconds" in failed.value.message


def test_robots_can_be_switched_off(server):
    fetched = fetch_url(f"{base(server)}/private/page.html", Policy(allowed=("127.0.0.1",), robots=False, timeout=5))
    assert fetched.data == NEWS and [p for p, _ in server.seen] == ["/private/page.html"]


# ---- a saved page, and pages by address through the job and the command -------------------


def test_a_saved_news_page_keeps_its_article_and_its_metadata():
    prepared = prepare(NEWS, "voa-news-page.html")
    assert prepared.metadata == {
        "title": "US Imposes New Sanctions on Hamas", "author": "VOA News", "publisher": "Voice of America",
        "published": "2023-10-27", "url": "https://www.voanews.com/a/us-imposes-new-sanctions-on-hamas/7329335.html",
    }
    for left_out in ("cookies", "Share on", "Israel strikes Gaza", "Great article", "Independence Avenue", "World"):
        assert left_out not in prepared.text
    assert prepared.text.startswith("# US Imposes New Sanctions on Hamas\n\nThe U.S. Treasury Department")


@pytest.fixture
def fetch_settings(settings):
    settings.CLAIMBOOK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CLAIMBOOK_FETCH_TIMEOUT = 5
    return settings


def test_a_url_job_fetches_in_the_worker_and_records_address_and_time(db, server, fetch_settings, django_capture_on_commit_callbacks):
    url = f"{base(server)}/news.html"
    with django_capture_on_commit_callbacks(execute=True):
        job = url_job_create(url=url, metadata={"kind": "news", "reliability": "B"})
    job.refresh_from_db()
    assert job.status == "done", job.error
    source = Source.objects.get(pk=job.source_id)
    assert source.url == url and source.retrieved is not None
    assert source.title == "US Imposes New Sanctions on Hamas" and source.publisher == "Voice of America"
    assert source.published_edtf == "2023-10-27" and source.format == "html"
    assert job.stages["fetch"]["state"] == "done" and job.counts["final_url"] == url
    assert job.data is None  # the bytes go once stored


def test_a_url_job_to_a_private_address_fails_and_writes_no_source(db, server, fetch_settings, db_snapshot, django_capture_on_commit_callbacks):
    before = Source.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job = url_job_create(url=f"{base(server)}/to-metadata")
    job.refresh_from_db()
    assert job.status == "failed" and "169.254.169.254" in job.error and not job.retryable
    assert Source.objects.count() == before


def test_a_url_job_that_times_out_may_be_retried(db, silent, fetch_settings, django_capture_on_commit_callbacks):
    fetch_settings.CLAIMBOOK_FETCH_TIMEOUT = 0.5
    fetch_settings.CLAIMBOOK_FETCH_ROBOTS = False
    with django_capture_on_commit_callbacks(execute=True):
        job = url_job_create(url=f"http://127.0.0.1:{silent}/")
    job.refresh_from_db()
    assert job.status == "failed" and "did not answer" in job.error and job.retryable


def test_the_import_page_queues_an_address_without_fetching_it(db, client, fetch_settings, server,
                                                              django_capture_on_commit_callbacks):
    admin = UserFactory(username="url-admin", is_staff=True, permissions=("add_source", "view_source"))
    client.force_login(admin)
    url = f"{base(server)}/news.html"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/admin/kb/source/import/", {"address": url, "kind": "news", "reliability": "C"})
    assert response.status_code == 302
    # Nothing was fetched during the request: the page was asked for once the job ran.
    assert server.seen == []
    for callback in queued:
        callback()
    job = ImportJob.objects.get(url=url)
    assert job.status == "done" and Source.objects.filter(url=url).exists()
    status = client.get(response["Location"]).content.decode()
    assert "fetch" in status


def test_the_command_imports_an_address(db, server, fetch_settings):
    out = io.StringIO()
    call_command("import_source", "--url", f"{base(server)}/news.html", stdout=out)
    assert "us-imposes-new-sanctions-on-hamas: imported" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("import_source", "--url", f"{base(server)}/to-ten", stdout=io.StringIO(),
                     stderr=io.StringIO())
