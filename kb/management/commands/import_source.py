from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kb.importing.decode import ImportRefused
from kb.importing.metadata import is_metadata_file, read_metadata
from kb.importing.pipeline import check_size, source_import

SKIPPED_NAMES = {"README.md", "README.txt", "README"}


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


def import_path(path: Path, *, dry_run: bool = False, user=None):
    """Import one file, with the metadata file beside it; raise ImportRefused on bad input."""
    if not path.exists():
        raise ImportRefused("missing", f"{path}: no such file")
    if not path.is_file():
        raise ImportRefused("missing", f"{path}: not a regular file")
    check_size(path.stat().st_size, str(path))  # before the file is read into memory
    metadata = read_metadata(path)
    return source_import(data=path.read_bytes(), name=str(path), metadata=metadata,
                         dry_run=dry_run, user=user)


class Command(BaseCommand):
    help = (
        "Import documents (files or folders) as sources: decode, find the structure, store "
        "atomically. A failed file does not stop the others; the exit status says whether any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--progress", action="store_true", help="print a progress line per file")

    def handle(self, *args, paths, dry_run=False, progress=False, **options):
        documents = document_paths(list(paths))
        if not documents:
            raise CommandError("No documents found in the given paths.")
        began = time.perf_counter()
        counts = {"created": 0, "version": 0, "unchanged": 0, "dry-run": 0, "failed": 0}
        totals = {"characters": 0, "sections": 0, "passages": 0, "boilerplate": 0}
        show_progress = progress or (len(documents) > 20 and options.get("verbosity", 1) >= 1)
        for number, path in enumerate(documents, start=1):
            try:
                result = import_path(path, dry_run=dry_run)
            except ImportRefused as refused:
                counts["failed"] += 1
                self.stderr.write(self.style.ERROR(f"refused {refused.message}"))
                continue
            counts[result.status] += 1
            for key in totals:
                totals[key] += getattr(result, key)
            if show_progress:
                self.stdout.write(f"[{number}/{len(documents)}] {result.summary()}")
            else:
                self.stdout.write(result.summary())
        elapsed = time.perf_counter() - began
        self.stdout.write(
            f"Total: {len(documents)} files: {counts['created']} new, {counts['version']} new versions, "
            f"{counts['unchanged']} unchanged, {counts['dry-run']} checked, {counts['failed']} failed; "
            f"{totals['characters']:,} characters, {totals['sections']} sections, "
            f"{totals['passages']} passages ({totals['boilerplate']} boilerplate) in {elapsed:.2f}s"
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(documents)} files failed to import.")
