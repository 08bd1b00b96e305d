"""Benchmark Claimbook at scale, served as in production: per-page latency and query counts,
then the claim list's throughput against Datasette's lean table page and a one-view Django app.

    python scripts/bench_scale.py --claims 100000 --sources 1000            # SQLite
    python scripts/bench_scale.py --claims 1000000 --sources 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/cb_bench            # PostgreSQL
    python scripts/bench_scale.py ... --skip-build                            # measure again

1. Build (unless --skip-build): a fresh database (the SQLite file is replaced, the PostgreSQL
   database dropped and created), `migrate`, `bootstrap` (the two seed documents and the
   curated claims), then N claims, each with one citation in one of the S sources (a passage
   per claim, in a text made of the claims' sentences), two entities, one or two tags, and
   contradictions and copy links among them. They are ordinary rows (not `is_synthetic`): no
   page can hide them. Rows are written with COPY on PostgreSQL (with the big tables'
   secondary indexes dropped, then rebuilt, and foreign-key triggers off during the load) and
   with executemany on SQLite; then ANALYZE (VACUUM ANALYZE on PostgreSQL).
2. Pages: gunicorn (`kb.gunicorn_conf`, 2 workers) with DEBUG=0, a random SECRET_KEY,
   collected static files and CLAIMBOOK_PAGE_CACHE=0; each page is requested `--runs` times
   by one client over HTTP, after two warm-up requests: median and p95 in milliseconds. The
   query count of each page is taken in this process (Django's test client and
   CaptureQueriesContext) against the same database.
3. Throughput, side by side, 8 connections for `--seconds` each (wrk if installed, else a
   Python load generator): the claim list (100 rows a page), Datasette's table page over the
   same claim rows (`?_nofacet=1&_nocount=1&_size=100`, gunicorn with 2 uvicorn workers; on
   PostgreSQL the rows are first copied to a SQLite file for it), and a one-view Django app
   under the same gunicorn settings; printed with the ratios.
4. Exports (unless --skip-export): the whole knowledge base as CSV (a row per citation) and as
   JSON-LD (an item per claim) by `manage.py export_claims --output`, in a process of its own:
   rows per second, and its peak memory beside its memory before the export began; beside
   them, the same citation rows dumped by the database's own tool (psql's COPY, or Python's
   sqlite3 with csv.writer), which is what a user would otherwise reach for.
5. Import (unless --skip-import): a 20 KB document (12 KB of the seed article, then 8 KB of
   passages other sources hold, so the copy check finds shared runs) by `manage.py
   import_source`, in a process of its own: seconds and peak memory, the whole import (store,
   copy check, candidates and their matching). It adds one source to the measured database.

Datasette is only needed here: `pip install '.[bench]'`. The machine may be shared: throughput
figures are noisy, so compare the three targets of one run, not figures across runs.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
BIN = Path(sys.executable).parent
WORK = Path(tempfile.gettempdir()) / "claimbook-bench-scale"

ENTITY_KINDS = ["person", "organisation", "state", "place", "event"]
SOURCE_KINDS = ["encyclopedia", "news", "analysis", "blog", "government", "transcript", "other"]
CLAIM_KINDS = ["event", "quantity", "relationship", "statement", "assessment"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=1_000)
    parser.add_argument("--database-url", help="default: a SQLite file in the work folder")
    parser.add_argument("--seconds", type=int, default=10, help="per throughput target")
    parser.add_argument("--runs", type=int, default=20, help="requests per page")
    parser.add_argument("--skip-build", action="store_true", help="measure the database as it is")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--work", default=str(WORK), help="folder for the SQLite files, static files, logs")
    return parser.parse_args()


def configure(args) -> dict:
    """The environment of the served app and of this process: production settings, no page cache."""
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{work / 'claimbook.sqlite3'}"
    env = {
        "DJANGO_SETTINGS_MODULE": "kb.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # Plain HTTP on the loopback, no proxy: no redirect to HTTPS, cookies sent over HTTP.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(work / "static"),
        "CLAIMBOOK_PAGE_CACHE": "0",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_MAX_REQUESTS": "1000000",
        "GUNICORN_TIMEOUT": "120",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    return env


# ---- building the corpus ---------------------------------------------------------------------


def fresh_database(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(urlparse(url).path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Writer:
    """Rows into tables, fast: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.rows = 0

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        quoted = ", ".join(f'"{c}"' for c in columns)
        raw = self.connection.connection
        if self.postgres:
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            raw.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(columns))})', rows)
        self.rows += len(rows)


