"""render --llm: panel content from a (fake, loopback) OpenAI-compatible server; without it, no backend at all."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fake_http import FakeServer, Reply, Seen
from nanosheet.cli import app
from nanosheet.render.geometry import layout_rows

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_56a30bed481ece40.txt"


def _panel_answer(seen: Seen) -> Reply:
    """One short list per panel, naming the panel it was asked for."""
    user = str(seen.json()["messages"][-1]["content"])
    title = re.search(r"^Panel: (?:\S+ )?(.+)$", user, re.M)
    name = title.group(1).strip() if title else "?"
    blocks = {"blocks": [{"type": "list", "items": [{"text": f"LLM 요약 {name}"}, {"text": "핵심 한 줄"}]}]}
    return Reply(200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "fake",
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": json.dumps(blocks,
                                                                                           ensure_ascii=False)}}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


@pytest.fixture(autouse=True)
def _session_browser(cli_uses_session_browser: None) -> None:
    """Every render here runs in-process through the CLI."""


def _render(out: Path, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["render", str(SEED), "-o", str(out), "--format", "html", *extra])
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads((out / f"{SEED.stem}.report.json").read_text(encoding="utf-8"))
    return report


def _layout(report: dict[str, Any]) -> list[Any]:
    return [[(r["kind"], r["panels"]) for r in report["rows"]],
            [(p["id"], p["box_mm"]) for p in report["panels"]]]


def test_render_with_llm_fills_panels_and_keeps_the_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    plain = _render(tmp_path / "plain")
    with FakeServer([_panel_answer] * 6) as server:
        enriched = _render(tmp_path / "llm", "--llm", "openai:fake", "--base-url", server.url + "/v1")
    asked = [s for s in server.seen if s.path == "/v1/chat/completions"]
    assert len(asked) == 6  # every panel but the title, once each
    assert all(s.json()["model"] == "fake" for s in asked)
    assert _layout(enriched) == _layout(plain)
    texts = {p["id"]: p["text"] for p in enriched["panels"]}
    for pid, title in (("r2p1", "MULTIMODAL"), ("r2p2", "AGENTS"), ("r4p3", "KEY TAKEAWAYS")):
        assert f"LLM 요약 {title}" in texts[pid]
    assert "이미지, 오디오, 비디오" in texts["r2p1"]  # the wireframe's own lines stay
    assert not any("LLM 요약" in p["text"] for p in plain["panels"])


def test_llm_warnings_reach_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bad = Reply(200, {"id": "c", "object": "chat.completion", "created": 0, "model": "fake",
                      "choices": [{"index": 0, "finish_reason": "stop",
                                   "message": {"role": "assistant", "content": "not json"}}]})
    with FakeServer([bad] * 18, spare=4) as server:
        report = _render(tmp_path / "llm", "--llm", "openai:fake", "--base-url", server.url + "/v1")
    codes = [w["code"] for w in report["warnings"]]
    assert codes.count("llm-rejected") == 6


def test_report_boxes_are_the_geometry_capacity_is_measured_on(tmp_path: Path) -> None:
    from nanosheet.compose import compose_sheet
    from nanosheet.ingest import read_prompt

    report = _render(tmp_path / "plain")
    sheet = compose_sheet(read_prompt(SEED))
    boxes = {p.id: box.as_list() for row, g in zip(sheet.rows, layout_rows(sheet.page, sheet.rows), strict=True)
             for p, box in zip(row.panels, g.panels, strict=True) if row.kind != "title"}
    for panel in report["panels"]:
        if panel["id"] in boxes:
            assert panel["box_mm"] == pytest.approx(boxes[panel["id"]], abs=0.3)


def test_without_llm_no_backend_code_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openai
    from google import genai

    from nanosheet.backends import llm_compose

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a backend was touched without --llm")

    monkeypatch.setattr(openai.OpenAI, "__init__", refuse)
    monkeypatch.setattr(genai.Client, "__init__", refuse)
    monkeypatch.setattr(llm_compose, "apply_llm", refuse)
    monkeypatch.setattr(llm_compose, "enrich_sheet", refuse)
    report = _render(tmp_path / "plain")
    assert report["panels"]


def test_llm_option_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    cases = [(["--llm", "openai"], "PROVIDER:MODEL"), (["--llm", "acme:x"], "unknown LLM provider"),
             (["--llm", "openai:gpt-4o-mini"], "OPENAI_API_KEY"), (["--base-url", "http://127.0.0.1:9/v1"],
                                                                   "--base-url needs --llm")]
    for extra, words in cases:
        result = CliRunner().invoke(app, ["render", str(SEED), "-o", str(tmp_path), *extra])
        assert result.exit_code == 2, (extra, result.output)
        assert words in result.output and "Traceback" not in result.output
        assert not list(tmp_path.glob("*.report.json"))  # failed before rendering anything
