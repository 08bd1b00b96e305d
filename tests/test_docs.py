"""The editors' guide names every role, the account command and each part of the workflow."""
from pathlib import Path

from django.conf import settings

from kb.roles import ROLES
from kb.selectors.claim_rules import RULES


def test_editors_guide_covers_the_features():
    text = (Path(settings.BASE_DIR) / "docs" / "editors.md").read_text(encoding="utf-8")
    for role in ROLES:
        assert f"`{role}`" in text
    for needle in ("create_user", "CLAIMBOOK_PASSWORD", "/accounts/login/", "/review/", "merge", "retract",
                   "rationale", "nofollow noopener", "CLAIMBOOK_LOGIN_MAX_FAILURES", "history", "hide"):
        assert needle.lower() in text.lower(), needle


def test_editors_guide_names_every_claim_rule():
    text = (Path(settings.BASE_DIR) / "docs" / "editors.md").read_text(encoding="utf-8")
    assert [code for code in RULES if f"`{code}`" not in text] == []
