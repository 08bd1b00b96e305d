"""A long streamed response keeps its gunicorn worker alive while it makes progress.

gunicorn's master replaces a worker that has not reported for `timeout` seconds (30), and a
sync worker reports only between requests: a download streaming for longer (a signed-in
user's export of a million claims takes about 40 s) was cut off mid-file, with a 200 already
sent. kb/gunicorn_conf.py hands each worker to `attach` after it forks; `kept_alive` reports
for it as the pieces of a response go out. A request that stops making progress (a stuck
query) still stops reporting and is still replaced. Outside gunicorn nothing is attached and
this does nothing.
"""
from __future__ import annotations

import time

_worker = None
INTERVAL = 1.0  # seconds between reports: a touch of a file, far below any timeout


def attach(worker) -> None:
    global _worker
    _worker = worker


def kept_alive(parts):
    """Yield `parts`, telling the master at most once every INTERVAL seconds that this worker is
    alive (a touch of the worker's heartbeat file)."""
    last = time.monotonic()
    for part in parts:
        now = time.monotonic()
        if _worker is not None and now - last >= INTERVAL:
            _worker.notify()
            last = now
        yield part
