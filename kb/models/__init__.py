"""Claimbook's data model, gathered from one module per domain (app label `kb`)."""
from kb.models.accounts import ApiToken, LoginFailure
from kb.models.annotations import Annotation, AnnotationReference, ReviewDecision
from kb.models.caching import KbGeneration
from kb.models.choices import Anchoring, Credibility, Reliability
from kb.models.claims import CandidateDetail, Citation, Claim, ClaimQuerySet, Entity, Relation, TagCount
from kb.models.jobs import ImportJob
from kb.models.search import ClaimText
from kb.models.sources import (
    NonClaim,
    Page,
    Passage,
    PendingImport,
    RangeCheck,
    Section,
    Source,
    SourceLink,
    SourceQuerySet,
    ShingleHolders,
    SourceShingle,
)

__all__ = [
    "Anchoring", "Annotation", "AnnotationReference", "ApiToken", "CandidateDetail", "Citation", "Claim", "ClaimText",
    "ClaimQuerySet", "Credibility", "Entity", "ImportJob", "KbGeneration", "LoginFailure", "NonClaim", "Page", "Passage",
    "PendingImport", "RangeCheck", "Reliability", "ReviewDecision", "Section", "Source",
    "ShingleHolders", "SourceLink", "SourceQuerySet", "SourceShingle", "TagCount",
]
