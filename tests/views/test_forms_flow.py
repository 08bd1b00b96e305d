"""kb.views.forms_flow: a form run through a service, its ValidationError codes on the fields."""
import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from kb.views.forms_flow import add_errors, numbered_claim, submit


class NumberForm(forms.Form):
    number = forms.IntegerField()
    note = forms.CharField(required=False)


def _post(data):
    request = RequestFactory().post("/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_service_error_naming_a_field_lands_on_that_field_and_others_on_the_form():
    form = NumberForm({"number": "3"})
    assert form.is_valid()
    add_errors(form, ValidationError({"number": ValidationError("no", code="not_found"),
                                      "elsewhere": ValidationError("odd", code="odd")}))
    assert form.has_error("number", code="not_found")
    assert form.has_error(forms.forms.NON_FIELD_ERRORS, code="odd")


def test_submit_redirects_after_the_write_and_never_writes_from_an_invalid_form():
    calls = []
    request = _post({"number": "x"})
    done = submit(request, NumberForm(request.POST), lambda: calls.append(1), success="ok", then=lambda _: "/there/")
    assert done.response is None and calls == [] and done.form.has_error("number", code="invalid")

    request = _post({"number": "4"})
    done = submit(request, NumberForm(request.POST), lambda: 4, success=lambda n: f"saved {n}", then=lambda _: "/there/")
    assert done.response.status_code == 302 and done.response["Location"] == "/there/"
    assert [str(m) for m in request._messages] == ["saved 4"]


def test_submit_puts_the_services_refusal_on_the_form():
    def refuse():
        raise ValidationError({"note": ValidationError("too long", code="too_long")})

    request = _post({"number": "4", "note": "n"})
    done = submit(request, NumberForm(request.POST), refuse, success="ok", then=lambda _: "/")
    assert done.response is None and done.form.has_error("note", code="too_long")


def test_a_claim_number_that_names_no_claim_is_a_not_found_error_on_its_field(db):
    form = NumberForm({"number": "999999"})
    assert form.is_valid()
    with pytest.raises(ValidationError) as raised:
        numbered_claim(form, "number")
    add_errors(form, raised.value)
    assert form.has_error("number", code="not_found")
