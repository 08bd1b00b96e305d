from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kb.importing.decode import ImportRefused
from kb.importing.metadata import attachment_metadata, is_metadata_file, read_metadata, validate_metadata
from kb.importing.prepare import check_size
from kb.services.candidates import candidates_propose
from kb.services.sources import reanchoring_summary, source_import

SKIPPED_NAMES = {"README.md", "README.txt", "README"}
# Batches longer than this show a progress bar (on a terminal) unless --no-progress is given.
PROGRESS_FROM = 20


def document_paths(paths: list[str]) -> list[Path]:
    """Expand folders into the documents they hold (metadata files and READMEs skipped)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                child for child in sorted(path.iterdir())
                if child.is_file() and not is_metadata_file(child)
                and child.name not in SKIPPED_NAMES and not child.name.startswith(".")
            )
        else:
            found.append(path)
    return found


def read_document(path: Path) -> tuple[bytes, dict]:
    """A file's bytes and the metadata file beside it; ImportRefused on bad input."""
    if not path.exists():
        raise ImportRefused("missing", f"{path}: no such file")
    if not path.is_file():
        raise ImportRefused("missing", f"{path}: not a regular file")
    check_size(path.stat().st_size, str(path))  # before the file is read into memory
    metadata = read_metadata(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused("unreadable", f"{path}: cannot read the file ({exc.strerror})") from exc
    return data, metadata


def import_path(path: Path, *, dry_run: bool = False, user=None, candidates: bool = True, on_stage=None):
    """Import one file, with the metadata file beside it, all stages in this process (a long
    text is mined too: whoever runs the command waits for the whole work); raise
    ImportRefused on bad input. `on_stage(stage, seconds)` hears of each stage as it ends."""
    data, metadata = read_document(path)
    try:
        result = source_import(data=data, name=str(path), metadata=metadata, dry_run=dry_run, user=user,
                               candidates=False, on_stage=on_stage)
    except ValidationError as exc:
        raise ImportRefused("invalid", f"{path}: {'; '.join(exc.messages)}") from exc
    if candidates and result.status in ("created", "version"):
        began = time.perf_counter()
        candidates_propose(source=result.source)
        result.timings["candidates"] = time.perf_counter() - began
        if on_stage is not None:
            on_stage("candidates", result.timings["candidates"])
    if result.status in ("created", "version", "dry-run") and result.prepared.attachments:
        # An e-mail's attachments become sources of their own, with the e-mail's metadata.
        raw = attachment_metadata({key: "" if value is None else str(value) for key, value in metadata.items()},
                                  carrier_slug=result.slug, carrier_title=result.title)
        for attachment, body in result.prepared.attachments:
            name = f"{path}/{attachment}"
            try:
                attached = source_import(data=body, name=name, metadata=validate_metadata(raw, name),
                                         dry_run=dry_run, user=user, candidates=False)
                if candidates and attached.status in ("created", "version"):
                    candidates_propose(source=attached.source)
            except ImportRefused as refused:
                result.notes.append(f"attachment refused: {refused.message}")
                continue
            result.attached.append(attached)
    return result


class Command(BaseCommand):
    help = (
        "Import documents (files or folders) as sources: decode, find the structure, store "
        "atomically; a changed text becomes a new version and its citations are re-anchored. "
        "Metadata comes from NAME.meta.yaml beside each file. A failed file does not stop the "
        "others; the exit status is non-zero if any failed. Runs every stage (decode, structure, "
        "store, re-anchoring, copy check, candidates) in the foreground; --enqueue hands the files "
        "to the job workers instead and prints the job ids."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to import")
        parser.add_argument("--url", action="append", default=[], dest="urls", metavar="URL",
                            help="a web page to fetch and import (repeatable); fetched safely "
                                 "(kb.importing.fetch): public http(s) addresses only, robots.txt honoured")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--no-candidates", action="store_false", dest="candidates",
                            help="store and check for copying now; propose candidate claims later "
                                 "with `manage.py propose_candidates` (for large batches)")
        parser.add_argument("--enqueue", action="store_true",
                            help="queue one job per file for the workers (`manage.py jobs_worker`), "
                                 "print the job ids and return at once")
        progress = parser.add_mutually_exclusive_group()
        progress.add_argument("--progress", action="store_true", default=None,
                              help="always show a progress bar")
        progress.add_argument("--no-progress", action="store_false", dest="progress",
                              help="never show a progress bar")

    def handle(self, *args, paths, dry_run=False, progress=None, candidates=True, enqueue=False, urls=(), **options):
        documents = document_paths(list(paths))
        if not documents and not urls:
            raise CommandError("No documents found in the given paths.")
        verbosity = options.get("verbosity", 1)
        if enqueue:
            if dry_run:
                raise CommandError("--enqueue and --dry-run do not go together.")
            return self._enqueue(documents, urls)
        failed_urls = self._import_urls(urls, dry_run=dry_run, candidates=candidates) if urls else 0
        if not documents:
            if failed_urls:
                raise CommandError(f"{failed_urls} of {len(urls)} addresses failed to import.")
            return
        if progress is None:
            progress = len(documents) > PROGRESS_FROM and verbosity >= 1 and sys.stderr.isatty()
        began = time.perf_counter()
        counts = {"created": 0, "version": 0, "unchanged": 0, "dry-run": 0, "failed": 0}
        totals = {"characters": 0, "sections": 0, "passages": 0, "boilerplate": 0}
        marks = {"position": 0, "quote": 0, "fuzzy": 0, "orphaned": 0}
        bar = tqdm(documents, desc="Importing", unit="file", disable=not progress, file=sys.stderr,
                   dynamic_ncols=True)
        with bar:
            for path in bar:
                def on_stage(stage, seconds, path=path):
                    bar.set_postfix_str(f"{path.name}: {stage} done", refresh=False)

                try:
                    result = import_path(path, dry_run=dry_run, candidates=candidates, on_stage=on_stage)
                except ImportRefused as refused:
                    counts["failed"] += 1
                    self._write(bar, self.stderr, self.style.ERROR(f"refused {refused.message}"))
                    continue
                counts[result.status] += 1
                for key in totals:
                    totals[key] += getattr(result, key)
                for key, value in result.reanchored.items():
                    marks[key] += value
                if verbosity >= 1:
                    self._write(bar, self.stdout, result.summary())
                    for attached in result.attached:
                        self._write(bar, self.stdout, f"  attachment {attached.summary()}")
                    for note in result.notes:
                        self._write(bar, self.stderr, f"  {note}")
                for attached in result.attached:
                    counts[attached.status] += 1
                if verbosity >= 2 and result.timings:
                    stages = ", ".join(f"{stage} {seconds:.2f}s" for stage, seconds in result.timings.items())
                    self._write(bar, self.stdout, f"  stages: {stages}")
        elapsed = time.perf_counter() - began
        summary = (
            f"Total: {len(documents)} files: {counts['created']} new, {counts['version']} new versions, "
            f"{counts['unchanged']} unchanged, {counts['dry-run']} checked, {counts['failed']} failed; "
            f"{totals['characters']:,} characters, {totals['sections']} sections, "
            f"{totals['passages']} passages ({totals['boilerplate']} boilerplate) in {elapsed:.2f}s"
        )
        if counts["version"]:
            summary += "; " + reanchoring_summary(marks)
        self.stdout.write(summary)
        if counts["failed"] or failed_urls:
            addresses = f" and {failed_urls} of {len(urls)} addresses" if urls else ""
            raise CommandError(f"{counts['failed']} of {len(documents)} files{addresses} failed to import.")

    def _import_urls(self, urls: list[str], *, dry_run: bool, candidates: bool) -> int:
        """Fetch each address (safely) and import it; the number that failed."""
        from django.conf import settings

        from kb.importing.fetch import fetch_url, policy_from_settings

        failed = 0
        for url in urls:
            try:
                fetched = fetch_url(url, policy_from_settings(settings))
                metadata = validate_metadata(
                    {"url": url, "retrieved": fetched.retrieved_at.date().isoformat()}, url)
                result = source_import(data=fetched.data, name=url, metadata=metadata, dry_run=dry_run,
                                       candidates=False)
            except ImportRefused as refused:
                failed += 1
                self.stderr.write(self.style.ERROR(f"refused {refused.message}"))
                continue
            if candidates and result.status in ("created", "version"):
                candidates_propose(source=result.source)
            self.stdout.write(f"{result.summary()} (fetched {len(fetched.data):,} bytes from {fetched.final_url})")
        return failed

    def _enqueue(self, documents: list[Path], urls=()) -> None:
        """One job per readable file, queued together; refused files are named and counted."""
        import uuid

        from django.db import transaction

        from kb.services.jobs import import_job_create, url_job_create

        batch, failed, jobs = uuid.uuid4().hex, 0, []
        with transaction.atomic():
            for url in urls:
                jobs.append(url_job_create(url=url, batch=batch))
            for path in documents:
                try:
                    data, metadata = read_document(path)
                except ImportRefused as refused:
                    failed += 1
                    self.stderr.write(self.style.ERROR(f"refused {refused.message}"))
                    continue
                jobs.append(import_job_create(data=data, name=str(path), metadata=metadata, batch=batch))
        for job in jobs:
            self.stdout.write(f"job {job.pk}: {job.name}")
        self.stdout.write(f"Queued {len(jobs)} import jobs (batch {batch}); `manage.py jobs_worker` runs them.")
        if failed:
            raise CommandError(f"{failed} of {len(documents)} files were refused.")

    @staticmethod
    def _write(bar, stream, line: str) -> None:
        """A line of output that does not tear the progress bar."""
        if bar.disable:
            stream.write(line)
            return
        with bar.external_write_mode(file=sys.stderr):
            stream.write(line)
