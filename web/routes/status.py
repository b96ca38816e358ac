"""`/health`: the process is up; `/ready`: models and index are loaded."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..schemas import ErrorResponse
from ..service import ServiceDep

router = APIRouter(tags=["status"])


@router.get("/health")
async def health():
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"model": ErrorResponse}})
async def ready(service: ServiceDep):
    """Models and index are loaded."""
    status = service.status()
    if not status["ready"]:
        return JSONResponse(status, 503, headers={"Retry-After": "10"})
    return status
