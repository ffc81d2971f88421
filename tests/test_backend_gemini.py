"""The Gemini image backend through the real google-genai SDK against a loopback generateContent server."""

from __future__ import annotations

import base64
import json
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from fake_http import FakeServer, Reply
from nanosheet.backends.gemini_sdk import map_genai_error
from nanosheet.backends.image import fit_to_a4, generate_image, save_image
from nanosheet.backends.prompt_text import image_prompt_text, prompt_sha256
from nanosheet.backends.retry import TransientBackendError
from nanosheet.cli import app
from nanosheet.errors import BackendError

PROMPT = "# 🍌 Active-Prompt 치트시트\n\n손글씨 스타일, A4 한 장, Chain-of-Thought 예시 포함\n"


def _png(size: tuple[int, int], colour: tuple[int, int, int] = (250, 247, 240)) -> bytes:
    image = Image.new("RGB", size, colour)
    for x in range(size[0] // 4, size[0] * 3 // 4):  # some ink, so the content is recognisable
        image.putpixel((x, size[1] // 2), (20, 20, 20))
    buf = BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _image_reply(data: bytes, text: str | None = None) -> Reply:
    parts: list[dict[str, object]] = []
    if text:
        parts.append({"text": text})
    parts.append({"inlineData": {"mimeType": "image/png", "data": base64.b64encode(data).decode()}})
    return Reply(200, {"candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP",
                                       "index": 0}],
                       "usageMetadata": {"promptTokenCount": 30, "candidatesTokenCount": 1290},
                       "modelVersion": "gemini-3-pro-image-preview"})


def _error(code: int, status: str, message: str) -> Reply:
    return Reply(code, {"error": {"code": code, "message": message, "status": status}})


def _generate(server: FakeServer, **kw: object) -> tuple[object, list[float]]:
    slept: list[float] = []
    args: dict[str, object] = {"model": "gemini-3-pro-image-preview", "aspect": "3:4", "size": "2K",
                               "api_key": "test-key", "base_url": server.url, "timeout": 10.0,
                               "sleep": slept.append}
    args.update(kw)
    return generate_image(image_prompt_text(PROMPT), **args), slept  # type: ignore[arg-type]


def test_image_saved_padded_with_metadata_and_request_shape(tmp_path: Path) -> None:
    source = _png((600, 800))  # 3:4, wider than A4 portrait
    style = tmp_path / "style.png"
    style.write_bytes(_png((32, 32), (200, 0, 0)))
    with FakeServer([_image_reply(source, "Here is your sheet")]) as server:
        result, slept = _generate(server, style_image=style)
    assert slept == []
    (seen,) = server.seen
    assert seen.path == "/v1beta/models/gemini-3-pro-image-preview:generateContent"
    assert seen.headers["x-goog-api-key"] == "test-key"
    body = seen.json()
    assert body["generationConfig"]["responseModalities"] == ["IMAGE"]
    assert body["generationConfig"]["imageConfig"] == {"aspectRatio": "3:4", "imageSize": "2K"}
    parts = body["contents"][0]["parts"]
    assert parts[0]["text"] == image_prompt_text(PROMPT)
    assert base64.b64decode(parts[1]["inlineData"]["data"]) == style.read_bytes()
    inline = parts[1]["inlineData"]  # the SDK writes this one key in snake case; the API takes both
    assert inline.get("mimeType", inline.get("mime_type")) == "image/png"

    saved = save_image(result, tmp_path / "out", "activeprompt")  # type: ignore[arg-type]
    page = Image.open(saved.png)
    assert saved.source_px == (600, 800)
    assert page.size == (600, round(600 * 297 / 210))  # padded top and bottom, width kept
    assert page.getpixel((5, 5)) == (250, 247, 240)  # margins take the paper colour
    y0 = (page.height - 800) // 2
    assert Image.open(BytesIO(source)).convert("RGB").tobytes() == page.crop((0, y0, 600, y0 + 800)).tobytes()
    assert page.text["nanosheet:model"] == "gemini-3-pro-image-preview"  # type: ignore[attr-defined]
    meta = json.loads(saved.sidecar.read_text(encoding="utf-8"))
    assert saved.sidecar.name == "activeprompt.generate.json"
    assert meta["prompt_sha256"] == prompt_sha256(image_prompt_text(PROMPT))
    assert meta["cost_usd"] == 0.134 and meta["size"] == "2K" and meta["aspect"] == "3:4"
    assert meta["model_text"] == "Here is your sheet"


def test_flash_25_drops_image_size_with_warning() -> None:
    with FakeServer([_image_reply(_png((400, 300)))]) as server:
        result, _ = _generate(server, model="gemini-2.5-flash-image", size="4K", aspect="4:3")
    config = server.seen[0].json()["generationConfig"]["imageConfig"]
    assert config == {"aspectRatio": "4:3"}
    assert result.size is None and result.cost_usd == 0.039  # type: ignore[attr-defined]
    assert any("image_size" in w for w in result.warnings)  # type: ignore[attr-defined]


def test_fit_to_a4_landscape_pads_without_cropping() -> None:
    wide, box = fit_to_a4(Image.open(BytesIO(_png((1024, 559)))))  # wider than A4 landscape
    assert wide.size == (1024, round(1024 * 210 / 297)) and box == (0, (wide.height - 559) // 2, 1024, 559)
    tall, box = fit_to_a4(Image.open(BytesIO(_png((800, 600)))))  # 4:3 is narrower than A4 landscape
    assert tall.size == (round(600 * 297 / 210), 600) and box == ((tall.width - 800) // 2, 0, 800, 600)


def test_text_only_reply_is_reported_with_the_models_words() -> None:
    reply = Reply(200, {"candidates": [{"content": {"role": "model", "parts": [
        {"text": "I can describe the cheat sheet, but here is text instead."}]}, "finishReason": "STOP"}]})
    with FakeServer([reply]) as server, pytest.raises(BackendError) as info:
        _generate(server)
    assert "text only" in info.value.message and "here is text instead" in info.value.message


def test_refusal_and_blocked_prompt() -> None:
    refused = Reply(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": "I can't help."}]},
                                          "finishReason": "PROHIBITED_CONTENT"}]})
    blocked = Reply(200, {"promptFeedback": {"blockReason": "SAFETY", "blockReasonMessage": "unsafe"}})
    with FakeServer([refused, blocked]) as server:
        for pattern in ("refused.*PROHIBITED_CONTENT.*can't help", "blocked the prompt \\(SAFETY\\): .*unsafe"):
            with pytest.raises(BackendError, match=pattern):
                _generate(server)
    assert len(server.seen) == 2


