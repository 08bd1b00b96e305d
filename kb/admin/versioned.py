"""Stale-edit protection for the admin's change forms, the same as the editing pages have.

A change form carries the version of the row it was drawn from in a hidden field. When it
comes back, the row is locked (the admin saves inside a transaction) and its version compared:
if someone saved in between, through a page or another admin form, the form is refused with
the conflict message of kb/services/common.StaleEdit and nothing is written.

Rows with an `updated_at` use the pages' own token (kb.services.common.version_token); rows
without one (entities) use a digest of their stored values, so any change counts.
"""
from __future__ import annotations

import hashlib
import json

from django import forms
from django.contrib import admin

from kb.services.common import StaleEdit, version_token


def admin_version(obj) -> str:
    if hasattr(obj, "updated_at"):
        return version_token(obj)
    # Counts kept by other writers (an entity's claim count) are not the form's version.
    values = {f.attname: f.value_to_string(obj) for f in obj._meta.concrete_fields if f.editable}
    return "sha256:" + hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


class VersionedAdminForm(forms.ModelForm):
    version = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": "This form has no version: reload the page."}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = admin_version(self.instance)
        else:
            self.fields["version"].required = False  # a new row has no earlier version

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None and "version" in data:
            current = type(self.instance)._default_manager.select_for_update().get(pk=self.instance.pk)
            if data["version"] != admin_version(current):
                raise StaleEdit(current)
            self.check_current(current)
        return data

    def check_current(self, current) -> None:
        """Refuse the change for a reason the services own (override per model)."""


class VersionedAdmin(admin.ModelAdmin):
    """A change form that refuses to overwrite a newer version."""

    form = VersionedAdminForm

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "version"]
        return fields + (["version"] if obj is not None and self.has_change_permission(request, obj) else [])
