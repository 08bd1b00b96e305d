"""Fill a database with realistic synthetic sources, claims, citations and entities, for scale tests.

Everything it writes is marked `is_synthetic`, its slugs start with `synthetic-`, and it refuses
to write into a database that holds real sources unless `--allow-mixed` is given.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from taggit.models import Tag, TaggedItem

from kb.models import Citation, Claim, Entity, Passage, Relation, Section, Source
from kb.services.counts import contested_recount, entity_counts_move, tag_counts_move
from kb.services.generation import kb_changed

ACTORS = ["the ministry", "a senior official", "the militia", "the central bank", "a UN panel", "the army",
          "the opposition", "a security source", "the governor", "the foreign ministry", "rebel commanders"]
VERBS = ["transferred", "announced", "denied", "financed", "trained", "smuggled", "reported", "approved",
         "launched", "negotiated", "suspended", "expanded"]
OBJECTS = ["weapons shipments", "a loan of {n} million dollars", "{n} kilometres of tunnels", "a ceasefire",
           "training for {n} fighters", "a new office", "drone components", "an aid convoy of {n} trucks",
           "a rocket programme", "sanctions relief"]
PLACES = ["in the capital", "near the border", "in the port city", "across the region", "in the north",
          "in exile", "at a meeting abroad"]
HEDGES = ["", "", "", "reportedly ", "allegedly "]
TAGS = ["funding", "weapons", "training", "tunnels", "diplomacy", "sanctions", "leadership", "logistics",
        "propaganda", "intelligence", "elections", "aid"]
ENTITY_KINDS = ["person", "organisation", "state", "place", "event"]


def sentence(rng: random.Random, year: int) -> str:
    obj = rng.choice(OBJECTS).format(n=rng.randint(2, 900))
    return (f"In {year}, {rng.choice(ACTORS)} {rng.choice(HEDGES)}{rng.choice(VERBS)} {obj} "
            f"{rng.choice(PLACES)}.")


class Command(BaseCommand):
    help = "Create N synthetic claims (with sources, passages, citations, entities, tags) for scale tests."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=1000)
        parser.add_argument("--up-to", type=int, default=None,
                            help="instead of --claims: only what the knowledge base lacks to hold this many claims")
        parser.add_argument("--claims-per-source", type=int, default=50)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--allow-mixed", action="store_true",
                            help="allow writing into a database that holds real (non-synthetic) sources")

    def handle(self, *args, claims, claims_per_source, seed, allow_mixed, up_to=None, **options):
        if up_to is not None:  # the benchmarks grow a corpus kept between their runs
            have = Claim.objects.count()
            if have >= up_to:
                self.stdout.write(f"The knowledge base holds {have:,} claims already: nothing created.")
                return
            claims = up_to - have
        if claims < 1:
            raise CommandError("--claims must be at least 1")
        if Source.objects.real().exists() and not allow_mixed:
            raise CommandError("This database holds real sources; pass --allow-mixed to add synthetic data to it.")
        began = time.perf_counter()
        rng = random.Random(seed)
        with transaction.atomic():
            kb_changed()
            counts = self._create(rng, claims, max(claims_per_source, 1))
        self.stdout.write(
            f"Created {counts['sources']} synthetic sources, {counts['claims']} claims, {counts['citations']} "
            f"citations, {counts['entities']} entities, {counts['relations']} relations in "
            f"{time.perf_counter() - began:.1f}s."
        )

    def _create(self, rng, total, per_source):
        run = hashlib.sha256(f"{time.time_ns()}".encode()).hexdigest()[:8]
        entities = Entity.objects.bulk_create(
            Entity(slug=f"synthetic-{run}-entity-{i}", name=f"Synthetic {ENTITY_KINDS[i % 5].title()} {run}-{i}",
                   kind=ENTITY_KINDS[i % 5], aliases=[f"SE{i}"], is_synthetic=True)
            for i in range(max(total // 100, 10))
        )
        tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in TAGS]
        claim_type = ContentType.objects.get_for_model(Claim)
        n_sources = -(-total // per_source)
        made = {"sources": 0, "claims": 0, "citations": 0, "entities": len(entities), "relations": 0}
        for s in range(n_sources):
            count = min(per_source, total - s * per_source)
            years = [rng.randint(1980, 2025) for _ in range(count)]
            paragraphs = [sentence(rng, year) + " " + sentence(rng, rng.randint(1980, 2025)) for year in years]
            title = f"Synthetic report {run}-{s}"
            heading = f"= {title} =\n\n"
            text = heading + "\n\n".join(paragraphs) + "\n"
            source = Source.objects.create(
                slug=f"synthetic-{run}-{s}", title=title, kind=rng.choice(Source.Kind.values),
                reliability=rng.choice("ABCDEF"), text=text, text_length=len(text),
                sha256=hashlib.sha256(text.encode()).hexdigest(), format="wikitext", encoding="utf-8",
                is_synthetic=True, publisher="Synthetic data",
            )
            section = Section.objects.create(source=source, order=1, title=title, level=1, anchor="s-top",
                                             heading_start=0, heading_end=len(heading.rstrip()), start=0, end=len(text))
            passages = [Passage(source=source, section=section, order=1, kind="heading", anchor="p-1",
                                start=0, end=len(heading))]
            offsets = []
            position = len(heading)
            for i, paragraph in enumerate(paragraphs, start=2):
                end = position + len(paragraph) + (2 if i - 1 < len(paragraphs) else 1)
                passages.append(Passage(source=source, section=section, order=i, kind="paragraph",
                                        anchor=f"p-{i}", start=position, end=end))
                offsets.append(position)
                position = end
            passages = Passage.objects.bulk_create(passages)
            new_claims = Claim.objects.bulk_create(
                Claim(statement=paragraphs[i].split(". ")[0] + ".", kind=rng.choice(Claim.Kind.values),
                      status="published", origin="synthetic", date_edtf=str(years[i]),
                      date_earliest=dt.date(years[i], 1, 1), date_latest=dt.date(years[i], 12, 31),
                      date_precision="year", date_wording=f"in {years[i]}", credibility=rng.randint(1, 6),
                      rationale="Synthetic claim for scale testing.", is_synthetic=True)
                for i in range(count)
            )
            citations = []
            for i, claim in enumerate(new_claims):
                quote = paragraphs[i].split(". ")[0] + "."
                start = offsets[i]
                citations.append(Citation(
                    claim=claim, source=source, passage=passages[i + 1], start=start, end=start + len(quote),
                    quote=quote, prefix=text[max(0, start - 60):start], suffix=text[start + len(quote):start + len(quote) + 60],
                    stance="hedged" if "reportedly" in quote or "allegedly" in quote else "states",
                ))
            Citation.objects.bulk_create(citations)
            Through = Claim.entities.through
            links = [Through(claim_id=claim.pk, entity_id=entity.pk)
                     for claim in new_claims for entity in rng.sample(entities, 2)]
            Through.objects.bulk_create(links)
            # Published claims: each link adds one to its entity's kept count.
            entity_counts_move(Counter(link.entity_id for link in links))
            tagged = TaggedItem.objects.bulk_create(
                TaggedItem(tag=tag, content_type=claim_type, object_id=claim.pk)
                for claim in new_claims for tag in rng.sample(tags, 2)
            )
            tag_counts_move(Counter(item.tag_id for item in tagged))
            relations = [
                Relation(from_claim=new_claims[i], to_claim=new_claims[i - 1],
                         type=rng.choice(Relation.Type.values), note="synthetic")
                for i in range(1, count, 7)
            ]
            Relation.objects.bulk_create(relations)
            contested_recount(end.pk for r in relations if r.type == Relation.Type.CONTRADICTS
                              for end in (r.from_claim, r.to_claim))
            made["sources"] += 1
            made["claims"] += count
            made["citations"] += len(citations)
            made["relations"] += len(relations)
        return made
