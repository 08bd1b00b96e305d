"""How well the candidate extractor finds what careful curators wrote, on documents it was not tuned on."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kb.extraction.evaluation import DocumentScore, load_gold, score_document, score_matching
from kb.extraction.segment import blocks_from_source
from kb.importing.decode import ImportRefused
from kb.importing.prepare import prepare
from kb.models import Citation, Claim, Source
from kb.selectors.candidates import preview_candidates


def covers(candidate: tuple[int, int], citation: tuple[int, int]) -> bool:
    """A candidate covers a curated citation when it overlaps at least half of it."""
    overlap = min(candidate[1], citation[1]) - max(candidate[0], citation[0])
    return overlap > 0 and overlap * 2 >= citation[1] - citation[0]


def _pct(value) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


class Command(BaseCommand):
    help = (
        "Run the candidate extractor (preview: nothing is written) on the gold corpus (fixtures/gold/ by "
        "default, or --gold DIR) and print, per document and overall: coverage of gold claims, share of "
        "candidates that are real claims, gold claims per candidate, dates, attribution and hedging right, "
        "then the missed claims and junk candidates (definitions: kb/extraction/evaluation.py, "
        "docs/extraction.md). --seeds scores the curated seed sources instead (regression)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="documents (or with --seeds, sources) to score")
        parser.add_argument("--gold", metavar="DIR", help="gold corpus directory (default fixtures/gold)")
        parser.add_argument("--seeds", action="store_true",
                            help="score against the curated seed citations in the database instead")

    def handle(self, *args, slugs=(), gold=None, seeds=False, **options):
        if seeds:
            return self._seeds(slugs, options.get("verbosity", 1))
        return self._gold(Path(gold) if gold else Path(settings.CLAIMBOOK_FIXTURES_DIR) / "gold", slugs,
                          options.get("verbosity", 1))

    # ------------------------------------------------------------ gold corpus

    def _gold(self, directory: Path, slugs, verbosity: int):
        if not directory.is_dir():
            raise CommandError(f"No gold corpus directory at {directory}")
        try:
            documents = load_gold(directory)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Cannot read the gold corpus in {directory}: {exc}") from None
        if slugs:
            missing = set(slugs) - {d.slug for d in documents}
            if missing:
                raise CommandError(f"No gold document with slug: {', '.join(sorted(missing))}")
            documents = [d for d in documents if d.slug in slugs]
        if not documents:
            raise CommandError(f"No *.gold.yaml files in {directory}")
        total = DocumentScore("overall")
        for document in documents:
            try:
                prepared = prepare(document.text.encode("utf-8"), f"{document.slug}.txt")
            except ImportRefused as refused:
                raise CommandError(str(refused)) from None
            if prepared.text != document.text:
                raise CommandError(f"{document.slug}: the importer changed the text, so gold offsets do not apply")
            metadata = {key: document.metadata.get(key) for key in ("slug", "reliability", "published")}
            proposals = preview_candidates(prepared.text, prepared.structure, metadata=metadata)
            score = score_document(document, proposals)
            total.add(score)
            self.stdout.write(self._line(score))
            if verbosity >= 1:
                self._details(score, verbosity)
        self.stdout.write(self._line(total))
        pairs_file = Path(settings.BASE_DIR) / "fixtures" / "matching" / "pairs.yaml"
        if not slugs and pairs_file.exists():
            self._matching(pairs_file, verbosity)

    def _matching(self, path: Path, verbosity: int) -> None:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name in ("pairs", "held_out"):
            score = score_matching(data.get(name) or [])
            self.stdout.write(
                f"matching ({name}, {path.name}): same-fact pairs proposed right {_pct(score.recall)} "
                f"({score.found}/{score.same_fact}); wrong proposals {_pct(score.wrong_share)} "
                f"({score.wrong}/{score.proposals})"
            )
            if verbosity >= 1:
                for text, want, got in score.mistakes:
                    self.stdout.write(f"  {got} instead of {want}: {_short(text)}")

    def _line(self, s: DocumentScore) -> str:
        atomicity = "n/a" if s.atomicity is None else f"{s.atomicity:.2f}"
        return (
            f"{s.slug}: coverage {_pct(s.coverage)} ({s.covered}/{s.gold}); "
            f"real {_pct(s.precision)} ({s.real}/{s.candidates}); "
            f"atomicity {atomicity} ({s.covered_by_covering}/{s.covering}); "
            f"dates {_pct(s.dates)} ({s.dated_right}/{s.dated}); "
            f"attribution {_pct(s.attribution)} ({s.attributed_right}/{s.attributed}); "
            f"hedging {_pct(s.hedging)} ({s.hedged_right}/{s.hedged}); "
            f"spurious speakers {s.spurious_attribution}; spurious hedges {s.spurious_hedge}"
        )

    def _details(self, s: DocumentScore, verbosity: int) -> None:
        for claim in s.missed:
            self.stdout.write(f"  missed: {_short(claim.quote)}")
        for proposal, why in s.junk:
            self.stdout.write(f"  junk ({why}): {_short(proposal.quote)}")
        if verbosity >= 2:
            for claim, got in s.wrong_dates:
                self.stdout.write(f"  date {got} instead of {claim.edtf} ({claim.date_words!r}): {_short(claim.quote, 80)}")
            for claim, got in s.wrong_speakers:
                self.stdout.write(f"  speaker {got!r} instead of {claim.attribution!r}: {_short(claim.quote, 80)}")
            for claim in s.unhedged:
                self.stdout.write(f"  not marked hedged: {_short(claim.quote, 80)}")
            for claim, what in s.spurious:
                self.stdout.write(f"  spurious {what}: {_short(claim.quote, 80)}")

    # ------------------------------------------------------------ seeds (regression)

    def _seeds(self, slugs, verbosity: int):
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
            self.stdout.write(self._seed_line(source.slug, len(covered), len(citations), len(useful), len(spans)))
            if verbosity >= 2:
                for start, end in sorted(set(citations) - set(covered)):
                    self.stdout.write(f"  missed citation: {source.text[start:end][:100]!r}")
                for start, end in sorted(set(spans) - set(useful)):
                    self.stdout.write(f"  candidate covering nothing: {source.text[start:end][:100]!r}")
        self.stdout.write(self._seed_line("overall", totals["covered"], totals["citations"], totals["useful"],
                                          totals["candidates"]))
        if totals["useful"]:
            self.stdout.write(
                f"granularity: {totals['covered'] / totals['useful']:.2f} curated citations per covering candidate"
            )

    @staticmethod
    def _seed_line(name: str, covered: int, citations: int, useful: int, candidates: int) -> str:
        recall = covered / citations if citations else 0.0
        precision = useful / candidates if candidates else 0.0
        return (f"{name}: recall {recall:.1%} ({covered}/{citations} curated citations covered), "
                f"precision {precision:.1%} ({useful}/{candidates} candidates cover a curated citation)")
