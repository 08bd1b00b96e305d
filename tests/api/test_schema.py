"""The OpenAPI document is valid 3.1, and the browsable docs load nothing from another site."""
import json
import re

from django.contrib.staticfiles import finders
from openapi_spec_validator import OpenAPIV31SpecValidator, validate


def test_schema_is_valid_openapi_3_1(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.1")
    validate(schema, cls=OpenAPIV31SpecValidator)


def test_every_error_response_is_a_problem_document(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)


def test_reads_are_open_and_writes_need_credentials(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            security = operation["security"]
            if method == "get":
                assert {} in security, path
            else:
                assert {} not in security and {"TokenAuth": []} in security, (method, path)
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_docs_load_only_local_assets(client):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets and all(not re.match(r"(?i)(https?:)?//", url) for url in assets), assets
    for url in assets:
        assert url.startswith("/static/ninja/")
        assert finders.find(url.removeprefix("/static/")), url
    assert not re.search(r"(?i)https?://(?!testserver)", html)
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)[1])
    assert settings["validatorUrl"] is None  # Swagger UI would otherwise call validator.swagger.io
