"""A workspace in, the studio's ASGI app out: the page, its assets, and a small JSON API over the engine.

Pages: ``/`` (editor + preview), ``/preview`` (the sheet shell the preview iframe loads: the same
stylesheets and scripts as ``render``, under a strict CSP). Assets: ``/asset/…`` (what a sheet page
loads, see ``render.assets``), ``/vendor/…`` (the editor's ES modules from node_modules, allow-listed),
``/studio/…`` (our own front-end). ``/api/…`` needs the session token (see ``guard``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from nanosheet.assets import node_modules
from nanosheet.errors import NanosheetError
from nanosheet.export import SheetBrowser
from nanosheet.render import assets
from nanosheet.render.html import render_document
from nanosheet.studio import engine
from nanosheet.studio.exports import BrowserWorker, Jobs, SheetOutcome, memory
from nanosheet.studio.guard import PREVIEW_CSP, Guard, app_csp
from nanosheet.studio.layout_edit import set_layout
from nanosheet.studio.workspace import Conflict, Forbidden, Workspace

STATIC = Path(__file__).resolve().parent / "static"
EDITOR_PACKAGES = (
    "codemirror", "@codemirror/autocomplete", "@codemirror/commands", "@codemirror/lang-css",
    "@codemirror/lang-html", "@codemirror/lang-javascript", "@codemirror/lang-markdown", "@codemirror/language",
    "@codemirror/lint", "@codemirror/search", "@codemirror/state", "@codemirror/streamparser", "@codemirror/view",
    "@lezer/common",
    "@lezer/css", "@lezer/highlight", "@lezer/html", "@lezer/javascript", "@lezer/lr", "@lezer/markdown",
    "@marijn/find-cluster-break", "crelt", "style-mod", "w3c-keyname",
)
"""The editor (CodeMirror 6 with markdown) and everything it imports; nothing else in node_modules is served."""
MAX_BODY = 9 * 1024 * 1024
DOWNLOAD_SUFFIXES = (".png", ".pdf", ".html", ".json")
ASSET_CACHE = {"cache-control": "max-age=3600"}


# --------------------------------------------------------------------------- request bodies


class RenderBody(BaseModel):
    path: str
    text: str = Field(max_length=MAX_BODY)
    orientation: str | None = None
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)


class LayoutBody(RenderBody):
    ratios: list[float] | None = None
    widths: dict[int, list[float]] | None = None


class SaveBody(BaseModel):
    path: str
    text: str = Field(max_length=MAX_BODY)
    base: str | None = None
    """The sha256 of the file the text was based on (None for a file that does not exist yet)."""


class ExportBody(RenderBody):
    formats: list[str] = Field(default_factory=lambda: ["png", "pdf", "html"])
    dpi: float = 300.0
    out: str | None = None


class SeriesBody(BaseModel):
    formats: list[str] = Field(default_factory=lambda: ["png", "pdf", "html"])
    dpi: float = 300.0
    out: str | None = None


class PathBody(BaseModel):
    path: str


# --------------------------------------------------------------------------- front-end files


def package_entry(package: Path) -> str:
    """The ES module a package's ``import`` resolves to, relative to the package folder."""
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    exports = meta.get("exports")
    entry = exports.get("import") if isinstance(exports, dict) else None
    entry = entry or meta.get("module") or meta.get("main") or "index.js"
    return str(entry).removeprefix("./")


@lru_cache(maxsize=1)
def import_map() -> str:
    """The import map naming each editor package's ES module entry (the browser resolves bare imports)."""
    imports = {name: f"/vendor/{name}/{package_entry(node_modules() / name)}" for name in EDITOR_PACKAGES}
    return json.dumps({"imports": imports}, indent=1)


