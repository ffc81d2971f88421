"""A file or folder and a port in; the studio served on 127.0.0.1 (uvicorn) until Ctrl-C, or in a thread.

Only the loopback interface is ever bound. ``serve`` is what ``nanosheet studio`` runs; ``StudioThread``
serves the same app from a background thread (tests and the benchmark drive it with a real browser).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import webbrowser
from pathlib import Path
from types import TracebackType

import uvicorn

from nanosheet.errors import ConfigError, InputError
from nanosheet.studio.app import Studio, create_app
from nanosheet.studio.workspace import Workspace

HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:``port`` (0: any free port); a taken port is a ``ConfigError``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}",
                          hint="pick another --port, or 0 for any free port") from None
    sock.listen(128)
    return sock


def open_workspace(target: Path) -> Workspace:
    if not target.exists():
        raise InputError("no such file or folder", file=str(target))
    return Workspace.open(target)


def _server(studio: Studio) -> uvicorn.Server:
    config = uvicorn.Config(create_app(studio), log_level="warning", lifespan="off", access_log=False,
                            timeout_graceful_shutdown=3)
    return uvicorn.Server(config)


def serve(target: Path, *, port: int = 8765, open_browser: bool = True, echo: bool = True) -> None:
    """Serve ``target`` until interrupted; prints the URL and (unless told not to) opens it."""
    studio = Studio(open_workspace(target))
    sock = bind(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    if echo:
        print(f"nanosheet studio: {url}  (folder {studio.workspace.root}; Ctrl-C stops)", flush=True)
    if open_browser:
        threading.Timer(0.3, webbrowser.open, args=(url,)).start()
    try:
        _server(studio).run(sockets=[sock])
    finally:
        sock.close()
        studio.worker.close()
        if echo:
            print("nanosheet studio: stopped", flush=True)


class StudioThread:
    """``with StudioThread(folder) as st: st.url`` — the studio on a free port in a background thread."""

    def __init__(self, target: Path, port: int = 0) -> None:
        self.studio = Studio(open_workspace(target))
        self._sock = bind(port)
        self.port: int = self._sock.getsockname()[1]
        self.url = f"http://{HOST}:{self.port}/"
        self._server = _server(self.studio)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    def __enter__(self) -> StudioThread:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        self.studio.worker.close()  # first: requests waiting on the browser are answered, not cut off
        self._server.should_exit = True
        self._thread.join(timeout=10)
        with contextlib.suppress(OSError):
            self._sock.close()
