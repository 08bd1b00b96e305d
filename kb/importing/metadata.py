"""Metadata files that sit beside a document: `NAME.meta.yaml` next to `NAME.txt`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from kb.forms.sources import SourceMetadataForm
from kb.importing.decode import ImportRefused

META_SUFFIXES = (".meta.yaml", ".meta.yml", ".meta.json")


def is_metadata_file(path: Path) -> bool:
    return path.name.endswith(META_SUFFIXES)


def metadata_path(document: Path) -> Path | None:
    for suffix in META_SUFFIXES:
        candidate = document.with_name(document.stem + suffix)
        if candidate.exists():
            return candidate
    return None


def _as_text(value) -> str | None:
    """A YAML scalar as the text a web form would send; None for a list or mapping."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def validate_metadata(raw: dict, origin: str) -> dict:
    """Validate through the same form as the web import; errors name the origin and field."""
    not_names = [repr(key) for key in raw if not isinstance(key, str)]
    if not_names:
        raise ImportRefused("metadata", f"{origin}: metadata field names must be text, not {', '.join(not_names)}")
    data = {key: _as_text(value) for key, value in raw.items()}
    lists = sorted(key for key, value in data.items() if value is None)
    if lists:
        raise ImportRefused("metadata", f"{origin}: one value each, not a list or mapping: {', '.join(lists)}")
    form = SourceMetadataForm(data=data)
    if not form.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
        )
        raise ImportRefused("metadata", f"{origin}: invalid metadata ({problems})")
    unknown = sorted(set(raw) - set(form.fields))
    if unknown:
        raise ImportRefused("metadata", f"{origin}: unknown metadata fields: {', '.join(unknown)}")
    return form.cleaned_data


def attachment_metadata(raw: dict, *, carrier_slug: str, carrier_title: str) -> dict:
    """The raw metadata for a file attached to an e-mail, from the e-mail's: the same kind,
    reliability, publisher and language; its own title, slug, date and address (found in it,
    or empty); and a note that says where it came from."""
    kept = {key: value for key, value in raw.items()
            if key not in {"slug", "title", "url", "published", "retrieved", "author", "reliability_note"}}
    return {**kept, "reliability_note": f"Attached to the e-mail “{carrier_title}” ({carrier_slug})."[:2000]}


def read_metadata(document: Path) -> dict:
    path = metadata_path(document)
    if path is None:
        return validate_metadata({}, str(document))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportRefused("metadata", f"{path}: cannot read metadata ({exc})") from exc
    if not isinstance(raw, dict):
        raise ImportRefused("metadata", f"{path}: metadata must be a mapping of field: value")
    return validate_metadata(raw, str(path))
