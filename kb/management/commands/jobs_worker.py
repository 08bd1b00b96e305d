"""A job worker: django-tasks' database worker, plus the housekeeping a fleet of them needs."""
from __future__ import annotations

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.db.utils import DatabaseError
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from kb.services.export_jobs import export_files_expire
from kb.services.jobs import jobs_recover_stale, pending_imports_expire
from kb.services.statistics import database_statistics_refresh

# Planner statistics are looked at this often (kb.services.statistics: only where autovacuum
# is off, and only tables changed past its threshold, so a fleet of workers analyzes once).
STATISTICS_EVERY = 300.0

logger = logging.getLogger("kb.jobs")


class Command(BaseCommand):
    help = (
        "Run background jobs (imports, candidate mining, exports made as files) from the queue in the database, until "
        "stopped (SIGINT or SIGTERM finish the job in hand first). Between jobs it hands on jobs "
        "whose worker died (no heartbeat for CLAIMBOOK_JOB_LEASE_SECONDS), expires import "
        "previews never confirmed, and refreshes planner statistics where autovacuum is off. Run as many as you like, on any machine that reaches the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds to wait when the queue is empty (default 1)")
        parser.add_argument("--batch", action="store_true",
                            help="run every job waiting now, then exit")
        parser.add_argument("--housekeeping-every", type=float, default=10.0,
                            help="seconds between recovery sweeps (default 10)")

    def handle(self, *args, interval=1.0, batch=False, housekeeping_every=10.0, **options):
        self.running = True
        worker_id = get_random_string(32)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._stop)
        logger.info("worker started", extra={"worker_id": worker_id})
        last_sweep = 0.0
        self.last_statistics = time.monotonic()  # not at start-up: a fresh fleet would analyze at once
        while self.running:
            close_old_connections()
            if time.monotonic() - last_sweep >= housekeeping_every:
                last_sweep = time.monotonic()
                self._housekeeping()
            self.worker = Worker(
                queue_names=["default"], interval=0, batch=True, backend_name="default",
                startup_delay=False, max_tasks=1, worker_id=worker_id, excluded_queue_names=[],
            )
            try:
                self.worker.run()  # at most one job, then back here
                ran = self.worker._run_tasks
            except DatabaseError as exc:  # the database is away: wait for it, never die of it
                logger.warning("queue unreachable: %s", exc.__class__.__name__)
                close_old_connections()
                ran = 0
            if batch and not ran:
                break
            if not ran and self.running:
                time.sleep(interval)
        logger.info("worker stopped", extra={"worker_id": worker_id})

    def _stop(self, signum, frame):
        self.running = False
        worker = getattr(self, "worker", None)
        if worker is not None:
            worker.running = False
        if worker is None or not worker.running_task:
            raise SystemExit(0)

    def _housekeeping(self):
        try:
            recovered = jobs_recover_stale()
            expired = pending_imports_expire()
            exports_expired = export_files_expire()
            if time.monotonic() - self.last_statistics >= STATISTICS_EVERY:
                self.last_statistics = time.monotonic()
                database_statistics_refresh()
        except DatabaseError as exc:
            logger.warning("housekeeping skipped: %s", exc.__class__.__name__)
            close_old_connections()
            return
        if recovered or expired or exports_expired:
            logger.info("housekeeping", extra={"recovered": len(recovered), "expired_previews": expired,
                                               "expired_exports": exports_expired})
