"""`POST /uploads`: add a document from the chat page, and `GET /uploads/{id}`: how
far it got (web/uploads.py). Off unless QA_UPLOADS=on (then 404 with how to turn it on).

Both answer JSON, or HTML to a browser posting the page's form without JavaScript
(it is redirected to the upload's status page, which reloads itself until done).
"""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import UploadFile

from ..errors import error
from ..schemas import ErrorResponse
from ..service import ServiceDep
from ..uploads import FORM_OVERHEAD, HARD_MAX_MB, Job, UploadRefused
from .page import templates

router = APIRouter(tags=["documents"])
REFUSALS = {404: "Uploads are turned off (QA_UPLOADS)", 409: "An update is already running",
            413: "The file is over QA_UPLOAD_MAX_MB", 415: "Not a type that can be indexed",
            422: "No file in the form's `file` field, or an empty one",
            503: "Not ready: the models and the index are still loading"}


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


def _status(request: Request, job: Job | None, code: int = 200, message: str = ""):
    if _wants_html(request):
        return templates.TemplateResponse(request, "upload.html", {"job": job, "error": message},
                                          status_code=code)
    if job is None:
        return error(code, "upload_refused" if code != 404 else "not_found", message)
    return JSONResponse({**job.to_json(), "status_url": f"/uploads/{job.id}"}, code)


@router.post("/uploads", status_code=202, max_body_size=HARD_MAX_MB * 1024 * 1024
             + FORM_OVERHEAD, responses={c: {"model": ErrorResponse, "description": d}
                                         for c, d in REFUSALS.items()},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "multipart/form-data": {"schema": {
                     "type": "object", "required": ["file"],
                     "properties": {"file": {"type": "string", "format": "binary"}}}}}}})
async def upload(request: Request, service: ServiceDep):
    """Add one file (multipart field `file`: .txt .md .html .pdf .docx, at most
    QA_UPLOAD_MAX_MB) to the index in the background: 202 with the upload's status,
    which `status_url` gives until it is `searchable` (or `error`)."""
    uploads = service.uploads
    try:
        uploads.check_open()
        service.ready()
        form = await request.form(max_files=1, max_fields=8)
        f = form.get("file")
        if not isinstance(f, UploadFile) or not f.filename:
            raise UploadRefused(422, "no_file", "Choose a file to upload (the multipart form "
                                "field `file`).")
        name = uploads.name_of(f.filename)
        if f.size is not None and f.size > uploads.max_bytes:
            raise uploads.too_large(f.size)
        uploads.check_open()  # another upload may have been accepted while this one arrived
        job = uploads.reserve(name)
        try:
            await asyncio.to_thread(uploads.store, job, f.file)
        except BaseException:
            uploads.release(job)
            raise
    except UploadRefused as e:
        if _wants_html(request):
            return _status(request, None, e.status, e.message)
        return error(e.status, e.code, e.message)
    uploads.start(service, job)
    if _wants_html(request):
        return RedirectResponse(f"/uploads/{job.id}", 303)
    return _status(request, job, 202)


@router.get("/uploads/{upload_id}", responses={404: {"model": ErrorResponse}})
async def upload_status(upload_id: str, request: Request, service: ServiceDep):
    """An upload's state: queued, indexing, searchable or error (with `message`)."""
    job = service.uploads.jobs.get(upload_id)
    if job is None:
        return _status(request, None, 404, f"No upload {upload_id!r} on this server (the "
                       "list is kept in memory, and the server may have restarted).")
    return _status(request, job)
