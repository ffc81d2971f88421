"""Helpers for the studio tests: a small prompt drawn by our own writers, and a raw HTTP client."""

from __future__ import annotations

import http.client
import json
import re
from typing import Any

from nanosheet.ingest.wireframe_draw import draw_wireframe
from nanosheet.model import Panel, Row
from nanosheet.promptgen import ratio_table


def studio_prompt(title: str = "STUDIO TEST SHEET", alpha: str = "alpha keeps the first idea") -> str:
    """A three-row prompt (title; two panels; one panel) with a ratio table and content sections."""
    rows = [Row(kind="title", ratio=12, panels=[Panel(id="r0p0", title=f"🍌 {title} 🍌")]),
            Row(kind="panels", ratio=44, widths=[1, 1],
                panels=[Panel(id="r1p0", title="📘 Alpha Notes"), Panel(id="r1p1", title="📗 Beta Notes")]),
            Row(kind="panels", ratio=44, widths=[1], panels=[Panel(id="r2p0", title="📙 Gamma Summary")])]
    table = "\n".join(ratio_table(rows))
    return (f"# Role Definition\n\nYou turn short notes into a one-page cheat sheet.\n\n"
            f"# Layout Structure (이 구조대로 배치해주세요)\n\n```\n{draw_wireframe(rows).rstrip()}\n```\n\n"
            f"## 배치 비율\n\n{table}\n\n# Content Details\n\n"
            f"## 1. 📘 Alpha Notes\n\n- {alpha}\n- alpha keeps the second idea\n\n"
            f"## 2. 📗 Beta Notes\n\n- beta lists a contrast\n- beta lists a caveat\n\n"
            f"## 3. 📙 Gamma Summary\n\nGamma sums the sheet up in one sentence.\n")


def table_ratios(text: str) -> list[float]:
    """The 비율 column of the ratio table in ``text``."""
    return [float(m) for m in re.findall(r"^\|[^|\n]*\|\s*([\d.]+)%\s*\|", text, flags=re.M)]


class Client:
    """Raw requests to the studio, so tests control Host, Origin and the token exactly."""

    def __init__(self, port: int, token: str | None) -> None:
        self.port = port
        self.token = token

    def request(self, method: str, path: str, body: dict[str, Any] | None = None, *, host: str | None = None,
                origin: str | None | bool = True, token: str | None | bool = True) -> tuple[int, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": host or f"127.0.0.1:{self.port}", "Content-Type": "application/json"}
        if origin is True:
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        elif isinstance(origin, str):
            headers["Origin"] = origin
        if token is True and self.token:
            headers["X-Studio-Token"] = self.token
        elif isinstance(token, str):
            headers["X-Studio-Token"] = token
        conn.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers)
        res = conn.getresponse()
        raw = res.read()
        conn.close()
        kind = res.getheader("content-type") or ""
        return res.status, (json.loads(raw) if "json" in kind else raw)


