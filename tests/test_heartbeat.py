"""A streamed export reports progress to gunicorn's master (kb/heartbeat.py), so a download
longer than the worker timeout is not cut off mid-file. The end-to-end check is in
docs/deploy.md (gunicorn with GUNICORN_TIMEOUT=5 streams a million-claim CSV for 50 s, whole):
it takes a minute and a large corpus, so it is not part of the suite."""
import pytest

from kb import heartbeat


class Worker:
    """What gunicorn's worker offers the heartbeat: notify() touches its heartbeat file."""

    def __init__(self):
        self.reports = 0

    def notify(self):
        self.reports += 1


@pytest.fixture
def worker(monkeypatch):
    # Importing the gunicorn settings sets a default statement timeout in os.environ, which the
    # tests that start manage.py would inherit: set here, it is undone after the test.
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "")
    from kb import gunicorn_conf

    worker = Worker()
    monkeypatch.setattr(heartbeat, "_worker", None)
    gunicorn_conf.post_fork(None, worker)  # as gunicorn calls it in each new worker
    yield worker
    heartbeat.attach(None)


def test_each_worker_is_attached_after_it_forks(worker):
    assert heartbeat._worker is worker


def test_the_parts_pass_unchanged_and_report_only_as_often_as_the_interval(worker, monkeypatch):
    assert list(heartbeat.kept_alive(iter(["a", "b", "c"]))) == ["a", "b", "c"]
    assert worker.reports == 0  # well inside a second
    monkeypatch.setattr(heartbeat, "INTERVAL", 0)
    assert list(heartbeat.kept_alive(iter(["a", "b", "c"]))) == ["a", "b", "c"]
    assert worker.reports == 3


def test_nothing_is_reported_outside_gunicorn(monkeypatch):
    monkeypatch.setattr(heartbeat, "_worker", None)
    monkeypatch.setattr(heartbeat, "INTERVAL", 0)
    assert list(heartbeat.kept_alive(iter(["a"]))) == ["a"]


def test_a_download_reports_as_its_pieces_go_out(worker, monkeypatch, client, curated):
    monkeypatch.setattr(heartbeat, "INTERVAL", 0)
    body = b"".join(client.get("/claims/export.csv").streaming_content)
    assert body.count(b"\n") > 300 and worker.reports >= 1
