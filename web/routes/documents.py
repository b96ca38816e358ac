"""`/documents`: the indexed collection."""

from fastapi import APIRouter

from ..schemas import DocumentOut
from ..service import ServiceDep

router = APIRouter(tags=["qa"])


@router.get("/documents", response_model=list[DocumentOut])
async def documents(service: ServiceDep):
    """The indexed collection."""
    return service.documents()
