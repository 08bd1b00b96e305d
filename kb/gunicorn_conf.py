"""gunicorn's settings for `make serve`, from the environment (see docs/deploy.md).

    gunicorn -c python:kb.gunicorn_conf kb.wsgi
"""
import os

bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"]
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A request may take this long (an import preview is bounded well inside it); then the
# worker is replaced. Uploads and long pages should never come near it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# A web request's database statements give up a few seconds before that (kb/settings.py reads
# it in each worker), so a stuck query ends as a clear 503 page rather than a killed worker.
# Job workers are not started by gunicorn and keep no such limit.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", str(max(1, timeout - 5) * 1000))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 20))
keepalive = 5
# Replace each worker after this many requests (plus jitter): bounds any slow leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# Requests are logged by the app (kb.logging: request id, user, duration); gunicorn logs
# only its own errors, to standard error.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Addresses allowed to set X-Forwarded-* for gunicorn itself (the app reads the client
# address through TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "claimbook"


def post_fork(server, worker):
    # Streamed exports report progress through the worker (kb/heartbeat.py), so a long download
    # is not taken for a stuck request and cut off at `timeout`.
    from kb import heartbeat

    heartbeat.attach(worker)
# gunicorn's control socket sits at one path per user: off, so several servers can share a
# machine (set GUNICORN_CONTROL_SOCKET to a path of its own to use `gunicornc`).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "/nonexistent/gunicorn.ctl"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
