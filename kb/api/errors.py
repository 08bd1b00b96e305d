"""Errors as `application/problem+json` (RFC 9457), with the codes the forms and services use.

Every problem has `type`, `title`, `status`, `detail` and `code`; invalid input adds `errors`,
one per field: `{"field": "body", "code": "too_long", "message": "..."}`. The codes are those
of the `ValidationError`s raised by kb/forms and kb/services, so a script can test
`code == "quote_mismatch"` exactly as the tests of the pages do.
"""
from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kb.services.common import StaleEdit, version_token

PROBLEM_TYPE = "urn:claimbook:problem:"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Invalid input",
    429: "Too many requests",
}
STATUS_CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 429: "rate_limited"}


class Problem(Exception):
    """Raised anywhere under /api/ to answer with a problem document."""

    def __init__(self, status: int, code: str, detail: str, *, errors=None, headers=None, **extra):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra


def problem_response(problem: Problem) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE + problem.code,
        "title": TITLES.get(problem.status, "Error"),
        "status": problem.status,
        "detail": problem.detail,
        "code": problem.code,
        **({"errors": problem.errors} if problem.errors else {}),
        **problem.extra,
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=problem.status, content_type=CONTENT_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def field_errors(exc: DjangoValidationError) -> list[dict]:
    """A service's or form's ValidationError as a list of {field, code, message}."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": name if name != "__all__" else None, "code": error.code or "invalid", "message": message}
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [{"field": None, "code": error.code or "invalid", "message": message}
            for error in exc.error_list for message in error.messages]


def form_problem(form) -> Problem:
    errors = [
        {"field": None if name == "__all__" else name, "code": error.code or "invalid", "message": message}
        for name, items in form.errors.as_data().items()
        for error in items
        for message in error.messages
    ]
    return Problem(422, errors[0]["code"], "The input is not valid.", errors=errors)


def _validation(request, exc: DjangoValidationError):
    errors = field_errors(exc)
    if isinstance(exc, StaleEdit):
        return problem_response(Problem(
            409, "stale", errors[0]["message"], current_version=version_token(exc.current),
        ))
    return problem_response(Problem(422, errors[0]["code"] if errors else "invalid", "The input is not valid.", errors=errors))


# pydantic's error types, as the codes Django's form fields give the same mistakes.
SCHEMA_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "string_too_long": "max_length",
    "too_long": "max_length",
    "string_too_short": "min_length",
    "too_short": "min_length",
    "greater_than_equal": "min_value",
    "greater_than": "min_value",
    "less_than_equal": "max_value",
    "less_than": "max_value",
}


def _schema_validation(request, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "kind") -> "kind": the part a client wrote.
        field = ".".join(location[2:] if location[:1] == ["body"] else location[1:]) or None
        code = SCHEMA_CODES.get(error.get("type", ""), "invalid")
        errors.append({"field": field, "code": code, "message": error.get("msg", "")})
    code = errors[0]["code"] if errors else "invalid"
    return problem_response(Problem(422, code, "The input does not match the schema.", errors=errors))


def _http_error(request, exc: HttpError):
    status = exc.status_code
    if isinstance(exc.__cause__, RequestDataTooBig):
        return problem_response(Problem(400, "too_large", "The request body is larger than the API accepts."))
    if status == 400 and "parse" in str(exc):
        return problem_response(Problem(400, "malformed_json", "The request body is not valid JSON."))
    if isinstance(exc, AuthenticationError):
        return problem_response(Problem(
            401, "not_authenticated", "Send a token (Authorization: Bearer ...) or sign in.",
            headers={"WWW-Authenticate": 'Bearer realm="claimbook"'},
        ))
    detail = str(exc) or TITLES.get(status, "Error")
    code = "csrf_failed" if status == 403 and "CSRF" in detail else STATUS_CODES.get(status, "error")
    return problem_response(Problem(status, code, detail))


def install(api) -> None:
    api.add_exception_handler(Problem, lambda request, exc: problem_response(exc))
    api.add_exception_handler(DjangoValidationError, _validation)
    api.add_exception_handler(NinjaValidationError, _schema_validation)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(
        PermissionDenied,
        lambda request, exc: problem_response(Problem(403, "permission_denied", str(exc) or "You may not do this.")),
    )
    api.add_exception_handler(
        Http404, lambda request, exc: problem_response(Problem(404, "not_found", "There is nothing here."))
    )
    api.add_exception_handler(
        RequestDataTooBig,
        lambda request, exc: problem_response(Problem(400, "too_large", "The request body is larger than the API accepts.")),
    )


def not_found_view(request, rest=""):
    """Any other address under /api/: a problem document, as every API answer is."""
    return problem_response(Problem(404, "not_found", "There is no such API address; see /api/docs/."))
