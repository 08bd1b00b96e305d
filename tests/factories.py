"""Test data built with factory_boy. Every factory makes rows the app itself could have made:
a source goes through the importer (so its passages and sections exist), a citation holds a
real range of its source's text with the context around it, a user holds a role's group.
The real curated data (both seeds and fixtures/claims) is loaded once per run by conftest.py;
these add to it. Editors' claims that must carry history go through the services (make_claim)."""
from __future__ import annotations

from pathlib import Path

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from kb.models import Annotation, AnnotationReference, Citation, Claim, Entity, Passage, Relation, Source
from kb.roles import sync_role_groups
from kb.selectors.selection import selection_find
from kb.services import claims as claim_services
from kb.services.counts import contested_recount, entity_counts_recount, link_counts_kept
from kb.services.sources import source_import
from kb.text.dates import parse_event_date
from kb.text.ranges import context, visible_range

# The two seeds, imported with the curated claims once per run (conftest.py).
ARTICLE = Path(settings.BASE_DIR) / "sources" / "001_47f5397719def2c0.txt"
BLOG = Path(settings.BASE_DIR) / "sources" / "000_58f979856ac02d7a.txt"
ARTICLE_SLUG = "iranian-support-for-hamas"
BLOG_SLUG = "hamas-iran-unraveling-a-complex-relationship"
PASSWORD = "a-long-test-password-91"
UNIQUE_PHRASE = "Seven Israeli soldiers and one settler were killed."
SECOND_PHRASE = "In 1990, Iran hosted a conference in Tehran supporting Palestine"
THIRD_PHRASE = "Tehran's support progressively increased."


# ---- users -------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A user in one of kb.roles' groups (role=None: no group; "admin" is also staff). Without a
    password (fast: no hashing) unless one is given; `permissions` adds kb permissions by codename."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    role = None
    is_staff = factory.LazyAttribute(lambda o: o.role == "admin")

    @classmethod
    def _create(cls, model_class, *args, role=None, password=None, **kwargs):
        user = model_class.objects.create_user(*args, password=password, **kwargs)
        if role:
            if not Group.objects.filter(name=role).exists():
                # A live-server test elsewhere in the run may have flushed the migration's groups.
                sync_role_groups(Group, Permission)
            user.groups.add(Group.objects.get(name=role))
        return user

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        for codename in extracted or ():
            self.user_permissions.add(Permission.objects.get(content_type__app_label="kb", codename=codename))


def make_user(role: str | None, name: str | None = None, password: str | None = None):
    """A user in a role's group (kept for the many tests that name their users)."""
    kwargs = {"role": role, "password": password}
    if name:
        kwargs["username"] = name
    return UserFactory(**kwargs)


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


# ---- sources -----------------------------------------------------------------------------


class SourceFactory(DjangoModelFactory):
    """A source imported from a text through kb.services.sources.source_import, so its
    passages, sections and shingles exist. The same slug again makes a new version.
    Candidate claims are not proposed unless candidates=True."""

    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"factory-source-{n}")
    text = factory.LazyAttributeSequence(
        lambda o, n: f"= Report {n} =\n\n"
        f"The ministry said on 4 March 2019 that {n + 2} inspectors visited the northern port. "
        f"Officials later confirmed the visit to reporters in the capital.\n\n"
        f"== Background ==\n\nEarlier inspections in 2017 had been cancelled twice, according to the agency.\n"
    )

    @classmethod
    def _create(cls, model_class, *, slug, text, candidates=False, user=None, name=None, **metadata):
        result = source_import(data=text.encode("utf-8"), name=name or f"{slug}.txt",
                               metadata={"slug": slug, **metadata}, user=user, candidates=candidates)
        return result.source


def article() -> Source:
    return Source.objects.current().get(slug=ARTICLE_SLUG)


def words(source: Source, phrase: str = UNIQUE_PHRASE):
    """A verified selection of a phrase that occurs once in the source."""
    return selection_find(source=source, quote=phrase)


def text_range(source: Source, *, quote: str | None = None, occurrence: int = 0,
               start: int | None = None, end: int | None = None) -> dict:
    """A real range of the source's text with its passage and context: the n-th occurrence of
    `quote`, or start/end, or else the first content passage's words."""
    text = source.text
    if quote is not None:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(quote, start + 1)
        end = start + len(quote)
    elif start is None:
        passage = (source.passages.exclude(kind__in=["heading", "boilerplate"]).order_by("order").first()
                   or source.passages.order_by("order").first())
        start, end = visible_range(text, passage.start, passage.end)
    prefix, suffix = context(text, start, end)
    passage = Passage.objects.filter(source=source, start__lte=start, end__gt=start).first()
    return {"start": start, "end": end, "quote": text[start:end], "prefix": prefix, "suffix": suffix,
            "passage": passage}


# ---- claims and what hangs on them -------------------------------------------------------


class ClaimFactory(DjangoModelFactory):
    """A claim row. Its date fields are derived from `date_edtf` as the services derive them."""

    class Meta:
        model = Claim
        skip_postgeneration_save = True

    statement = factory.Sequence(lambda n: f"Factory claim {n}: the ministry inspected the northern port.")
    status = Claim.Status.PUBLISHED
    date_edtf = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        edtf = kwargs.get("date_edtf") or ""
        if edtf and "date_earliest" not in kwargs:
            date = parse_event_date(edtf)
            kwargs.update(date_edtf=date.edtf, date_earliest=date.earliest, date_latest=date.latest,
                          date_precision=date.precision)
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def entities(self, create, extracted, **kwargs):
        if extracted:
            self.entities.add(*extracted)
            entity_counts_recount(entity.pk for entity in extracted)  # as the claim services keep them

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if extracted:
            with link_counts_kept(self.pk):  # as the claim services keep the tags' counts
                self.tags.add(*extracted)


