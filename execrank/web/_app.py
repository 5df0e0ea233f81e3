"""The FastAPI app: JSON routes under /api and their HTML twins, both thin over `_views`.

Routes parse the request, resolve the viewer from its token, call one use case and render it
as JSON (`to_dict`) or as a page (a template given the same object). No logic lives here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Body, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from execrank import service
from execrank.errors import BusyError, ExecrankError, NotFoundError, RecordError
from execrank.model import ScoringModel
from execrank.schedule import Scheduler, ServiceConfig, rescore_job, utc_now
from execrank.store import Store
from execrank.web import _actions, _views
from execrank.web._i18n import LANGUAGES, choose, translator
from execrank.web._pages import PAGE_FILTERS
from execrank.web._requests import AdjustmentIn, EventIn, RescoreIn, SignalIn
from execrank.web._tokens import AccessError, Viewer, authenticate

TOKEN_COOKIE = "execrank_token"
LANGUAGE_COOKIE = "execrank_lang"
API_PREFIX = "/api"
COOKIE_DAYS = 30
SECONDS_PER_DAY = 86400

Clock = Callable[[], datetime]


def _session(request: Request) -> Iterator[Store]:
    """A connection of this request's own to the app's store."""
    session = request.app.state.store.session()
    try:
        yield session
    finally:
        session.close()


Session = Annotated[Store, Depends(_session)]


def _api_viewer(request: Request, store: Session) -> Viewer:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return authenticate(store, token.strip() if scheme.lower() == "bearer" else None)


def _page_viewer(request: Request, store: Session) -> Viewer:
    return authenticate(store, request.cookies.get(TOKEN_COOKIE))


ApiViewer = Annotated[Viewer, Depends(_api_viewer)]
PageViewer = Annotated[Viewer, Depends(_page_viewer)]


class _TokenInQuery(BaseHTTPMiddleware):
    """A page opened with ?token=… stores the token in a cookie and reloads without it, so the
    token does not stay in the address bar or the history."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        token = request.query_params.get("token")
        if token is None or request.url.path.startswith(API_PREFIX):
            return await call_next(request)
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
        response = RedirectResponse(target, status_code=HTTPStatus.SEE_OTHER)
        _remember(response, TOKEN_COOKIE, token)
        return response


def _remember(response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name, value, max_age=COOKIE_DAYS * SECONDS_PER_DAY, httponly=True, samesite="strict"
    )


