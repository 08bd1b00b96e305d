"""Structured logs: a line per request with its id, user, status and duration; JSON when asked;
errors once with their traceback; never a password, session id or token."""
import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kb.logs import JsonFormatter, PlainFormatter, RequestContextFilter

PASSWORD = "a-very-secret-password-42"


def lines(caplog, formatter=None):
    formatter = formatter or JsonFormatter()
    context = RequestContextFilter()
    out = []
    for record in caplog.records:
        if not hasattr(record, "request_id"):
            context.filter(record)
        out.append(formatter.format(record))
    return out


def test_each_request_logs_one_line_with_id_user_status_and_duration(client, db, caplog):
    caplog.set_level(logging.INFO, logger="kb.requests")
    response = client.get("/claims/?q=tunnels", HTTP_X_REQUEST_ID="trace-1234abcd")
    assert response["X-Request-ID"] == "trace-1234abcd"
    (entry,) = [json.loads(line) for line in lines(caplog) if '"kb.requests"' in line]
    assert entry["request_id"] == "trace-1234abcd" and entry["method"] == "GET"
    assert entry["path"] == "/claims/" and entry["status"] == 200 and entry["duration_ms"] >= 0
    assert "tunnels" not in json.dumps(entry)  # query strings are left out


def test_a_made_up_request_id_when_none_or_a_bad_one_is_sent(client, db):
    first = client.get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert len(first) == 32 and first.isalnum()
    assert client.get("/")["X-Request-ID"] != first


def test_a_signed_in_users_id_is_logged(client, db, caplog):
    user = get_user_model().objects.create_user("logged-editor")
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="kb.requests")
    client.get("/claims/")
    (entry,) = [json.loads(line) for line in lines(caplog) if '"kb.requests"' in line]
    assert entry["user"] == str(user.pk)


def test_nothing_secret_reaches_the_log(client, db, caplog, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_user_model().objects.create_user("secret-keeper", password=PASSWORD)
    caplog.set_level(logging.DEBUG)
    client.post(reverse("login"), {"username": "secret-keeper", "password": "wrong-" + PASSWORD})
    client.post(reverse("login"), {"username": "secret-keeper", "password": PASSWORD})
    session_id = client.cookies["sessionid"].value
    client.get("/claims/")
    logging.getLogger("kb.test").warning("with extras", extra={"password": PASSWORD, "api_token": "tok-123",
                                                                "session_key": session_id})
    text = "\n".join(lines(caplog) + lines(caplog, PlainFormatter()))
    assert PASSWORD not in text and session_id not in text and "tok-123" not in text
    assert '"password": "[redacted]"' in text


def test_errors_are_logged_once_with_their_traceback(client, db, caplog, monkeypatch):
    from kb.views import home

    def broken(request):
        raise RuntimeError("boom in a view")

    monkeypatch.setattr(home, "home", broken)
    from django.urls import clear_url_caches

    client.raise_request_exception = False
    caplog.set_level(logging.INFO)
    import kb.urls
    import importlib

    importlib.reload(kb.urls)
    clear_url_caches()
    try:
        response = client.get("/")
    finally:
        monkeypatch.undo()
        importlib.reload(kb.urls)
        clear_url_caches()
    assert response.status_code == 500
    formatted = lines(caplog)
    with_traceback = [line for line in formatted if "RuntimeError: boom in a view" in line]
    assert len(with_traceback) == 1 and "Traceback" in with_traceback[0]
    request_line = json.loads([line for line in formatted if '"kb.requests"' in line][0])
    assert request_line["status"] == 500 and request_line["level"] == "WARNING"
