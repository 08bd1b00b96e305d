"""System checks for a production deployment (`manage.py check --deploy`)."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string


@register(Tags.staticfiles, deploy=True)
def static_manifest_exists(app_configs=None, **kwargs):
    """With hashed static files (DEBUG off), every page needs the manifest that
    `collectstatic` writes: without it each page fails while rendering its first asset."""
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    try:
        storage_class = import_string(backend)
    except ImportError:
        return []
    from django.contrib.staticfiles.storage import ManifestFilesMixin

    if not issubclass(storage_class, ManifestFilesMixin):
        return []
    manifest = Path(settings.STATIC_ROOT) / getattr(storage_class, "manifest_name", "staticfiles.json")
    if manifest.exists():
        return []
    return [Error(
        f"The static files manifest {manifest} is missing, so every page would fail.",
        hint="Run `manage.py collectstatic --noinput` (make serve does) before starting the server, "
             "with the same STATIC_ROOT.",
        id="kb.E001",
    )]
