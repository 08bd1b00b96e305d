"""docs/deploy.md names every environment variable the code reads."""
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
READS = re.compile(r"""(?:os\.environ\.get|os\.getenv|env_bool|env_list|env_int|os\.environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")


def variables_read() -> set[str]:
    found = set()
    for path in (ROOT / "kb").rglob("*.py"):
        found.update(READS.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_environment_variable_is_documented():
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    variables = variables_read()
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "PORT", "BIND"} <= variables
    missing = sorted(name for name in variables if f"`{name}`" not in docs)
    assert missing == [], f"add these to docs/deploy.md: {missing}"
