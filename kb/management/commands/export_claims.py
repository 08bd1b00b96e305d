from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kb.exports import csv_lines, jsonld_parts
from kb.models import Claim
from kb.selectors.exports import export_rows


class Command(BaseCommand):
    help = ("Export claims as JSON-LD (Web Annotation shaped) or CSV (one row per citation). Deterministic; "
            "written as it is read, so memory does not grow with the knowledge base.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonld", "csv"], default="jsonld")
        parser.add_argument("--output", help="write to this file instead of standard output")
        parser.add_argument("--status", action="append", choices=Claim.Status.values,
                            help="only claims with this status (repeatable); default all")

    def handle(self, *args, format="jsonld", output=None, status=None, **options):
        claims = Claim.objects.real()
        if status:
            claims = claims.filter(status__in=status)
        rows = export_rows(claims, relations=True, timestamps=False)
        parts = jsonld_parts(rows) if format == "jsonld" else csv_lines(rows)
        if not output:
            for part in parts:
                self.stdout.write(part, ending="")
            return
        try:
            with Path(output).open("w", encoding="utf-8", newline="") as out:
                for part in parts:
                    out.write(part)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from exc
        self.stdout.write(f"Wrote {claims.count()} claims to {output} ({format}).")