def test_429_is_retried_with_backoff_then_succeeds() -> None:
    script = [_error(429, "RESOURCE_EXHAUSTED", "quota"), _error(503, "UNAVAILABLE", "overloaded"),
              _image_reply(_png((300, 400)))]
    with FakeServer(script) as server:
        result, slept = _generate(server, retries=3)
    assert len(server.seen) == 3 and slept == [2.0, 4.0]
    assert result.data  # type: ignore[attr-defined]


def test_503_exhausted_gives_up_clearly() -> None:
    with (
        FakeServer([_error(503, "UNAVAILABLE", "The model is overloaded")] * 3) as server,
        pytest.raises(BackendError) as info,
    ):
        _generate(server, retries=2)
    assert not isinstance(info.value, TransientBackendError)
    assert "503" in info.value.message and "gave up after 3 attempts" in info.value.message
    assert len(server.seen) == 3


def test_400_is_not_retried() -> None:
    with (
        FakeServer([_error(400, "INVALID_ARGUMENT", "bad aspect")]) as server,
        pytest.raises(BackendError, match="HTTP 400.*bad aspect"),
    ):
        _generate(server)
    assert len(server.seen) == 1


def test_timeout_is_reported() -> None:
    with FakeServer([Reply(200, {}, delay=5.0)]) as server, pytest.raises(BackendError, match="timed out"):
        _generate(server, timeout=0.3, retries=0)


def test_malformed_json_is_reported() -> None:
    with (
        FakeServer([Reply(200, b'{"candidates": [ {"content": ')]) as server,
        pytest.raises(BackendError, match="malformed"),
    ):
        _generate(server)


