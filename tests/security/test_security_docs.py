"""docs/security.md keeps up with what the code does: roles, headers, checks, logs, reporting."""
from pathlib import Path

from django.conf import settings

from kb.middleware import CONTENT_SECURITY_POLICY
from kb.roles import ROLES


def test_security_page_covers_the_threat_model():
    text = (Path(settings.BASE_DIR) / "docs" / "security.md").read_text(encoding="utf-8")
    for role in ROLES:
        assert f"`{role}`" in text, role
    assert CONTENT_SECURITY_POLICY in text
    for needle in ("Permissions-Policy", "Referrer-Policy", "X-Content-Type-Options", "claim_closed", "StaleEdit",
                   "date_out_of_range", "NUL", "EMAIL_HOST", "LoginFailure", "Reporting a vulnerability",
                   "Public", "tests/security/", "kb/admin/versioned.py", "markdown_safe"):
        assert needle in text, needle
