"""Checksums: the sha256 of a file or of every file of a folder, the files of a
folder that no longer match a recorded list, and an installed model package
checked against its wheel's RECORD (the embedders in index/embedding.py; the
generator's converted folders are checked in qa/models.py).

Not handled: files a package creates after installation (they have no RECORD
entry and are not checked).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from .errors import ModelUnavailable


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
    return h.hexdigest()


def folder_checksums(folder: Path, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """{path relative to `folder`: sha256} of every file below it, in path order,
    leaving out files named in `skip`."""
    return {str(p.relative_to(folder)): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in skip}


def first_mismatch(folder: Path, files: dict[str, str]) -> tuple[Path, str] | None:
    """The first file of `files` (relative path: sha256) that is missing from `folder`
    or whose content changed, with "missing" or "damaged (checksum mismatch)"; None
    when all match."""
    for name, digest in files.items():
        p = folder / name
        if not p.is_file():
            return p, "missing"
        if sha256_file(p) != digest:
            return p, "damaged (checksum mismatch)"
    return None


def verify_distribution(dist_name: str, fix: str) -> int:
    """Check every file of an installed distribution against its RECORD sha256.

    Returns the number of files checked; raises ModelUnavailable naming `fix`
    (the command that repairs it) when one is missing or altered.
    """
    from importlib import metadata

    try:
        files = metadata.files(dist_name) or []
    except metadata.PackageNotFoundError as e:
        raise ModelUnavailable(f"The model package {dist_name} is not installed: {fix}") from e
    checked = 0
    for f in files:
        if f.hash is None or f.hash.mode != "sha256" or str(f).startswith(".."):
            continue
        p = Path(f.locate())
        if not p.is_file():
            raise ModelUnavailable(f"{p} of the model package {dist_name} is missing: {fix}")
        raw = bytes.fromhex(sha256_file(p))
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != f.hash.value:
            raise ModelUnavailable(
                f"{p} of the model package {dist_name} is damaged (checksum mismatch): {fix}")
        checked += 1
    return checked