def test_every_lower_level_error_maps_to_backend_error() -> None:
    import httpx2
    from google.genai import errors as gerrors

    request = httpx2.Request("POST", "http://127.0.0.1/x")
    cases: list[tuple[BaseException, str]] = [
        (gerrors.ClientError(429, {"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}}),
         "HTTP 429"),
        (gerrors.ServerError(500, {"error": {"code": 500, "message": "boom", "status": "INTERNAL"}}), "HTTP 500"),
        (gerrors.ClientError(403, {"error": {"code": 403, "message": "denied", "status": "PERMISSION_DENIED"}}),
         "denied"),
        (httpx2.ReadTimeout("slow", request=request), "timed out"),
        (httpx2.ConnectError("refused", request=request), "could not reach"),
        (json.JSONDecodeError("Expecting value", "x", 0), "malformed"),
        (gerrors.UnknownApiResponseError("odd"), "malformed"),
        (RuntimeError("surprise"), "unexpectedly"),
    ]
    for exc, words in cases:
        mapped = map_genai_error(exc, what="image generation")
        assert isinstance(mapped, BackendError), exc
        assert words in mapped.message, (exc, mapped.message)
        assert "\n" not in mapped.describe()
    assert isinstance(map_genai_error(cases[0][0]), TransientBackendError)
    assert not isinstance(map_genai_error(cases[1][0]), TransientBackendError)


def test_cli_without_key_says_which_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    prompt = tmp_path / "p.md"
    prompt.write_text(PROMPT, encoding="utf-8")
    result = CliRunner().invoke(app, ["generate", str(prompt), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "GEMINI_API_KEY is not set" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_cli_generate_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "k")
    prompt = tmp_path / "sheet.md"
    prompt.write_text(PROMPT, encoding="utf-8")
    with FakeServer([_image_reply(_png((400, 300)))]) as server:
        result = CliRunner().invoke(app, ["generate", str(prompt), "--model", "gemini-2.5-flash-image",
                                          "--aspect", "4:3", "--base-url", server.url, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sheet.png").exists() and (tmp_path / "sheet.generate.json").exists()
    assert "image_size" in result.output  # the dropped-size warning reaches the user


def _sent_aspect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prompt: Path, *extra: str) -> tuple[str, str]:
    """Run ``generate`` against a loopback server; the aspect ratio and prompt text it sent."""
    monkeypatch.setenv("GEMINI_API_KEY", "k")
    with FakeServer([_image_reply(_png((300, 400)))]) as server:
        result = CliRunner().invoke(app, ["generate", str(prompt), "--model", "gemini-3-pro-image-preview",
                                          "--base-url", server.url, "-o", str(tmp_path / "out"), *extra])
    assert result.exit_code == 0, result.output
    body = server.seen[0].json()
    return body["generationConfig"]["imageConfig"]["aspectRatio"], body["contents"][0]["parts"][0]["text"]


SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = SHARED / "examples" / "prompts"


def test_cli_aspect_follows_the_prompts_orientation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = SHARED / "seed" / "000_56a30bed481ece40.txt"  # A4 portrait
    landscape = PROMPTS / "tokenization-spelling-cheatsheet-prompt.md"  # "가로 A4"
    assert _sent_aspect(tmp_path / "a", monkeypatch, seed)[0] == "3:4"
    assert _sent_aspect(tmp_path / "b", monkeypatch, landscape)[0] == "4:3"
    assert _sent_aspect(tmp_path / "c", monkeypatch, landscape, "--aspect", "16:9")[0] == "16:9"


def test_cli_clean_sends_the_written_prompt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = SHARED / "seed" / "000_56a30bed481ece40.txt"
    _, as_written = _sent_aspect(tmp_path / "a", monkeypatch, seed)
    _, clean = _sent_aspect(tmp_path / "b", monkeypatch, seed, "--clean")
    assert "첨부된 이미지는" in as_written and "첨부된 이미지는" in clean  # repaired either way
    assert "| 영역 | 비율 | 내용 | 배치 |" in clean and "A4 세로 방향 (Portrait)" in clean
    assert "A4 세로 방향 (Portrait)" not in as_written  # only the written prompt states the page


def test_cli_without_key_exits_2_before_reading_anything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    for args in (["generate", str(tmp_path / "missing.md")],
                 ["generate", str(SHARED / "seed" / "000_56a30bed481ece40.txt"), "--aspect", "4:3"]):
        result = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: GEMINI_API_KEY is not set")
        assert "Traceback" not in result.output and not (tmp_path / "out").exists()
