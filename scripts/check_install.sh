#!/usr/bin/env bash
# Prove that a plain (not editable) `pip install .` gives a working app, run from another folder:
# a fresh venv in a temporary folder, the package installed from a copy of this checkout, then,
# from a third folder with no checkout in sight: `check`, `migrate` on a temporary SQLite,
# `collectstatic`, and `/` and `/claims/` rendered through Django's test Client with production
# settings (DEBUG off, so WhiteNoise serves the static files). Exits non-zero on any failure.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== copy of the checkout (tracked and new files) =="
mkdir "$WORK/src"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
  | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$WORK/src"

echo "== fresh venv, pip install . (not editable) =="
"$PYTHON" -m venv "$WORK/venv"
VENV_PY="$WORK/venv/bin/python"
"$VENV_PY" -m pip install --quiet --disable-pip-version-check "$WORK/src"
rm -rf "$WORK/src"  # nothing may be read from the checkout from here on

mkdir "$WORK/elsewhere"
cd "$WORK/elsewhere"
export DJANGO_SETTINGS_MODULE=kb.settings
export DEBUG=0 ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0
export SECRET_KEY="$("$VENV_PY" -c 'import secrets; print(secrets.token_urlsafe(60))')"
export DATABASE_URL="sqlite:///$WORK/check.sqlite3"
export STATIC_ROOT="$WORK/staticfiles"

"$VENV_PY" - <<'EOF'
import kb, os
from pathlib import Path
where = Path(kb.__file__).resolve().parent
assert "site-packages" in where.parts, where
for shipped in ("templates/base.html", "templates/kb/claim_list.html", "static/kb/claimbook.css",
                "migrations/0001_initial.py", "management/commands/bootstrap.py", "templatetags/markdown_safe.py"):
    assert (where / shipped).is_file(), f"not installed: kb/{shipped}"
print(f"installed at {where}")
EOF

echo "== django check =="
"$VENV_PY" -m django check
echo "== migrate (temporary SQLite) =="
"$VENV_PY" -m django migrate --noinput -v 0
echo "== collectstatic =="
"$VENV_PY" -m django collectstatic --noinput -v 1

echo "== pages and a static file through the test Client =="
"$VENV_PY" - <<'EOF'
import re

import django

django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
client = Client()
for path in ("/", "/claims/"):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.templates and response.templates[-1].origin.name.startswith(str(settings.PACKAGE_DIR)), path
    print(f"GET {path} -> {response.status_code} ({len(response.content)} bytes, {response.templates[0].name})")
html = client.get("/").content.decode()
match = re.search(r'href="(/static/kb/claimbook\.[0-9a-f]+\.css)"', html)
assert match, "the page does not link the hashed kb/claimbook.css"
css = client.get(match.group(1))
body = b"".join(css.streaming_content) if css.streaming else css.content
assert css.status_code == 200 and body.strip(), (match.group(1), css.status_code)
print(f"GET {match.group(1)} -> {css.status_code} ({len(body)} bytes, served by WhiteNoise)")
EOF
echo "check_install: OK"
