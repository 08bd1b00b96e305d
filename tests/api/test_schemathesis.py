"""Property-based tests generated from the OpenAPI schema (schemathesis), run against the
WSGI app in-process: a bounded number of examples per operation, as anonymous visitors and as
an editor with a write token. No 5xx, and every response conforms to the schema (status
codes, content types, headers, bodies).

One of schemathesis's checks is left out: that every schema-valid request is accepted. The
API refuses, with a 4xx problem, input that is well-formed but wrong in ways JSON Schema
cannot say (a quote that is not in the text at that place, "to" before "from", a cursor the
API did not sign), and that is the behaviour the other tests pin.
"""
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kb.services.tokens import token_create
from tests.factories import make_user

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
EXAMPLES = 10


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The app is called directly (not through Django's test Client), so its request signals would
    close the test's database connection once CONN_MAX_AGE passes, mid-transaction on PostgreSQL.
    Django's Client disconnects close_old_connections the same way for its requests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def editor_token(db):
    _token, secret = token_create(by=make_user("editor", "fuzzing-editor"), name="fuzz", scope="write")
    return secret


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_anonymous_calls_conform(case, seeds):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_editor_calls_conform(case, seeds, editor_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {editor_token}"}, excluded_checks=[positive_data_acceptance])
