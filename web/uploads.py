"""Documents added from the chat page: off unless QA_UPLOADS=on.

An upload is one file of a type the loaders read (index/loaders/), of at most
QA_UPLOAD_MAX_MB. It is written to `QA_INDEX_DIR/uploads/` and added to the index in
the background (index/update.py `add`, with the embedders the server has already
loaded); the server then switches to the new build (web/reload.py). Its job goes
queued -> indexing -> searchable, or to error with the reason (a scanned PDF without
text, a build already running). One upload is indexed at a time: another one meanwhile
gets 409, as does one while a `qa index` command holds the build lock.

A file uploaded again under the same name replaces the earlier version (its document is
read again); if the new version cannot be indexed, the earlier file is put back.

Not handled: removing documents from the page (`qa index remove`); uploads by several
server processes into one index (the build lock makes all but one get 409).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.atomic import build_lock
from index.errors import BuildInProgress, DocQAError
from index.loaders import SUFFIXES
from index.update import Options, add

log = logging.getLogger("web")

HARD_MAX_MB = 200  # the most QA_UPLOAD_MAX_MB may be
FORM_OVERHEAD = 64 * 1024  # multipart framing and the form's other fields
UPLOAD_TIMEOUT_S = 300.0  # for the body of an upload to arrive
KEEP_JOBS = 100  # finished jobs remembered for their status
_SAFE = re.compile(r"[^\w.\- ()]+")


class UploadSettings(BaseSettings):
    """QA_UPLOADS (off by default) and QA_UPLOAD_MAX_MB, from the environment or .env."""

    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    uploads: bool = Field(False, description="Let the chat page add documents (on/off)")
    upload_max_mb: float = Field(20.0, gt=0, le=HARD_MAX_MB,
                                 description="Largest file accepted from the chat page, in MB")


@dataclass
class Job:
    id: str
    file: str
    state: str = "queued"  # queued, indexing, searchable, error
    message: str = "Waiting to be indexed."
    doc_id: str | None = None

    def to_json(self) -> dict:
        return {**asdict(self), "done": self.state in ("searchable", "error")}


class UploadRefused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Uploads:
    def __init__(self, index_dir: Path, enabled: bool = False, max_mb: float = 20.0):
        self.index_dir = Path(index_dir)
        self.folder = self.index_dir / "uploads"
        self.enabled = enabled
        self.max_bytes = int(max_mb * 1024 * 1024)
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.active: Job | None = None
        self._tasks: set[asyncio.Task] = set()

    @classmethod
    def configured(cls, index_dir: Path) -> Uploads:
        s = UploadSettings()
        return cls(index_dir, s.uploads, s.upload_max_mb)

    @property
    def accept(self) -> str:
        """The file types, as the form's `accept` attribute lists them."""
        return ",".join(SUFFIXES)

    @property
    def max_mb(self) -> str:
        return f"{self.max_bytes / (1024 * 1024):g} MB"

    def body_limits(self) -> dict[str, tuple[int, float]]:
        """The request bodies the Guard lets through for uploads: {path: (bytes, s)}."""
        return {"/uploads": (self.max_bytes + FORM_OVERHEAD, UPLOAD_TIMEOUT_S)}

    def check_open(self) -> None:
        """Refuse before the body is read: uploads off (404), one running (409)."""
        if not self.enabled:
            raise UploadRefused(404, "uploads_off", "Adding documents from the page is turned "
                                "off on this server: set QA_UPLOADS=on to allow it, or add them "
                                "with `qa index add PATH`.")
        if self.active is not None:
            raise UploadRefused(409, "update_running", f"{self.active.file} is still being "
                                "indexed: wait until it is searchable, then upload the next file.")
        try:
            with build_lock(self.index_dir):
                pass
        except BuildInProgress as e:
            raise UploadRefused(409, "update_running", str(e)) from e

    def name_of(self, filename: str | None) -> str:
        """A safe file name for the upload, or 415 for a type no loader reads."""
        name = _SAFE.sub("_", os.path.basename((filename or "").replace("\\", "/"))).strip(" .")
        suffix = Path(name).suffix.lower()
        if not name or suffix not in SUFFIXES:
            raise UploadRefused(415, "unsupported_type", f"{filename or 'The file'} is not a "
                                f"type that can be indexed: upload one of {', '.join(SUFFIXES)}.")
        return name

    def too_large(self, size: int) -> UploadRefused:
        return UploadRefused(413, "file_too_large", f"The file is {size / (1024 * 1024):.1f} MB; "
                             f"the limit is {self.max_mb} (QA_UPLOAD_MAX_MB).")

    def reserve(self, name: str) -> Job:
        """The job of an upload being received: from now on others get 409."""
        job = Job(uuid.uuid4().hex[:12], name, message="Receiving the file.")
        self.jobs[job.id] = job
        while len(self.jobs) > KEEP_JOBS:
            self.jobs.popitem(last=False)
        self.active = job
        return job

    def release(self, job: Job) -> None:
        """Forget a job whose file was refused."""
        self.jobs.pop(job.id, None)
        if self.active is job:
            self.active = None

    def store(self, job: Job, source) -> None:
        """Write the file (a binary file object) into the uploads folder as `job.file`:
        413 if it is over the limit, 422 if it is empty. A file of that name already
        there is kept aside until the new one is indexed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        part = self.folder / f".{job.file}.{job.id}.part"
        size = 0
        try:
            with open(part, "wb") as out:
                while block := source.read(1 << 20):
                    size += len(block)
                    if size > self.max_bytes:
                        raise self.too_large(size)
                    out.write(block)
            if size == 0:
                raise UploadRefused(422, "empty_file", "The file is empty: choose another one.")
            final = self.folder / job.file
            if final.exists():
                os.replace(final, self.folder / f".{job.file}.previous")
            os.replace(part, final)
        finally:
            part.unlink(missing_ok=True)
        job.message = "Waiting to be indexed."

    def start(self, service, job: Job) -> None:
        task = asyncio.create_task(self._index(service, job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _index(self, service, job: Job) -> None:
        path = self.folder / job.file
        previous = self.folder / f".{job.file}.previous"
        try:
            pipe = service.ready()  # checked before the upload was accepted, too
            job.state, job.message = "indexing", "Reading, chunking and embedding the file."
            s = service.settings
            opts = Options(max_chars=s.chunk_max_chars, dense_index=s.dense_index)
            r = pipe.retriever
            change = await asyncio.to_thread(add, self.index_dir, [path], r.embedder, r.xling,
                                             opts)
            job.doc_id = (change.files.get(os.path.abspath(path)) if change.path is not None
                          else None)
            if change.path is not None and not await service.watcher.check(service) \
                    and Path(service.pipeline.index.path).name != change.path.name:
                raise RuntimeError(service.watcher.error or "the new index was not loaded")
            job.state = "searchable"
            job.message = (f"{job.file} can be asked about now." if change.path is not None else
                           f"{job.file} was already indexed, unchanged.")
            previous.unlink(missing_ok=True)
            log.info("upload: %s indexed (%s)", job.file, change.summary())
        except Exception as e:  # noqa: BLE001 - reported on the job, the server goes on
            job.state = "error"
            job.message = (str(e) if isinstance(e, DocQAError | UploadRefused)
                           else f"Indexing failed ({type(e).__name__}: {e}).")
            if previous.exists():
                os.replace(previous, path)
            else:
                path.unlink(missing_ok=True)
            log.warning("upload: %s not indexed: %s", job.file, job.message)
        finally:
            self.active = None
