"""The three roles, as Django groups with the permissions each one holds.

Researchers read (as anonymous visitors do); editors write claims and annotations;
admins also import documents, hide annotations and manage users, and are Django staff.
"""
from __future__ import annotations

RESEARCHER = "researcher"
EDITOR = "editor"
ADMIN = "admin"
ROLES = (RESEARCHER, EDITOR, ADMIN)

_EDITED = ["claim", "citation", "relation", "annotation", "annotationreference", "reviewdecision", "entity"]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    RESEARCHER: [],
    EDITOR: [("kb", f"{action}_{model}") for model in _EDITED for action in ("add", "change", "view")],
    ADMIN: [("kb", f"{action}_{model}") for model in _EDITED for action in ("add", "change", "view")]
    + [("kb", "hide_annotation"), ("kb", "add_source"), ("kb", "view_source"), ("kb", "change_source")]
    + [("auth", f"{action}_{model}") for model in ("user", "group") for action in ("add", "change", "view")],
}


def sync_role_groups(group_model, permission_model) -> None:
    """Create the groups and give each exactly its permissions (used by the data migration)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = [
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in perms
        ]
        group.permissions.set(wanted)