def _next_id(cursor, table: str) -> int:
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
    return cursor.fetchone()[0]


def _sentence(rng: random.Random, year: int, words) -> str:
    """A claim's sentence from seed_synthetic's words (`words`: that module), without its hedges."""
    obj = rng.choice(words.OBJECTS).format(n=rng.randint(2, 900))
    return f"In {year}, {rng.choice(words.ACTORS)} {rng.choice(words.VERBS)} {obj} {rng.choice(words.PLACES)}."


SECONDARY_INDEXES_SQL = """
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
"""
BIG_TABLES = ["kb_claim", "kb_citation", "kb_passage", "kb_claim_entities", "taggit_taggeditem", "kb_relation"]


def build(args) -> None:
    began = time.perf_counter()
    fresh_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    call_command("bootstrap", verbosity=0)
    print(f"build: migrate and bootstrap {time.perf_counter() - began:.1f}s", flush=True)
    loaded = time.perf_counter()
    writer = Writer(connection)
    dropped = []
    with transaction.atomic():
        cursor = connection.cursor()
        if writer.postgres:
            # The bench's own database: rebuild the big tables' indexes once instead of updating
            # them row by row, and check no foreign key row by row (the rows are built consistent).
            cursor.execute(SECONDARY_INDEXES_SQL, [BIG_TABLES])
            dropped = cursor.fetchall()
            for name, _ in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET session_replication_role = replica")
        _load(args, writer, cursor)
        if writer.postgres:
            cursor.execute("SET session_replication_role = DEFAULT")
            indexed = time.perf_counter()
            for _, definition in dropped:
                cursor.execute(definition)
            print(f"build: {len(dropped)} indexes rebuilt in {time.perf_counter() - indexed:.1f}s", flush=True)
            for table in ["kb_source", "kb_section", "kb_passage", "kb_claim", "kb_entity", "kb_citation",
                          "kb_claim_entities", "taggit_taggeditem", "kb_relation", "kb_sourcelink"]:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))")
        # The rows went in around the services: the counts they keep are rewritten once.
        from kb.services.counts import counts_recount_all

        counted = time.perf_counter()
        counts_recount_all()
        print(f"build: kept counts rewritten in {time.perf_counter() - counted:.1f}s", flush=True)
    cursor = connection.cursor()
    analysed = time.perf_counter()
    if writer.postgres:
        cursor.execute("VACUUM ANALYZE")  # outside the transaction: Django is in autocommit again
    else:
        cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - loaded
    print(f"build: {args.claims:,} claims, {writer.rows:,} rows in {elapsed:.1f}s "
          f"({args.claims / elapsed:,.0f} claims/s, {writer.rows / elapsed:,.0f} rows/s; "
          f"analyze {time.perf_counter() - analysed:.1f}s); total {time.perf_counter() - began:.1f}s", flush=True)


