"""kb/text/ is pure Python: its tests run without a database. A test here that asks for one
fails at once (pytest-django already refuses any query from a test without the db fixture)."""
import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server", "client", "admin_client", "django_user_model"}


@pytest.fixture(autouse=True)
def _no_database(request):
    asked = DATABASE_FIXTURES & set(request.fixturenames)
    if asked or request.node.get_closest_marker("django_db"):
        pytest.fail(f"tests of kb/text/ run without a database; {request.node.name} asks for {sorted(asked) or 'django_db'}")
