"""`/search`: retrieval only."""

from fastapi import APIRouter

from ..schemas import SearchHit, SearchRequest
from ..service import ServiceDep

router = APIRouter(tags=["qa"])


@router.post("/search", response_model=list[SearchHit])
async def search(req: SearchRequest, service: ServiceDep):
    """Retrieval only: the best chunks with fused, dense and BM25 scores and offsets."""
    return await service.search(req.query, req.top_k)