def _load(args, writer: Writer, cursor) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from taggit.models import Tag

    from kb.management.commands import seed_synthetic as words  # the same words, so `?q=tunnels` matches some
    from kb.models import Claim

    rng = random.Random(15)
    now = timezone.now()
    stamp = now if writer.postgres else now.replace(tzinfo=None)
    tag_ids = [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0].pk for name in words.TAGS]
    claim_type = ContentType.objects.get_for_model(Claim).pk

    n_entities = max(args.claims // 100, 10)
    entity_base = _next_id(cursor, "kb_entity")
    # Kept counts (claim_count, is_contested) start at zero; counts_recount_all sets them after the load.
    writer.write("kb_entity", ["id", "slug", "name", "kind", "aliases", "description", "is_synthetic", "wikidata_id",
                               "claim_count"], [
        (entity_base + i, f"bench-entity-{entity_base + i}", f"{ENTITY_KINDS[i % 5].title()} {entity_base + i}", ENTITY_KINDS[i % 5],
         "[]", "", False, "", 0)
        for i in range(n_entities)
    ])
    source_id = _next_id(cursor, "kb_source")
    section_id = _next_id(cursor, "kb_section")
    passage_id = _next_id(cursor, "kb_passage")
    claim_id = claim_base = _next_id(cursor, "kb_claim")
    per_source, extra = divmod(args.claims, args.sources)
    chunk: dict[str, list] = {}

    def flush():
        for table, (columns, rows) in chunk.items():
            writer.write(table, columns, rows)
        chunk.clear()

    def add(table, columns, row):
        chunk.setdefault(table, (columns, []))[1].append(row)

    source_cols = ["id", "slug", "version", "is_current", "title", "kind", "publisher", "author", "url",
                   "published_edtf", "published_earliest", "published_latest", "language", "reliability",
                   "reliability_note", "format", "encoding", "filename", "text", "text_length", "sha256",
                   "is_synthetic", "imported_at"]
    section_cols = ["id", "source_id", "order", "title", "level", "anchor", "heading_start", "heading_end", "start", "end"]
    passage_cols = ["id", "source_id", "section_id", "order", "kind", "anchor", "start", "end", "note"]
    claim_cols = ["id", "statement", "kind", "status", "origin", "date_edtf", "date_earliest", "date_latest",
                  "date_precision", "date_wording", "credibility", "rationale", "status_reason", "is_synthetic",
                  "created_at", "updated_at", "is_contested"]
    citation_cols = ["claim_id", "source_id", "passage_id", "order", "start", "end", "quote", "prefix", "suffix",
                     "attribution", "stance", "anchoring", "created_at"]
    link_cols = ["source_id", "target_id", "kind", "method", "shared_share", "evidence", "note", "created_at"]
    for s in range(args.sources):
        count = per_source + (1 if s < extra else 0)
        sid = source_id + s
        title = f"Field report {s}: {rng.choice(words.PLACES)}"
        heading = f"= {title} =\n\n"
        years = [rng.randint(1980, 2025) for _ in range(count)]
        sentences = [_sentence(rng, year, words) for year in years]
        text = heading + "\n\n".join(sentences) + "\n"
        published = rng.randint(1990, 2025)
        add("kb_source", source_cols, (
            sid, f"bench-{sid}", 1, True, title, SOURCE_KINDS[s % 7], "Bench press", "", "", str(published),
            dt.date(published, 1, 1), dt.date(published, 12, 31), "en", "ABCDEF"[s % 6], "", "plain", "utf-8",
            "", text, len(text), hashlib.sha256(text.encode()).hexdigest(), False, stamp,
        ))
        sec = section_id + s
        add("kb_section", section_cols, (sec, sid, 1, title, 1, "s-top", 0, len(heading.rstrip()), 0, len(text)))
        add("kb_passage", passage_cols, (passage_id, sid, sec, 1, "heading", "p-1", 0, len(heading), ""))
        passage_id += 1
        position = len(heading)
        for i, (year, sentence) in enumerate(zip(years, sentences)):
            end = position + len(sentence) + (2 if i + 1 < count else 1)
            add("kb_passage", passage_cols, (passage_id, sid, sec, i + 2, "paragraph", f"p-{i + 2}", position, end, ""))
            roll = rng.random()
            status = "candidate" if roll < 0.005 else "retracted" if roll < 0.01 else "published"
            updated = stamp - dt.timedelta(minutes=rng.randint(0, 500_000))
            add("kb_claim", claim_cols, (
                claim_id, sentence, CLAIM_KINDS[claim_id % 5], status, "import", str(year), dt.date(year, 1, 1),
                dt.date(year, 12, 31), "year", f"in {year}", rng.randint(1, 6), "", "", False, updated, updated, False,
            ))
            add("kb_citation", citation_cols, (
                claim_id, sid, passage_id, 1, position, position + len(sentence), sentence,
                text[max(0, position - 20):position], text[position + len(sentence):position + len(sentence) + 20],
                "", "states", "exact", stamp,
            ))
            first = rng.randrange(n_entities)
            for entity in {first, (first + 1 + rng.randrange(n_entities - 1)) % n_entities}:
                add("kb_claim_entities", ["claim_id", "entity_id"], (claim_id, entity_base + entity))
            for tag in rng.sample(tag_ids, rng.randint(1, 2)):
                add("taggit_taggeditem", ["tag_id", "content_type_id", "object_id"], (tag, claim_type, claim_id))
            if i and rng.random() < 0.01:
                add("kb_relation", ["from_claim_id", "to_claim_id", "type", "note"],
                    (claim_id, claim_id - 1, "contradicts", ""))
            passage_id += 1
            claim_id += 1
            position = end
        if s and s % 50 == 0:  # every fiftieth source repeats the one before it
            add("kb_sourcelink", link_cols, (sid, sid - 1, "derived_from", "detected", 0.6, "[]", "", stamp))
        if len(chunk.get("kb_claim", (None, []))[1]) >= 20_000:
            flush()
        if s and s % max(args.sources // 10, 1) == 0:
            print(f"build: {s:,} of {args.sources:,} sources, {claim_id - claim_base:,} claims", flush=True)
    flush()


# ---- serving and measuring --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn process (2 workers) on a port of its own; stopped by its own pid."""

    def __init__(self, name: str, argv: list[str], env: dict, port: int, work: Path, ready_path: str = "/"):
        self.name, self.port = name, port
        self.log = open(work / f"{name}.log", "w")
        self.process = subprocess.Popen(argv, env={**os.environ, **env}, cwd=str(ROOT),
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                status, _ = get(port, ready_path)
                if status < 500:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"{name} did not start: see {work / (name + '.log')}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def get(port: int, path: str, headers: dict | None = None, conn: http.client.HTTPConnection | None = None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        if own:
            conn.close()


def gunicorn_claimbook(env, work) -> Server:
    port = free_port()
    return Server("claimbook", [str(BIN / "gunicorn"), "-c", "python:kb.gunicorn_conf", "kb.wsgi"],
                  {**env, "PORT": str(port)}, port, work, ready_path="/healthz")


HELLO_APP = '''
"""One view, no middleware: what the same gunicorn serves when a request does nothing."""
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, SECRET_KEY="bench-" * 10,
                   MIDDLEWARE=[], INSTALLED_APPS=[])

urlpatterns = [path("", lambda request: HttpResponse("Hello"))]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
'''

DATASETTE_APP = '''
"""Datasette over one SQLite file, as an ASGI app for gunicorn's uvicorn workers."""
from datasette.app import Datasette

application = Datasette(files=[{path!r}], settings={{"num_sql_threads": 3}}).app()
'''


def gunicorn_module(name: str, source: str, env: dict, work: Path, worker_class: str | None = None) -> Server:
    folder = work / "apps"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(textwrap.dedent(source))
    port = free_port()
    argv = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
            "--chdir", str(folder)]
    if worker_class:
        argv += ["-k", worker_class]
    clean = {k: v for k, v in env.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    return Server(name, argv + [f"{name}:application"], {**clean, "PYTHONPATH": str(folder)}, port, work)


def sqlite_copy_of_claims(work: Path) -> Path:
    """The claim rows in a SQLite file for Datasette: the database itself on SQLite, a copy of
    the kb_claim table (every column) from PostgreSQL."""
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        return Path(connection.settings_dict["NAME"])
    path = work / "claims-for-datasette.sqlite3"
    path.unlink(missing_ok=True)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM kb_claim LIMIT 0")
        columns = [c.name for c in cursor.description]
    target = sqlite3.connect(path)
    target.execute(f'CREATE TABLE kb_claim ({", ".join(f"{c!r}" for c in columns)})')
    with transaction.atomic(), connection.connection.cursor(name="export") as cursor:
        cursor.itersize = 20_000
        cursor.execute(f"SELECT {', '.join(columns)} FROM kb_claim ORDER BY id")
        while rows := cursor.fetchmany(20_000):
            target.executemany(f"INSERT INTO kb_claim VALUES ({', '.join('?' * len(columns))})",
                               [tuple(str(v) if isinstance(v, (dt.date, dt.datetime)) else v for v in row)
                                for row in rows])
    target.commit()
    target.close()
    print(f"datasette: {path} written in {time.perf_counter() - began:.1f}s", flush=True)
    return path


def pages_to_measure() -> list[tuple[str, str, bool]]:
    """(name, url, signed in) for every page of the issue's list."""
    from kb.models import Claim, Entity, Source

    bench_claim = Claim.objects.filter(status="published", citations__source__slug__startswith="bench-").order_by("-id").values_list("id", flat=True).first()
    bench_source = Source.objects.filter(slug__startswith="bench-").order_by("-id").values_list("slug", flat=True).first()
    entity = Entity.objects.filter(slug__startswith="bench-").order_by("id").values_list("slug", flat=True).first()
    return [
        ("/", "/", False),
        ("/claims/", "/claims/", False),
        ("/claims/ page 200", "/claims/?page=200", False),
        ("/claims/ filtered", "/claims/?tag=funding&credibility=2&credibility=3&date_from=1990&date_to=2005", False),
        ("/claims/ sorted", "/claims/?sort=-confidence", False),
        ("/claims/?q=tunnels", "/claims/?q=tunnels", False),
        ("/claims/?q= rare", "/claims/?q=ceasefire+governor+exile", False),
        ("/claims/<curated>/", "/claims/1/", False),
        ("/claims/<bench>/", f"/claims/{bench_claim}/", False),
        ("/sources/", "/sources/", False),
        ("/sources/ page 100", "/sources/?page=100", False),
        ("/sources/<seed article>/", "/sources/iranian-support-for-hamas/?claim=1", False),
        ("/sources/<bench>/", f"/sources/{bench_source}/", False),
        ("/entities/", "/entities/", False),
        ("/entities/iran/", "/entities/iran/", False),
        ("/entities/<bench>/", f"/entities/{entity}/", False),
        ("/tags/funding/", "/tags/funding/", False),
        ("/timeline/", "/timeline/", False),
        ("/review/", "/review/", True),
        ("/admin/kb/claim/", "/admin/kb/claim/", True),
        ("/admin/kb/claim/<id>/change/", f"/admin/kb/claim/{bench_claim}/change/", True),
        ("/admin/kb/source/", "/admin/kb/source/", True),
        ("/admin/kb/source/<id>/change/", f"/admin/kb/source/{Source.objects.filter(slug=bench_source).values_list('id', flat=True).first()}/change/", True),
        ("/admin/kb/entity/", "/admin/kb/entity/", True),
    ]


def measure_pages(env, work, runs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(user)
    cookie = {"Cookie": f"sessionid={signed_in.cookies['sessionid'].value}"}
    anonymous = Client(HTTP_HOST="127.0.0.1")
    pages = pages_to_measure()
    server = gunicorn_claimbook(env, work)
    print(f"\npages: gunicorn, 2 workers, DEBUG=0, CLAIMBOOK_PAGE_CACHE=0, one client, {runs} requests each")
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    try:
        for name, url, login in pages:
            client = signed_in if login else anonymous
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            times = []
            for n in range(runs + 2):
                began = time.perf_counter()
                status, body = get(server.port, url, cookie if login else None, conn)
                if n >= 2:
                    times.append((time.perf_counter() - began) * 1000)
                assert status == 200, (url, status, body[:300])
            conn.close()
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"{name:34} {statistics.median(times):10.1f} {p95:8.1f} {len(queries):8d} {len(body) / 1024:6.0f}",
                  flush=True)
    finally:
        server.stop()


def load(port: int, path: str, seconds: int, connections: int = 8) -> tuple[float, int]:
    """(requests per second, errors) with wrk if installed, else Python threads."""
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
                              f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        return rate, (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
    done, failed = [0], [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop_at:
            try:
                status, _ = get(port, path, None, conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            with lock:
                done[0] += status == 200
                failed[0] += status != 200
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.perf_counter() - began), failed[0]


def measure_throughput(env, work, seconds: int) -> None:
    claims_db = sqlite_copy_of_claims(work)
    tool = "wrk -t2 -c8" if shutil.which("wrk") else "Python, 8 threads"
    print(f"\nthroughput: {tool}, {seconds}s each, 2 worker processes each, CLAIMBOOK_PAGE_CACHE=0")
    targets = [
        ("claimbook /claims/?per_page=100", lambda: gunicorn_claimbook(env, work), "/claims/?per_page=100"),
        ("datasette kb_claim, 100 rows", lambda: gunicorn_module(
            "datasette_app", DATASETTE_APP.format(path=str(claims_db)), env, work, "uvicorn.workers.UvicornWorker"),
         f"/{claims_db.stem}/kb_claim?_nofacet=1&_nocount=1&_size=100"),
        ("one-view Django app", lambda: gunicorn_module("hello_app", HELLO_APP, env, work), "/"),
    ]
    rates = {}
    for name, start, path in targets:
        server = start()
        try:
            status, body = get(server.port, path)
            assert status == 200, (name, status, body[:300])
            load(server.port, path, 2)  # warm both workers
            rate, errors = load(server.port, path, seconds)
        finally:
            server.stop()
        rates[name] = rate
        print(f"{name:34} {rate:10.1f} req/s  ({errors} errors, {len(body) / 1024:.0f} KB a page)", flush=True)
    ours, datasette, hello = rates.values()
    print(f"claim list / Datasette: {ours / datasette:.2f}x   claim list / one-view app: {ours / hello:.3f}x")


# ---- exports and an import, each in a process of its own -----------------------------------

_MEASURED = """
import resource, sys, time
import django
django.setup()
from django.core.management import call_command
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
began = time.perf_counter()
call_command(*sys.argv[1:], verbosity=0)
print(time.perf_counter() - began, before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measured_command(env, *args) -> tuple[float, float, float]:
    """(seconds, MB before, peak MB) of one management command run in a fresh process."""
    result = subprocess.run([PYTHON, "-c", _MEASURED, *args], cwd=ROOT, env={**os.environ, **env},
                            capture_output=True, text=True, check=True)
    seconds, before, peak = result.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(before) / 1024, int(peak) / 1024


def database_dump_seconds(env, out: Path) -> float:
    """The citation rows with their claims' columns, dumped by the database's own tool."""
    query = ("SELECT c.id, c.statement, c.date_edtf, c.credibility, t.quote, t.start, t.\"end\", t.source_id "
             "FROM kb_claim c JOIN kb_citation t ON t.claim_id = c.id ORDER BY c.id, t.id")
    url = env["DATABASE_URL"]
    began = time.perf_counter()
    if url.startswith("postgres"):
        subprocess.run(["psql", url, "-qc", f"\\copy ({query}) TO '{out}' CSV"], check=True)
    else:
        import csv

        with sqlite3.connect(urlparse(url).path) as db, out.open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows(db.execute(query))
    return time.perf_counter() - began


def measure_exports(env, work: Path) -> None:
    from kb.models import Citation, Claim

    rows = {"csv": Citation.objects.count(), "jsonld": Claim.objects.count()}
    print("\nexports: manage.py export_claims --output, the whole knowledge base, a process each")
    print(f"{'export':32} {'rows':>10} {'s':>7} {'rows/s':>9} {'MB at start':>12} {'peak MB':>8} {'file MB':>8}")
    for fmt in ("csv", "jsonld"):
        out = work / f"export.{fmt}"
        seconds, before, peak = measured_command(env, "export_claims", "--format", fmt, "--output", str(out))
        print(f"{fmt:32} {rows[fmt]:10,} {seconds:7.1f} {rows[fmt] / seconds:9,.0f} {before:12.0f} {peak:8.0f} "
              f"{out.stat().st_size / 2**20:8.0f}", flush=True)
        out.unlink()
    out = work / "dump.csv"
    seconds = database_dump_seconds(env, out)
    tool = "psql COPY" if env["DATABASE_URL"].startswith("postgres") else "sqlite3 + csv.writer"
    print(f"{tool + ' (baseline)':32} {rows['csv']:10,} {seconds:7.1f} {rows['csv'] / seconds:9,.0f} {'':>12} {'':>8} "
          f"{out.stat().st_size / 2**20:8.0f}", flush=True)
    out.unlink()


def measure_import(env, work: Path) -> None:
    from kb.models import Source

    article = (ROOT / "sources" / "001_47f5397719def2c0.txt").read_text(encoding="utf-8")[:12_000]
    budget = 20_000 - len(article)  # a 20 KB document in all
    shared, size = [], 0
    # Paragraphs (one-sentence reports, in the built corpus) of many sources, so the copy check
    # has candidates to compare; earlier runs' bench reports are left out.
    for text in (Source.objects.current().exclude(title__startswith="Bench report").order_by("-pk")
                 .values_list("text", flat=True)[:400]):
        paragraphs = [part for part in text.split("\n\n")[1:] if len(part) > 60]
        for part in paragraphs[len(paragraphs) // 2:][:5]:
            if size + len(part) + 2 > budget:
                break
            shared.append(part)
            size += len(part) + 2
        if size > budget - 200:
            break
    tail = "\n\n".join(shared)
    document = work / f"bench-import-{time.time_ns()}.md"
    document.write_text(f"# Bench report {document.stem}\n\n{article}\n\n{tail}\n", encoding="utf-8")
    sources = Source.objects.count()
    seconds, before, peak = measured_command(env, "import_source", str(document), "--no-progress")
    print(f"\nimport: a {document.stat().st_size / 1024:.0f} KB document into {sources:,} sources by "
          f"manage.py import_source (store, copy check, candidates): {seconds:.2f} s, "
          f"{before:.0f} MB at start, {peak:.0f} MB peak", flush=True)
    document.unlink()


def main():
    args = parse_args()
    env = configure(args)
    work = Path(args.work)
    if not args.skip_build:
        build(args)
    if args.build_only:
        return
    import django

    django.setup()
    from django.core.management import call_command
    from kb.models import Citation, Claim, Source

    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"\ncorpus: {Claim.objects.count():,} claims, {Citation.objects.count():,} citations, "
          f"{Source.objects.count():,} sources on {env['DATABASE_URL'].split(':')[0]}", flush=True)
    if not args.skip_pages:
        measure_pages(env, work, args.runs)
    if not args.skip_throughput:
        measure_throughput(env, work, args.seconds)
    if not args.skip_export:
        measure_exports(env, work)
    if not args.skip_import:
        measure_import(env, work)


if __name__ == "__main__":
    main()
