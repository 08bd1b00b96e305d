"""How well the candidate extractor finds what curators cited."""
from django.core.management.base import BaseCommand, CommandError

from kb.selectors.candidates import preview_candidates
from kb.extraction.segment import blocks_from_source
from kb.models import Citation, Claim, Source


def covers(candidate: tuple[int, int], citation: tuple[int, int]) -> bool:
    """A candidate covers a curated citation when it overlaps at least half of it."""
    overlap = min(candidate[1], citation[1]) - max(candidate[0], citation[0])
    return overlap > 0 and overlap * 2 >= citation[1] - citation[0]


class Command(BaseCommand):
    help = (
        "Run the candidate extractor (preview: nothing is written) on every source with curated claims "
        "and print recall (share of curated citations a candidate covers) and precision (share of "
        "candidates that cover a curated citation), per source and overall."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="sources to score (default: all curated)")

    def handle(self, *args, slugs=(), **options):
        verbosity = options.get("verbosity", 1)
        curated = Citation.objects.filter(claim__origin=Claim.Origin.CURATED).exclude(anchoring="orphaned")
        sources = Source.objects.current().filter(pk__in=curated.values("source_id")).order_by("slug")
        if slugs:
            sources = sources.filter(slug__in=slugs)
            missing = set(slugs) - set(sources.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No curated current source with slug: {', '.join(sorted(missing))}")
        if not sources.exists():
            raise CommandError("No source has curated citations to score against (run bootstrap first).")
        totals = {"citations": 0, "covered": 0, "candidates": 0, "useful": 0}
        for source in sources:
            citations = list(curated.filter(source=source).values_list("start", "end"))
            proposals = preview_candidates(
                source.text, blocks_from_source(source),
                metadata={"slug": source.slug, "reliability": source.reliability, "published": source.published_edtf},
            )
            spans = [(p.start, p.end) for p in proposals]
            covered = [c for c in citations if any(covers(s, c) for s in spans)]
            useful = [s for s in spans if any(covers(s, c) for c in citations)]
            totals["citations"] += len(citations)
            totals["covered"] += len(covered)
            totals["candidates"] += len(spans)
            totals["useful"] += len(useful)
            self.stdout.write(self._line(source.slug, len(covered), len(citations), len(useful), len(spans)))
            if verbosity >= 2:
                for start, end in sorted(set(citations) - set(covered)):
                    self.stdout.write(f"  missed citation: {source.text[start:end][:100]!r}")
                for start, end in sorted(set(spans) - set(useful)):
                    self.stdout.write(f"  candidate covering nothing: {source.text[start:end][:100]!r}")
        self.stdout.write(self._line("overall", totals["covered"], totals["citations"], totals["useful"],
                                     totals["candidates"]))
        if totals["useful"]:
            self.stdout.write(
                f"granularity: {totals['covered'] / totals['useful']:.2f} curated citations per covering candidate "
                "(a candidate is a sentence; curators often cite several atomic claims in one)"
            )

    @staticmethod
    def _line(name: str, covered: int, citations: int, useful: int, candidates: int) -> str:
        recall = covered / citations if citations else 0.0
        precision = useful / candidates if candidates else 0.0
        return (f"{name}: recall {recall:.1%} ({covered}/{citations} curated citations covered), "
                f"precision {precision:.1%} ({useful}/{candidates} candidates cover a curated citation)")
