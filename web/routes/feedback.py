"""`/feedback`: thumbs up/down on answers, stored locally (web/feedback.py)."""

from fastapi import APIRouter

from ..schemas import FeedbackRequest
from ..service import ServiceDep

router = APIRouter(tags=["feedback"])


@router.post("/feedback", status_code=201)
async def feedback(req: FeedbackRequest, service: ServiceDep):
    """Thumbs up/down on an answer, with an optional comment (stored locally)."""
    return {"id": await service.add_feedback(req)}