class _Pages:
    """Renders a view object with a template in the request's language."""

    def __init__(self) -> None:
        self.environment = Environment(loader=PackageLoader("execrank.web"), autoescape=True)
        self.environment.filters.update(PAGE_FILTERS)

    def render(
        self, request: Request, template: str, view: Any, *, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        asked = request.query_params.get("lang")
        language = choose(
            asked, request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
        )
        body = self.environment.get_template(template).render(
            view=view,
            t=translator(language),
            language=language,
            languages=LANGUAGES,
            path=request.url.path,
            query=request.query_params,
            **extra,
        )
        response = HTMLResponse(body, status_code=status)
        if asked in LANGUAGES:
            _remember(response, LANGUAGE_COOKIE, language)
        return response


def _status(error: ExecrankError) -> int:
    if isinstance(error, AccessError):
        return HTTPStatus.FORBIDDEN if error.authenticated else HTTPStatus.UNAUTHORIZED
    if isinstance(error, NotFoundError):
        return HTTPStatus.NOT_FOUND
    if isinstance(error, BusyError):
        return HTTPStatus.CONFLICT
    if isinstance(error, RecordError):
        return HTTPStatus.UNPROCESSABLE_ENTITY
    return HTTPStatus.BAD_REQUEST


def _add_error_handler(app: FastAPI, pages: _Pages) -> None:
    @app.exception_handler(ExecrankError)
    async def refuse(request: Request, error: ExecrankError) -> Response:
        status = _status(error)
        if request.url.path.startswith(API_PREFIX):
            headers = {"WWW-Authenticate": "Bearer"} if status == HTTPStatus.UNAUTHORIZED else None
            return JSONResponse({"detail": str(error)}, status_code=status, headers=headers)
        template = "login.html" if status == HTTPStatus.UNAUTHORIZED else "error.html"
        return pages.render(request, template, None, status=status, message=str(error))


def _add_api_routes(app: FastAPI, top: int, cache: _views.Aggregates) -> None:
    @app.get(f"{API_PREFIX}/overview", tags=["dashboard"])
    def api_overview(store: Session, viewer: ApiViewer) -> dict[str, Any]:
        """Top contacts, new entrants since the week before, tier counts, weekly heat trend."""
        return _views.overview(store, viewer, top=top, cache=cache).to_dict()

    @app.get(f"{API_PREFIX}/queue/{{tier}}", tags=["dashboard"])
    def api_queue(
        tier: str, store: Session, viewer: ApiViewer, owner: str | None = None
    ) -> dict[str, Any]:
        """A tier's contacts in rank order (A, B or C), optionally one owner's."""
        return _views.queue(store, viewer, tier, owner=owner).to_dict()

    @app.get(f"{API_PREFIX}/ranks", tags=["dashboard"])
    def api_ranks(
        store: Session,
        viewer: ApiViewer,
        tier: str | None = None,
        owner: str | None = None,
        size: int = _views.QUEUE_SIZE,
    ) -> dict[str, Any]:
        """The first `size` contacts in rank order (live updates included), optionally of one
        tier (A, B, C or -) and one owner; a rep gets only own contacts."""
        return _views.ranks(store, viewer, tier=tier, owner=owner, size=size).to_dict()

    @app.get(f"{API_PREFIX}/contacts/{{contact_id}}/explanation", tags=["contacts"])
    def api_explanation(contact_id: str, store: Session, viewer: ApiViewer) -> dict[str, Any]:
        """Every contribution to the contact's total with its evidence, and its adjustments."""
        return _views.explanation(store, viewer, contact_id).to_dict()

    @app.get(f"{API_PREFIX}/contacts/{{contact_id}}/history", tags=["contacts"])
    def api_history(contact_id: str, store: Session, viewer: ApiViewer) -> list[dict[str, Any]]:
        """The contact's total, rank and tier in every snapshot, then its live row if any."""
        return [point.to_dict() for point in _views.history(store, viewer, contact_id)]

    @app.get(f"{API_PREFIX}/contacts/{{contact_id}}", tags=["contacts"])
    def api_contact(contact_id: str, store: Session, viewer: ApiViewer) -> dict[str, Any]:
        """Score, tier, rank, every contribution with its evidence, history, adjustments."""
        return _views.contact(store, viewer, contact_id).to_dict()

    @app.get(f"{API_PREFIX}/snapshots", tags=["dashboard"])
    def api_snapshots(store: Session, viewer: ApiViewer) -> list[dict[str, Any]]:
        """Every scoring run, newest first, with its model's hash and name."""
        return [entry.to_dict() for entry in _views.snapshots(store)]


def _add_page_routes(app: FastAPI, pages: _Pages, top: int, cache: _views.Aggregates) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_page(request: Request, store: Session, viewer: PageViewer) -> HTMLResponse:
        view = _views.overview(store, viewer, top=top, cache=cache)
        return pages.render(request, "overview.html", view, viewer=viewer)

    @app.get("/queue/{tier}", response_class=HTMLResponse, include_in_schema=False)
    def queue_page(
        request: Request, tier: str, store: Session, viewer: PageViewer, owner: str | None = None
    ) -> HTMLResponse:
        view = _views.queue(store, viewer, tier, owner=owner)
        return pages.render(request, "queue.html", view, viewer=viewer)

    @app.get("/contacts/{contact_id}", response_class=HTMLResponse, include_in_schema=False)
    def contact_page(
        request: Request, contact_id: str, store: Session, viewer: PageViewer
    ) -> HTMLResponse:
        view = _views.contact(store, viewer, contact_id)
        return pages.render(request, "contact.html", view, viewer=viewer)

    @app.get("/snapshots", response_class=HTMLResponse, include_in_schema=False)
    def snapshots_page(request: Request, store: Session, viewer: PageViewer) -> HTMLResponse:
        return pages.render(request, "snapshots.html", _views.snapshots(store), viewer=viewer)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        """The API reference from the OpenAPI document (/openapi.json), drawn on the server:
        FastAPI's own docs pages load their scripts from a CDN."""
        return pages.render(request, "docs.html", _views.endpoints(app.openapi()), viewer=None)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request) -> HTMLResponse:
        return pages.render(request, "login.html", None, message=None)

    @app.post("/login", include_in_schema=False)
    def log_in(request: Request, token: Annotated[str, Form()], store: Session) -> Response:
        authenticate(store, token)
        response = RedirectResponse("/", status_code=HTTPStatus.SEE_OTHER)
        _remember(response, TOKEN_COOKIE, token)
        return response

    @app.get("/logout", include_in_schema=False)
    def log_out() -> Response:
        response = RedirectResponse("/login", status_code=HTTPStatus.SEE_OTHER)
        response.delete_cookie(TOKEN_COOKIE)
        return response