def script_hash(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def index_html(token: str) -> str:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    return page.replace("{{importmap}}", import_map()).replace("{{token}}", token)


@lru_cache(maxsize=1)
def preview_html() -> str:
    """The preview shell: ``render``'s own page template and assets, scripts loaded from our origin only."""
    doc = render_document("", title="preview", width_mm=210, height_mm=297, base="/asset/", scripts=False)
    scripts = "".join(f'<script src="/asset/{src}"></script>\n' for src in assets.SCRIPTS)
    extra = f'<link rel="stylesheet" href="/studio/preview.css">\n{scripts}<script src="/studio/preview.js"></script>\n'
    return doc.replace("</head>", extra + "</head>", 1)


def _inside(root: Path, rel: str) -> Path | None:
    target = (root / rel).resolve()
    root = root.resolve()
    return target if root in target.parents and target.is_file() else None


# --------------------------------------------------------------------------- the app


@dataclass
class Studio:
    """Shared state of one studio server: the folder, the session token, the warm browser and its jobs."""

    workspace: Workspace
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    worker: BrowserWorker = field(default_factory=lambda: BrowserWorker(on_idle=engine.release_models))
    thumbs: dict[tuple[str, str], Future[bytes]] = field(default_factory=dict)
    previews: engine.PreviewCache = field(default_factory=engine.PreviewCache)

    def __post_init__(self) -> None:
        self.jobs = Jobs(self.worker)


def create_app(studio: Studio) -> Guard:
    """The ASGI app for ``studio``, wrapped in its security guard."""
    api = _Api(studio)
    routes = [
        Route("/", api.index), Route("/preview", api.preview),
        Route("/studio/{path:path}", api.own_static), Route("/vendor/{path:path}", api.vendor),
        Route("/asset/{path:path}", api.asset),
        Route("/api/session", api.session), Route("/api/file", api.file), Route("/api/state", api.state),
        Route("/api/render", api.render, methods=["POST"]), Route("/api/layout", api.layout, methods=["POST"]),
        Route("/api/plan", api.plan, methods=["POST"]), Route("/api/save", api.save, methods=["POST"]),
        Route("/api/export", api.export, methods=["POST"]), Route("/api/series", api.series, methods=["POST"]),
        Route("/api/jobs/{id}", api.job), Route("/api/thumb", api.thumb), Route("/api/download", api.download),
        Route("/api/memory", api.memory),
    ]
    return Guard(Starlette(routes=routes), studio.token)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _input_error(exc: NanosheetError) -> dict[str, Any]:
    return {"message": exc.message, "line": exc.line, "col": exc.col, "hint": exc.hint}


class _Api:
    def __init__(self, studio: Studio) -> None:
        self.s = studio
        self.ws = studio.workspace

    # pages and assets ------------------------------------------------------

    async def index(self, request: Request) -> Response:
        return Response(index_html(self.s.token), media_type="text/html; charset=utf-8",
                        headers={"content-security-policy": app_csp([script_hash(import_map())])})

    async def preview(self, request: Request) -> Response:
        return Response(preview_html(), media_type="text/html; charset=utf-8",
                        headers={"content-security-policy": PREVIEW_CSP})

    async def own_static(self, request: Request) -> Response:
        return self._file(_inside(STATIC, request.path_params["path"]))

    async def vendor(self, request: Request) -> Response:
        rel: str = request.path_params["path"]
        package = next((p for p in EDITOR_PACKAGES if rel.startswith(p + "/")), None)
        path = _inside(node_modules() / package, rel[len(package) + 1:]) if package else None
        return self._file(path if path is not None and path.suffix == ".js" else None)

    async def asset(self, request: Request) -> Response:
        return self._file(assets.asset_path(request.path_params["path"]))

    @staticmethod
    def _file(path: Path | None) -> Response:
        if path is None:
            return _error(404, "not found")
        return FileResponse(path, media_type=assets.content_type(path), headers=ASSET_CACHE)

    # files -----------------------------------------------------------------

    async def session(self, request: Request) -> Response:
        return JSONResponse({"root": self.ws.root.name, "files": self.ws.files(), "first": self.ws.first})

    def file(self, request: Request) -> Response:
        rel = request.query_params.get("path", "")
        try:
            data, state = self.ws.read(rel)
            text, repaired = engine.open_text(data, rel)
        except Forbidden as exc:
            return _error(403, str(exc))
        except FileNotFoundError:
            return _error(404, f"no such file: {rel}")
        except NanosheetError as exc:
            return _error(422, exc.message, detail=_input_error(exc))
        return JSONResponse({"path": rel, "text": text, "state": state.as_json(), "repaired": repaired})

    def state(self, request: Request) -> Response:
        rel = request.query_params.get("path", "")
        try:
            return JSONResponse(self.ws.state(rel).as_json())
        except Forbidden as exc:
            return _error(403, str(exc))
        except FileNotFoundError:
            return JSONResponse({"path": rel, "missing": True})

    async def save(self, request: Request) -> Response:
        body = await self._body(request, SaveBody)
        if isinstance(body, Response):
            return body
        try:
            state = self.ws.save(body.path, body.text, body.base)
        except Forbidden as exc:
            return _error(403, str(exc))
        except Conflict as exc:
            return _error(409, "the file changed on disk since it was loaded", state=exc.state.as_json())
        return JSONResponse(state.as_json())

    # preview ---------------------------------------------------------------

    async def render(self, request: Request) -> Response:
        body = await self._body(request, RenderBody)
        if isinstance(body, Response):
            return body
        from starlette.concurrency import run_in_threadpool

        return JSONResponse(await run_in_threadpool(self._render, body))

    def _render(self, body: RenderBody) -> dict[str, Any]:
        try:
            self.ws.resolve(body.path, must_exist=False)
        except Forbidden as exc:
            return {"ok": False, "error": {"message": str(exc), "line": None, "col": None, "hint": None}}
        key = self.s.previews.key(body.path, body.text, body.orientation, body.seed)
        hit = self.s.previews.get(key)
        if hit is not None:
            return hit
        try:
            parsed = engine.parse_text(body.text, body.path, orientation=body.orientation, seed=body.seed)
        except NanosheetError as exc:
            return {"ok": False, "error": _input_error(exc)}
        answer = {"ok": True, **engine.preview(parsed)}
        self.s.previews.put(key, answer)
        return answer

    async def layout(self, request: Request) -> Response:
        body = await self._body(request, LayoutBody)
        if isinstance(body, Response):
            return body
        from starlette.concurrency import run_in_threadpool

        try:
            text = await run_in_threadpool(set_layout, body.text, body.path, body.ratios, body.widths,
                                           body.orientation)
        except NanosheetError as exc:
            return _error(422, exc.message, detail=_input_error(exc))
        return JSONResponse({"text": text})

    async def plan(self, request: Request) -> Response:
        body = await self._body(request, PathBody)
        if isinstance(body, Response):
            return body
        from starlette.concurrency import run_in_threadpool

        try:
            data, _ = self.ws.read(body.path)
            return JSONResponse(await run_in_threadpool(self._plan, body.path, data))
        except Forbidden as exc:
            return _error(403, str(exc))
        except FileNotFoundError:
            return _error(404, f"no such file: {body.path}")
        except NanosheetError as exc:
            return _error(422, exc.message, detail=_input_error(exc))

    def _plan(self, rel: str, data: bytes) -> dict[str, Any]:
        text, _ = engine.open_text(data, rel)
        parsed = engine.parse_text(text, rel)
        plan, by = engine.plan_text(parsed)
        stem = Path(rel).stem
        target = str(Path(rel).with_name(f"{stem}-cheatsheet-prompt.md").as_posix())
        return {"chapter": engine.is_chapter(parsed.prompt), "text": plan, "by": by, "target": target}

    # export ----------------------------------------------------------------

    async def export(self, request: Request) -> Response:
        body = await self._body(request, ExportBody)
        if isinstance(body, Response):
            return body
        try:
            self.ws.resolve(body.path, must_exist=False)
            outdir = self.ws.outdir(body.out)
        except Forbidden as exc:
            return _error(403, str(exc))

        def step(browser: SheetBrowser, rel: str) -> SheetOutcome:
            parsed = engine.parse_text(body.text, rel, orientation=body.orientation, seed=body.seed)
            return self._export(parsed, rel, outdir, browser, body.formats, body.dpi)

        return JSONResponse(self.s.jobs.start("export", [body.path], step).as_json())

    async def series(self, request: Request) -> Response:
        body = await self._body(request, SeriesBody)
        if isinstance(body, Response):
            return body
        try:
            outdir = self.ws.outdir(body.out)
        except Forbidden as exc:
            return _error(403, str(exc))

        def step(browser: SheetBrowser, rel: str) -> SheetOutcome:
            data, _ = self.ws.read(rel)
            text, _ = engine.open_text(data, rel)
            return self._export(engine.parse_text(text, rel), rel, outdir, browser, body.formats, body.dpi)

        return JSONResponse(self.s.jobs.start("series", self.ws.files(), step).as_json())

    def _export(self, parsed: engine.Parsed, rel: str, outdir: Path, browser: SheetBrowser, formats: list[str],
                dpi: float) -> SheetOutcome:
        result = engine.export(parsed, outdir, browser=browser, formats=formats, dpi=dpi, source=rel)
        files = {fmt: self.ws.rel(path) for fmt, path in result.paths.items()}
        warnings = [engine.diagnostic(w) for w in result.warnings]
        return SheetOutcome(path=rel, files=files, warnings=warnings, overflow=result.overflow)

    async def job(self, request: Request) -> Response:
        job = self.s.jobs.get(request.path_params["id"])
        return JSONResponse(job.as_json()) if job is not None else _error(404, "no such job")

    async def thumb(self, request: Request) -> Response:
        rel = request.query_params.get("path", "")
        try:
            data, state = self.ws.read(rel)
        except Forbidden as exc:
            return _error(403, str(exc))
        except FileNotFoundError:
            return _error(404, f"no such file: {rel}")
        key = (rel, state.sha256)
        if key not in self.s.thumbs:
            def draw(browser: SheetBrowser) -> bytes:
                text, _ = engine.open_text(data, rel)
                return engine.thumbnail(engine.parse_text(text, rel), browser=browser)

            self.s.thumbs[key] = self.s.worker.submit(draw)  # several clients asking share one drawing
        try:
            png = await asyncio.wrap_future(self.s.thumbs[key])
        except NanosheetError as exc:
            return _error(422, exc.message, detail=_input_error(exc))
        except (CancelledError, asyncio.CancelledError):
            return _error(503, "the studio is stopping")
        return Response(png, media_type="image/png")

    async def download(self, request: Request) -> Response:
        rel = request.query_params.get("path", "")
        try:
            path = self.ws.resolve(rel)
        except Forbidden as exc:
            return _error(403, str(exc))
        except FileNotFoundError:
            return _error(404, f"no such file: {rel}")
        if path.suffix.lower() not in DOWNLOAD_SUFFIXES:
            return _error(403, "only exported files can be downloaded")
        return FileResponse(path, media_type=assets.content_type(path) if path.suffix != ".png" else "image/png",
                            filename=path.name)

    async def memory(self, request: Request) -> Response:
        return JSONResponse(memory(self.s.worker))

    # helpers ---------------------------------------------------------------

    @staticmethod
    async def _body(request: Request, model: type[Any]) -> Any:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return _error(413, "request too large")
        try:
            return model.model_validate_json(raw)
        except ValidationError as exc:
            return _error(422, "bad request", detail=json.loads(exc.json(include_url=False)))
