from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kb.exports import to_csv, to_jsonld
from kb.models import Claim


class Command(BaseCommand):
    help = "Export claims as JSON-LD (Web Annotation shaped) or CSV (one row per citation). Deterministic."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonld", "csv"], default="jsonld")
        parser.add_argument("--output", help="write to this file instead of standard output")
        parser.add_argument("--status", action="append", choices=Claim.Status.values,
                            help="only claims with this status (repeatable); default all")

    def handle(self, *args, format="jsonld", output=None, status=None, **options):
        claims = Claim.objects.real()
        if status:
            claims = claims.filter(status__in=status)
        body = to_jsonld(claims) if format == "jsonld" else to_csv(claims)
        if output:
            try:
                Path(output).write_text(body, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc}") from exc
            self.stdout.write(f"Wrote {claims.count()} claims to {output} ({format}).")
        else:
            self.stdout.write(body, ending="")
