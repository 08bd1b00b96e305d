"""docs/api.md stays true: every operation of the schema is in its table, and its example runs
(its HTTP calls routed to the app in-process) and finds every quote where its selectors say."""
import io
import re
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from kb.models import Annotation
from kb.services.tokens import token_create

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
pytestmark = pytest.mark.django_db


def test_every_operation_is_documented(client):
    text = DOC.read_text()
    documented = set()
    for method, paths in re.findall(r"^\| `(GET|POST|PATCH) ([^|]+)\|", text, flags=re.M):
        for path in re.findall(r"(/api/[^`,\s]*|/[a-z]+)`?", paths):
            documented.add((method, path))
    schema = client.get("/api/openapi.json").json()
    missing = []
    for path, operations in schema["paths"].items():
        for method in operations:
            doc_path = path.replace("{pk}", "{id}")
            tail = "/" + doc_path.rstrip("/").rsplit("/", 1)[-1]
            if (method.upper(), doc_path) not in documented and not any(
                m == method.upper() and (p == tail or p.rstrip("/") == tail) for m, p in documented
            ) and not path.startswith("/api/exports/"):
                missing.append(f"{method.upper()} {path}")
    assert not missing, missing
    for export in ("annotations.jsonld", "claimreviews.jsonld", "claims.csv", "claims.qs"):
        assert f"/api/exports/{export}" in text


class _Response(io.BytesIO):
    def __init__(self, response):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        super().__init__(body)
        self.headers = {"Content-Type": response["Content-Type"]}
        self.status = response.status_code

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_example_runs_and_every_quote_checks_out(monkeypatch, seeds, capsys, users):
    _token, secret = token_create(by=users["editor"], name="docs example", scope="write")
    client = Client()

    def urlopen(request):
        path = request.full_url.replace("http://127.0.0.1:8000", "").replace("http://testserver", "")
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.header_items()}
        headers.pop("HTTP_CONTENT_TYPE", None)
        response = client.generic(request.get_method(), path, request.data or b"",
                                  content_type="application/json", **headers)
        assert response.status_code < 400, (path, response.content[:300])
        return _Response(response)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    monkeypatch.setenv("CLAIMBOOK_TOKEN", secret)
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)[1]
    before = Annotation.objects.count()
    exec(compile(code, str(DOC), "exec"), {"__name__": "docs_example"})
    output = capsys.readouterr().out
    assert "[ok]" in output and "MISMATCH" not in output
    assert "annotated: http://testserver/claims/" in output
    assert Annotation.objects.count() == before + 1
