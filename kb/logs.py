"""Structured logs on standard output: one line per request and per job, errors once with
their traceback. `LOG_FORMAT=json` writes one JSON object per line; the default is plain text
with the same fields as key=value.

Every record carries the request id (taken from a valid `X-Request-ID` header, else made up,
and sent back in the response) and the signed-in user's id. Nothing secret is written:
request bodies, cookies and headers are never logged, query strings are left out of paths,
and any field whose name looks secret (password, token, session, cookie, secret,
authorization, csrf) is replaced by "[redacted]".
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("claimbook_request_id", default="-")
_user: contextvars.ContextVar[str] = contextvars.ContextVar("claimbook_user", default="-")

VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SECRET_NAMES = re.compile(r"pass|token|secret|session|cookie|authorization|csrf|api_?key", re.I)
STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "request_id", "user"}
# Objects Django attaches to records that would drag headers and cookies into the log.
DROPPED = {"request", "server_time"}

requests_logger = logging.getLogger("kb.requests")


class RequestContextFilter(logging.Filter):
    """Stamp every record with the current request id and user."""

    def filter(self, record):
        record.request_id = _request_id.get()
        record.user = _user.get()
        return True


def _extras(record) -> dict:
    extras = {}
    for key, value in record.__dict__.items():
        if key in STANDARD or key in DROPPED or key.startswith("_"):
            continue
        if SECRET_NAMES.search(key):
            extras[key] = "[redacted]"
        elif isinstance(value, (str, int, float, bool)) or value is None:
            extras[key] = value
        elif isinstance(value, (list, dict, tuple)):
            try:
                json.dumps(value)
                extras[key] = value
            except (TypeError, ValueError):
                extras[key] = str(value)[:200]
        else:
            extras[key] = str(value)[:200]
    return extras


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"), "user": getattr(record, "user", "-"),
            **_extras(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    def format(self, record):
        line = (f"{self.formatTime(record, '%Y-%m-%d %H:%M:%S')} {record.levelname} {record.name} "
                f"[{getattr(record, 'request_id', '-')} user={getattr(record, 'user', '-')}] {record.getMessage()}")
        extras = _extras(record)
        if extras:
            line += " " + " ".join(f"{key}={value}" for key, value in extras.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


JsonFormatter.converter = PlainFormatter.converter = time.gmtime


class RequestLogMiddleware:
    """First in the chain: gives the request its id, then logs one line when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if VALID_REQUEST_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        from kb.auth import client_ip  # here: kb.logs is read by the settings, before the models exist

        id_token, user_token = _request_id.set(request_id), _user.set("-")
        began = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            user = getattr(request, "_cached_user", None)  # only if the request looked at it
            if user is not None:
                _user.set(str(user.pk) if user.is_authenticated else "anonymous")
            level = logging.WARNING if status >= 500 else logging.INFO
            if requests_logger.isEnabledFor(level):  # LOG_LEVEL=WARNING: no line to build
                requests_logger.log(level, "%s %s %s", request.method, request.path, status, extra={
                    "method": request.method, "path": request.path[:500], "status": status,
                    "duration_ms": round((time.perf_counter() - began) * 1000, 1), "ip": client_ip(request),
                })
            _request_id.reset(id_token)
            _user.reset(user_token)


def logging_config(*, fmt: str, level: str) -> dict:
    formatter = "json" if fmt == "json" else "plain"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "kb.logs.RequestContextFilter"}},
        "formatters": {"json": {"()": "kb.logs.JsonFormatter"}, "plain": {"()": "kb.logs.PlainFormatter"}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                                "formatter": formatter, "filters": ["context"]}},
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's own error log says "Internal Server Error" with the traceback: once.
            "django": {"level": level, "propagate": True},
            # Its per-request 4xx warnings repeat what kb.requests already says.
            "django.request": {"level": "ERROR", "propagate": True},
            "django.server": {"level": "WARNING", "propagate": True},
            # The task library's own lines repeat kb.jobs' "job started/finished".
            "django_tasks": {"level": "WARNING", "propagate": True},
            "django_tasks_db": {"level": "WARNING", "propagate": True},
        },
    }