class CitationFactory(DjangoModelFactory):
    """A citation of a real range of its source's text: `quote` (its n-th `occurrence`), or
    start/end, or by default the first content passage of the source."""

    class Meta:
        model = Citation

    claim = factory.SubFactory(ClaimFactory)
    source = factory.LazyFunction(article)

    @classmethod
    def _create(cls, model_class, *args, quote=None, occurrence=0, start=None, end=None, **kwargs):
        source = kwargs["source"]
        kwargs = {**text_range(source, quote=quote, occurrence=occurrence, start=start, end=end), **kwargs}
        if "order" not in kwargs:
            kwargs["order"] = kwargs["claim"].citations.count() + 1
        return super()._create(model_class, *args, **kwargs)


class EntityFactory(DjangoModelFactory):
    class Meta:
        model = Entity
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Factory Entity {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Entity.Kind.ORGANISATION

    @factory.post_generation
    def claims(self, create, extracted, **kwargs):
        if extracted:
            self.claims.add(*extracted)
            entity_counts_recount([self.pk])  # as the claim services keep it


class RelationFactory(DjangoModelFactory):
    class Meta:
        model = Relation

    from_claim = factory.SubFactory(ClaimFactory)
    to_claim = factory.SubFactory(ClaimFactory)
    type = Relation.Type.CORROBORATES

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        relation = super()._create(model_class, *args, **kwargs)
        contested_recount([relation.from_claim_id, relation.to_claim_id])  # as the relation services keep it
        return relation


class AnnotationFactory(DjangoModelFactory):
    """An annotation on a claim (the default), on a citation, or on words of a source
    (source= with quote= or start/end: a real range, as for citations)."""

    class Meta:
        model = Annotation
        skip_postgeneration_save = True

    kind = Annotation.Kind.CONTEXT
    body = factory.Sequence(lambda n: f"Note {n} on this.")
    author = factory.SubFactory(UserFactory, role="editor")

    @classmethod
    def _create(cls, model_class, *args, quote=None, occurrence=0, start=None, end=None, **kwargs):
        source = kwargs.get("source")
        if source is not None:
            found = text_range(source, quote=quote, occurrence=occurrence, start=start, end=end)
            found.pop("passage")
            kwargs = {**found, **kwargs}
        elif kwargs.get("citation") is None and kwargs.get("claim") is None:
            kwargs["claim"] = ClaimFactory()
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def references(self, create, extracted, **kwargs):
        for n in range(extracted or 0):
            AnnotationReference.objects.create(annotation=self, url=f"https://example.org/ref/{self.pk}/{n}",
                                               title=f"Reference {n}")


# ---- through the services: claims with their history --------------------------------------


def make_claim(user, *, source: Source | None = None, phrase: str = UNIQUE_PHRASE, statement: str = "A statement.", **fields) -> Claim:
    """A published claim made by an editor from a selection, as the claim page's form makes it
    (with its history), through kb.services.claims."""
    source = source or article()
    return claim_services.claim_create_from_selection(
        by=user, selection=words(source, phrase),
        fields=claim_services.ClaimFields(statement=statement, **fields),
    )


def make_candidate(*, source: Source | None = None, start: int, end: int, statement: str, suggested_match=None,
                   date_edtf: str = "", credibility: int | None = 3) -> Claim:
    """A claim as the import extractor proposes it: status candidate, one citation."""
    claim = ClaimFactory(
        statement=statement, status=Claim.Status.CANDIDATE, origin=Claim.Origin.IMPORT,
        date_edtf=date_edtf, credibility=credibility, rationale="suggested by the extractor",
        suggested_match=suggested_match,
    )
    CitationFactory(claim=claim, source=source or article(), start=start, end=end)
    return claim


def related_four() -> tuple[list[Claim], dict[int, dict[str, str]]]:
    """Four published, cited claims with only these relations among them (a contradicts b, a
    updates c, d refines a), and the relation and contested cells each claim's CSV rows must
    show (the claim list's file and the API's: both ways)."""
    a, b, c, d = Claim.objects.filter(status="published", citations__isnull=False).distinct().order_by("id")[:4]
    Relation.objects.filter(from_claim__in=[a, b, c, d]).delete()
    Relation.objects.filter(to_claim__in=[a, b, c, d]).delete()
    Relation.objects.create(from_claim=a, to_claim=b, type="contradicts")
    Relation.objects.create(from_claim=a, to_claim=c, type="updates")
    Relation.objects.create(from_claim=d, to_claim=a, type="refines")
    return [a, b, c, d], {
        a.pk: {"contradicts": str(b.pk), "updates": str(c.pk), "refined_by": str(d.pk), "contested": "yes"},
        b.pk: {"contradicts": str(a.pk), "contested": "yes"},
        c.pk: {"updated_by": str(a.pk), "contested": "no"},
        d.pk: {"refines": str(a.pk), "updates": ""},
    }
