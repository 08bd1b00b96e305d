"""Two writers at the same moment, on PostgreSQL (real transactions in two threads): one wins,
the other is told clearly or becomes the next version; no IntegrityError reaches anyone.

SQLite serialises writers on one lock, so these races cannot happen there: PostgreSQL only."""
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from kb.models import Claim, Relation, Source
from kb.services import sources as sources_service
from kb.services.claims import relation_add
from kb.services.sources import source_import

pytestmark = [
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="concurrent writers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed_after_flush"),
]


@pytest.fixture(scope="module")
def reseed_after_flush(django_db_blocker):
    """These tests commit for real and end with a flush of every table: put back what the
    rest of the suite expects once the module is done."""
    from tests.browser.conftest import ensure_curated_data

    yield
    with django_db_blocker.unblock():
        ensure_curated_data()


def in_threads(*calls):
    """Run each call in its own thread (own connection), all released together; return
    (results, errors) in call order."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # collected: the test asserts there are none
            errors[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def doc(words):
    return f"# Raced report\n\nThe ministry said in 2019 that {words}.\n".encode()


def test_two_imports_of_the_same_new_slug_one_becomes_the_next_version(monkeypatch):
    # Both pass the "is there a current version?" check before either stores: a real race.
    seen = threading.Barrier(2)
    store = sources_service._store
    first_call = threading.local()

    def store_after_both_looked(*args, **kwargs):
        if not getattr(first_call, "done", False):
            first_call.done = True
            seen.wait(timeout=10)
        return store(*args, **kwargs)

    monkeypatch.setattr(sources_service, "_store", store_after_both_looked)
    results, errors = in_threads(
        lambda: source_import(data=doc("talks resumed"), name="a.md", metadata={"slug": "raced"}, candidates=False),
        lambda: source_import(data=doc("talks failed"), name="b.md", metadata={"slug": "raced"}, candidates=False),
    )
    assert errors == [None, None]
    assert sorted(r.status for r in results) == ["created", "version"]
    assert sorted(Source.objects.filter(slug="raced").values_list("version", flat=True)) == [1, 2]
    assert Source.objects.filter(slug="raced", is_current=True).count() == 1


def test_two_new_versions_of_one_source_become_versions_two_and_three():
    source_import(data=doc("the first text"), name="a.md", metadata={"slug": "versioned"}, candidates=False)
    results, errors = in_threads(
        lambda: source_import(data=doc("a second text"), name="b.md", metadata={"slug": "versioned"}, candidates=False),
        lambda: source_import(data=doc("a third text"), name="c.md", metadata={"slug": "versioned"}, candidates=False),
    )
    assert errors == [None, None]
    assert sorted(r.version for r in results) == [2, 3]
    assert Source.objects.get(slug="versioned", is_current=True).version == 3


def test_the_same_relation_added_twice_at_once_is_stored_once_and_the_other_told():
    claims = [Claim.objects.create(statement=f"Raced claim {n}.", status="published", credibility="3")
              for n in (1, 2)]
    add = lambda: relation_add(from_claim=claims[0], to_claim=claims[1], type="refines", by=None)  # noqa: E731
    results, errors = in_threads(add, add)
    assert Relation.objects.filter(from_claim=claims[0], to_claim=claims[1], type="refines").count() == 1
    outcomes = sorted(type(e).__name__ if e else "ok" for e in errors)
    assert outcomes in (["ValidationError", "ok"],)
    refused = next(e for e in errors if e)
    assert isinstance(refused, ValidationError) and refused.code == "duplicate_relation"


def test_a_merge_and_a_relation_add_raced_never_end_in_an_integrity_error():
    from kb.services.claims import claim_merge

    for attempt in range(3):  # the interleaving varies: every one must end cleanly
        x, target, other = [Claim.objects.create(statement=f"Merge race {attempt}.{n}.", status="published")
                             for n in range(3)]
        relation_add(from_claim=x, to_claim=other, type="refines", by=None)
        results, errors = in_threads(
            lambda: claim_merge(claim=x, into=target, by=None),
            lambda: relation_add(from_claim=target, to_claim=other, type="refines", by=None),
        )
        assert errors[0] is None
        assert errors[1] is None or getattr(errors[1], "code", None) == "duplicate_relation"
        assert Relation.objects.filter(from_claim=target, to_claim=other, type="refines").count() == 1
