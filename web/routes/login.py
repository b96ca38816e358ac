"""`/login` and `/logout`: the chat page's sign-in when access tokens are configured
(web/auth.py). Plain forms, so they work without JavaScript. With no token
configured there is nothing to sign in to: both send the browser to the page."""

from pathlib import Path

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ..auth import COOKIE, Auth, client_of, cross_origin_message, same_origin

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))


def login_page(request: Request, status: int = 200, error_msg: str = "",
               headers: dict | None = None):
    return templates.TemplateResponse(request, "login.html", {"error": error_msg},
                                      status_code=status, headers=headers)


def to(path: str) -> RedirectResponse:
    return RedirectResponse(path, 303)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request):
    auth: Auth = request.app.state.auth
    if not auth.enabled or auth.session_valid(request.cookies.get(COOKIE)):
        return to("/")
    return login_page(request)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, token: str = Form("")):
    """A right token sets the session cookie and goes to the page; a wrong one shows
    the form again (401), and too many wrong ones from one address lock it out (429)."""
    auth: Auth = request.app.state.auth
    if not auth.enabled:
        return to("/")
    if not same_origin(request):
        return login_page(request, 403, cross_origin_message(request))
    client = client_of(request)
    wait = auth.throttle.retry_after(client)
    if wait > 0:
        s = max(1, int(wait + 0.999))
        return login_page(request, 429, f"Too many wrong tokens from this address: try again "
                          f"in {s} s.", {"Retry-After": str(s)})
    given = token.strip().encode("utf-8")
    if not given or not auth.tokens.check(given):
        auth.throttle.failed(client)
        return login_page(request, 401, "That token is not valid: check it, or ask whoever "
                          "runs this server for a current one.")
    auth.throttle.succeeded(client)
    response = to("/")
    response.set_cookie(COOKIE, auth.sessions.issue(given), max_age=auth.sessions.max_age_s,
                        path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


@router.post("/logout")
async def logout(request: Request):
    """Clears the session cookie and shows the sign-in form."""
    if not same_origin(request):
        return login_page(request, 403, cross_origin_message(request))
    response = to("/login")
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response
