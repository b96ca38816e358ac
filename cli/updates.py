"""`qa index add`, `qa index remove`, `qa index update`: change the index without a
full rebuild (index/update.py). Each writes a new build atomically, as `qa index
build` does; a running `qa serve` switches to it by itself (web/reload.py)."""

from __future__ import annotations

from pathlib import Path


def register(ixs) -> None:
    a = ixs.add_parser("add", help="add files (or folders' files) to the index")
    a.add_argument("paths", nargs="+", help=".txt/.md/.html/.pdf/.docx files or folders")
    a.set_defaults(fn=cmd_add)
    r = ixs.add_parser("remove", help="remove documents from the index, by id")
    r.add_argument("doc_ids", nargs="+", metavar="DOC_ID",
                   help="document ids, as GET /documents lists them (usually the file name)")
    r.set_defaults(fn=cmd_remove)
    u = ixs.add_parser("update", help="bring the index up to date with its files: changed "
                       "files read again, new ones added, deleted ones dropped")
    u.add_argument("paths", nargs="*", help="the files or folders to index, as for `build` "
                   "(default: those the index was built from)")
    u.set_defaults(fn=cmd_update)


def cmd_add(args, s) -> int:
    from index import update

    paths = [Path(p) for p in args.paths]
    update.source_files(paths)  # a missing or unsupported file fails before models load
    return _run(s, lambda emb, xl, opts: update.add(s.index_dir, paths, emb, xl, opts))


def cmd_remove(args, s) -> int:
    from index import update

    return _run(s, lambda emb, xl, opts: update.remove(s.index_dir, args.doc_ids, emb, xl, opts))


def cmd_update(args, s) -> int:
    from index import update

    paths = [Path(p) for p in args.paths] or None
    if paths:
        update.source_files(paths)
    return _run(s, lambda emb, xl, opts: update.update(s.index_dir, paths, emb, xl, opts))


def _run(s, change) -> int:
    from index.manifest import current_path
    from index.update import Options
    from qa import factory

    from .progress import ProgressBars

    current_path(s.index_dir)  # no index: IndexNotFound before the models load
    progress = ProgressBars()
    opts = Options(max_chars=s.chunk_max_chars, dense_index=s.dense_index, progress=progress)
    done = change(factory.make_embedder(s), factory.make_xling(s), opts)
    progress.close()
    print(done.summary())
    for what, ids in (("added", done.added), ("changed", done.changed),
                      ("removed", done.removed)):
        if ids:
            print(f"  {what}: {', '.join(ids)}")
    if done.path is not None:
        print(f"-> {s.index_dir} ({done.path.name})")
    return 0
