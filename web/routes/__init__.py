"""The HTTP routes, one router per concern; each gets the app's Service by `Depends`."""

from . import ask, documents, feedback, login, page, search, status

ROUTERS = [status.router, ask.router, search.router, documents.router, feedback.router,
           page.router, login.router]
