"""Throughput of cached pages against a one-view Django app (issue 15, goal 3: at least 0.3x).

Bootstraps the seeds (optionally plus --claims synthetic claims) into a new SQLite file,
collects the static files, then serves Claimbook with gunicorn (kb.gunicorn_conf, 2 workers,
not recycled, DEBUG=0, CLAIMBOOK_PAGE_CACHE=1: the local-memory page cache, the generation
read from the database on every request) and, under the same gunicorn settings, a Django app
with one view and no middleware. Each URL is loaded with wrk (8 connections, --seconds each) side by side,
then the same Claimbook URLs with CLAIMBOOK_PAGE_CACHE=0; prints requests/s and the ratios.

    python scripts/bench_page_cache.py [--seconds 10] [--claims 0]
"""
import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

ONE_VIEW = '''
from django.conf import settings
settings.configure(DEBUG=False, SECRET_KEY="x" * 60, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, MIDDLEWARE=[])
from django.http import HttpResponse
from django.urls import path
from django.core.wsgi import get_wsgi_application

def hello(request):
    return HttpResponse("Hello, world.")

urlpatterns = [path("", hello)]
application = get_wsgi_application()
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(argv, env, port, path="/"):
    process = subprocess.Popen(argv, env=env, cwd=env.get("WORK", str(ROOT)), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"server on {port} did not start: {argv}")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wrk(port, path, seconds) -> float:
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{path}: {errors.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--claims", type=int, default=0, help="synthetic claims to add to the seeds")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="claimbook-cachebench-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3", "DEBUG": "0",
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
           "STATIC_ROOT": str(work / "static"), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING",
           "CLAIMBOOK_TASKS_BACKEND": "immediate", "DJANGO_SETTINGS_MODULE": "kb.settings"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "bootstrap", "-v0"], env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    if args.claims:
        subprocess.run([*manage, "seed_synthetic", "--claims", str(args.claims), "--allow-mixed"], env=env, check=True)
    claim = subprocess.run(
        [*manage, "shell", "-c", "from kb.models import Claim; print(Claim.objects.published().order_by('id').first().pk)"],
        env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    urls = ["/claims/", f"/claims/{claim}/"]

    (work / "oneview.py").write_text(ONE_VIEW)
    port = free_port()
    one = serve([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "oneview:application"],
                {**env, "PYTHONPATH": str(work), "WORK": str(work)}, port)
    try:
        baseline = wrk(port, "/", args.seconds)
    finally:
        stop(one)
    print(f"one-view Django app (gunicorn, 2 workers): {baseline:,.0f} req/s")
    for cache in ("1", "0"):
        port = free_port()
        server = serve([str(BIN / "gunicorn"), "-c", "python:kb.gunicorn_conf", "kb.wsgi"],
                       {**env, "CLAIMBOOK_PAGE_CACHE": cache, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
                        "GUNICORN_MAX_REQUESTS": "0"},
                       port, urls[0])
        try:
            for url in urls:
                rate = wrk(port, url, args.seconds)
                print(f"CLAIMBOOK_PAGE_CACHE={cache} {url}: {rate:,.0f} req/s = {rate / baseline:.2f}x the one-view app")
        finally:
            stop(server)
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