def _add_write_routes(app: FastAPI, model: ScoringModel, clock: Clock) -> None:
    @app.post(f"{API_PREFIX}/events", tags=["live"])
    def api_post_event(event: EventIn, store: Session, viewer: ApiViewer) -> dict[str, Any]:
        """Store one event and rescore its contact at once: its new total, rank and tier, and
        `warnings` as an import of the row would give (an event type the model does not score
        is stored and earns no points)."""
        fields = event.model_dump(exclude_none=True)
        score, warnings = _actions.post_event(store, viewer, fields, now=clock())
        return {**score.to_dict(), "warnings": warnings}

    @app.post(f"{API_PREFIX}/signals", tags=["live"])
    def api_post_signal(
        signal: SignalIn, store: Session, viewer: ApiViewer
    ) -> list[dict[str, Any]]:
        """Store one signal and rescore at once the contacts it concerns."""
        fields = signal.model_dump(exclude_none=True)
        return [s.to_dict() for s in _actions.post_signal(store, viewer, fields, now=clock())]

    @app.post(f"{API_PREFIX}/contacts/{{contact_id}}/adjustments", tags=["live"])
    def api_adjust(
        contact_id: str, adjustment: AdjustmentIn, store: Session, viewer: ApiViewer
    ) -> dict[str, Any]:
        """Raise (+) or lower (-) a contact's intent with a reason until an expiry; audited,
        shown in the explanation, the contact rescored at once."""
        stored, score = _actions.adjust(
            store,
            viewer,
            contact_id,
            points=adjustment.points,
            reason=adjustment.reason,
            expires_at=adjustment.expires_at,
            now=clock(),
        )
        return {"adjustment": stored.to_dict(), "score": score.to_dict()}

    @app.post(f"{API_PREFIX}/rescore", tags=["live"])
    def api_rescore(
        store: Session, viewer: ApiViewer, request: Annotated[RescoreIn | None, Body()] = None
    ) -> dict[str, Any]:
        """A full rescore stored as a new snapshot (409 while another one runs)."""
        as_of = request.as_of if request else None
        snapshot = _actions.rescore(store, viewer, model, as_of=as_of, now=clock())
        return _views.snapshot_dict(snapshot)


def _scheduler(store: Store, config: ServiceConfig, clock: Clock) -> Scheduler | None:
    """The config's scheduled full rescores, over a connection of their own."""
    if config.schedule is None:
        return None
    return Scheduler(config.schedule, rescore_job(store.session, config), clock=clock)


def create_app(
    store_path: str | Path,
    *,
    top: int = _views.TOP_SIZE,
    memory_limit: str | None = None,
    config: ServiceConfig | None = None,
    clock: Clock = utc_now,
) -> FastAPI:
    """The dashboard and API over the store at `store_path` (which must exist).

    `top` is the length of the overview's top list; `memory_limit` caps the store's memory
    (`Store.open`); `config` (see `execrank.schedule`) gives the model of rescores and the
    schedule the app runs them on while it serves; `clock` gives the time of every write."""
    settings = config or ServiceConfig()
    store = Store.open(store_path, create=False, memory_limit=memory_limit)
    scheduler = _scheduler(store, settings, clock)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if scheduler:
            scheduler.start()
        yield
        if scheduler:
            scheduler.stop()
        store.close()

    app = FastAPI(
        title="execrank",
        description="Ranks, explanations and history of executive contacts; live updates. "
        "Every call needs `Authorization: Bearer TOKEN` (`execrank token create`).",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.scheduler = scheduler
    pages = _Pages()
    app.add_middleware(_TokenInQuery)
    app.mount("/static", StaticFiles(packages=[("execrank.web", "static")]), name="static")
    _add_error_handler(app, pages)
    cache = _views.Aggregates()
    _add_api_routes(app, top, cache)
    _add_write_routes(app, service.load_model(settings.model), clock)
    _add_page_routes(app, pages, top, cache)
    return app
