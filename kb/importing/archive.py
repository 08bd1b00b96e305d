"""A zip of documents to import at once: read it defensively, or refuse it whole.

Nothing is written until every member has passed: a name that climbs out (`../`, an absolute
path), more members than the batch limit, a member or a total that expands past the size
limits (a zip bomb), or bytes that are not a zip at all each refuse the whole archive with a
message that says which. Sizes are checked twice: the sizes the archive declares, then the
bytes actually inflated, read in bounded chunks, so a lying header gains nothing.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from kb.importing.decode import ImportRefused

CHUNK = 64 * 1024
SKIPPED_PREFIXES = ("__MACOSX/", ".")


def is_zip(name: str, data: bytes) -> bool:
    """A zip of documents to import one by one; a Word file is a zip too, but one document."""
    from kb.importing.word import is_docx

    if name.lower().endswith(".zip"):
        return True
    return data[:4] == b"PK\x03\x04" and not is_docx(data, name)


def read_archive(data: bytes, *, name: str, max_files: int, max_member_bytes: int,
                 max_total_bytes: int) -> list[tuple[str, bytes]]:
    """The documents in a zip as (name, bytes), in archive order; ImportRefused otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise ImportRefused("not_zip", f"{name}: not a zip archive (or a damaged one); nothing was imported") from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        for info in members:
            _check_name(info.filename, name)
        members = [info for info in members if not _skipped(info.filename)]
        if not members:
            raise ImportRefused("empty", f"{name}: the archive holds no documents; nothing was imported")
        if len(members) > max_files:
            raise ImportRefused(
                "too_many_files",
                f"{name}: the archive holds {len(members):,} files, over the limit of {max_files:,} "
                "for one batch (CLAIMBOOK_MAX_BATCH_FILES); nothing was imported",
            )
        declared = sum(info.file_size for info in members)
        if declared > max_total_bytes:
            raise _too_large(name, declared, max_total_bytes)
        documents, total = [], 0
        for info in members:
            if info.flag_bits & 0x1:
                raise ImportRefused("encrypted", f"{name}: {info.filename} is encrypted; nothing was imported")
            body = _inflate(archive, info, name, max_member_bytes, max_total_bytes, total)
            total += len(body)
            documents.append((info.filename, body))
    return documents


def _check_name(member: str, name: str) -> None:
    path = PurePosixPath(member.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (member[1:2] == ":"):
        raise ImportRefused(
            "unsafe_path", f"{name}: the archive names a path outside itself ({member!r}); nothing was imported",
        )


def _skipped(member: str) -> bool:
    base = PurePosixPath(member).name
    return member.startswith(SKIPPED_PREFIXES) or base.startswith(".") or base.endswith(
        (".meta.yaml", ".meta.yml", ".meta.json")) or base in {"README", "README.md", "README.txt"}


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, member_limit: int,
             total_limit: int, total_so_far: int) -> bytes:
    limit = min(member_limit, total_limit - total_so_far)
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    if size > member_limit:
                        raise ImportRefused(
                            "too_large", f"{name}: {info.filename} expands past the {member_limit:,}-byte "
                            "limit for one document (CLAIMBOOK_MAX_IMPORT_BYTES); nothing was imported",
                        )
                    raise _too_large(name, total_so_far + size, total_limit)
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError):
        raise ImportRefused("not_zip", f"{name}: {info.filename} cannot be read from the archive; nothing was imported") from None
    return b"".join(chunks)


def _too_large(name: str, size: int, limit: int) -> ImportRefused:
    return ImportRefused(
        "too_large", f"{name}: the archive expands to more than {limit:,} bytes "
        "(CLAIMBOOK_MAX_BATCH_BYTES); nothing was imported",
    )
