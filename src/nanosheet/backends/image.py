"""Prompt text (+ optional style image) -> a painted cheat sheet from a Nano Banana model, saved on A4.

The seam is ``ImageModel.generate(ImageRequest) -> ImageReply``: the Gemini implementation speaks
google-genai; tests point it at a loopback server. Everything around it (choosing what to send,
retrying, judging the reply, padding to A4, writing metadata) is plain code on plain data.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any, Protocol

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from nanosheet.backends.gemini_sdk import DEFAULT_TIMEOUT, gemini_client, gemini_key, map_genai_error
from nanosheet.backends.prompt_text import prompt_sha256
from nanosheet.backends.retry import Sleep, call_with_retries
from nanosheet.errors import BackendError, ConfigError, InputError

if TYPE_CHECKING:
    from google import genai

log = logging.getLogger(__name__)

ASPECTS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
SIZES = ("1K", "2K", "4K")
A4_MM = (210.0, 297.0)


@dataclass(frozen=True)
class ModelInfo:
    sizes: tuple[str, ...]
    """Values ``image_config.image_size`` accepts; empty when the model takes no size."""
    cost_usd: dict[str, float] | None
    """Price per image by size (``*`` for any), or None when we know no documented figure."""


MODELS: dict[str, ModelInfo] = {
    "gemini-2.5-flash-image": ModelInfo((), {"*": 0.039}),
    "gemini-3-pro-image-preview": ModelInfo(SIZES, {"1K": 0.134, "2K": 0.134, "4K": 0.24}),
    # 3.1 Flash Image takes 1K/2K/4K; we carry no verified price for it, so the sidecar says "unknown".
    "gemini-3.1-flash-image": ModelInfo(SIZES, None),
}
DEFAULT_MODEL = "gemini-3-pro-image-preview"
REFUSALS = frozenset({"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION", "IMAGE_SAFETY",
                      "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "IMAGE_OTHER", "NO_IMAGE"})


def model_info(model: str) -> ModelInfo | None:
    """Known facts about a model id; ``-preview``-style suffixes and a ``models/`` prefix match too."""
    name = model.removeprefix("models/")
    for key in sorted(MODELS, key=len, reverse=True):
        if name == key or name.startswith(key + "-"):
            return MODELS[key]
    return None


# --------------------------------------------------------------------------- the seam


@dataclass(frozen=True)
class ImageRequest:
    prompt_text: str
    model: str
    aspect: str
    size: str | None
    """None when the model does not accept ``image_size``."""
    style_image: bytes | None = None
    style_mime: str = "image/png"


@dataclass(frozen=True)
class ImageReply:
    """What came back, reduced to what we judge: the image (if any) and the model's words."""

    data: bytes | None
    mime: str | None = None
    text: str = ""
    finish_reason: str | None = None
    block_reason: str | None = None


class ImageModel(Protocol):
    def generate(self, request: ImageRequest) -> ImageReply: ...


class GeminiImageModel:
    """``ImageModel`` over google-genai's ``models.generate_content``."""

    def __init__(self, client: genai.Client, *, timeout: float | None = None) -> None:
        self._client, self._timeout = client, timeout

    def generate(self, request: ImageRequest) -> ImageReply:
        from google.genai import types

        contents: list[Any] = [request.prompt_text]
        if request.style_image is not None:
            contents.append(types.Part.from_bytes(data=request.style_image, mime_type=request.style_mime))
        config = types.GenerateContentConfig(
            response_modalities=["IMAGE"],
            image_config=types.ImageConfig(aspect_ratio=request.aspect, image_size=request.size),
        )
        try:
            response = self._client.models.generate_content(model=request.model, contents=contents,
                                                            config=config)
        except Exception as exc:  # every SDK/transport error goes through the one mapping
            raise map_genai_error(exc, what=f"image generation with {request.model}",
                                  timeout=self._timeout) from exc
        return _reply_from(response)


def _reply_from(response: Any) -> ImageReply:
    feedback = response.prompt_feedback
    block = _enum_name(feedback.block_reason) if feedback is not None else None
    if not response.candidates:
        message = (feedback.block_reason_message or "") if feedback is not None else ""
        return ImageReply(None, text=message, block_reason=block or "NO_CANDIDATES")
    cand = response.candidates[0]
    texts: list[str] = []
    image: tuple[bytes, str] | None = None
    for part in (cand.content.parts if cand.content and cand.content.parts else []):
        if part.inline_data is not None and part.inline_data.data and not part.thought:
            image = (part.inline_data.data, part.inline_data.mime_type or "image/png")  # the last one is final
        elif part.text and not part.thought:
            texts.append(part.text.strip())
    text = "\n".join(t for t in texts if t) or (cand.finish_message or "")
    return ImageReply(image[0] if image else None, image[1] if image else None, text,
                      _enum_name(cand.finish_reason), block)


def _enum_name(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "name", value))


# --------------------------------------------------------------------------- generate


@dataclass
class GeneratedImage:
    data: bytes
    mime: str
    model: str
    prompt_sha256: str
    aspect: str
    size: str | None
    """The size sent (None when the model takes none)."""
    size_requested: str | None
    cost_usd: float | None
    text: str = ""
    warnings: list[str] = field(default_factory=list)


def generate_image(prompt_text: str, *, model: str = DEFAULT_MODEL, style_image: Path | None = None,
                   aspect: str = "3:4", size: str | None = "2K", api_key: str | None = None,
                   base_url: str | None = None, timeout: float = DEFAULT_TIMEOUT, retries: int = 4,
                   sleep: Sleep = time.sleep, backend: ImageModel | None = None) -> GeneratedImage:
    """Ask the image model once (plus retries on 429/503) and return the image or raise BackendError."""
    if aspect not in ASPECTS:
        raise ConfigError(f"unsupported aspect ratio {aspect!r}", hint="use one of " + ", ".join(ASPECTS))
    if size is not None and size not in SIZES:
        raise ConfigError(f"unsupported image size {size!r}", hint="use 1K, 2K or 4K")
    warnings: list[str] = []
    sent_size = _size_for(model, size, warnings)
    style_bytes, style_mime = _read_style(style_image) if style_image else (None, "image/png")
    request = ImageRequest(prompt_text, model, aspect, sent_size, style_bytes, style_mime)
    if backend is None:
        key = api_key or gemini_key()
        backend = GeminiImageModel(gemini_client(key, base_url=base_url, timeout=timeout), timeout=timeout)
    reply = call_with_retries(lambda: backend.generate(request), retries=retries, sleep=sleep,
                              what=f"image generation with {model}")
    data, mime = _judge(reply, model)
    return GeneratedImage(data, mime, model, prompt_sha256(prompt_text), aspect, sent_size, size,
                          estimate_cost(model, sent_size), reply.text, warnings)


def _size_for(model: str, size: str | None, warnings: list[str]) -> str | None:
    info = model_info(model)
    if size is None or info is None or size in info.sizes:
        if info is None:
            warnings.append(f"unknown model {model!r}: sending image_size {size} as asked; cost unknown")
        return size
    warnings.append(f"{model} does not accept image_size; {size} dropped (the model picks its own size)")
    log.warning("%s", warnings[-1])
    return None


_STYLE_IMAGE_LIMIT = 20 * 2**20
"""The API takes inline images up to about 20 MB; a device or FIFO named here is refused, not read."""


def _read_style(path: Path) -> tuple[bytes, str]:
    mime = mimetypes.guess_type(path.name)[0] or ""
    if mime not in {"image/png", "image/jpeg", "image/webp"}:
        raise InputError("the style image must be PNG, JPEG or WebP", file=str(path))
    from nanosheet.ingest.intake import read_limited

    return read_limited(path, limit=_STYLE_IMAGE_LIMIT), mime


def _judge(reply: ImageReply, model: str) -> tuple[bytes, str]:
    said = f": “{reply.text}”" if reply.text else ""
    if reply.block_reason:
        raise BackendError(f"{model} blocked the prompt ({reply.block_reason}){said}",
                           hint="reword the prompt; nothing was generated")
    if reply.data is not None:
        return reply.data, reply.mime or "image/png"
    if reply.finish_reason in REFUSALS:
        raise BackendError(f"{model} refused to draw the image ({reply.finish_reason}){said}")
    raise BackendError(f"{model} answered with text only, no image (finish {reply.finish_reason}){said}")


def estimate_cost(model: str, size: str | None) -> float | None:
    info = model_info(model)
    if info is None or info.cost_usd is None:
        return None
    return info.cost_usd.get(size or "1K", info.cost_usd.get("*"))


# --------------------------------------------------------------------------- save on A4


@dataclass(frozen=True)
class SavedImage:
    png: Path
    sidecar: Path
    source_px: tuple[int, int]
    page_px: tuple[int, int]


def fit_to_a4(image: Image.Image) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """Pad (never crop) to A4's ratio in the sheet's own orientation; margins take the paper's colour.

    Returns the padded image and where the original sits in it (x, y, w, h).
    """
    rgb = image.convert("RGB")
    w, h = rgb.size
    short, long = A4_MM
    ratio = long / short if h >= w else short / long  # target height / width
    if h / w < ratio:
        new_w, new_h = w, round(w * ratio)
    else:
        new_w, new_h = round(h / ratio), h
    page = Image.new("RGB", (new_w, new_h), paper_colour(rgb))
    x, y = (new_w - w) // 2, (new_h - h) // 2
    page.paste(rgb, (x, y))
    return page, (x, y, w, h)


def paper_colour(image: Image.Image) -> tuple[int, int, int]:
    """The median colour of the outermost pixels: the paper the model painted on."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    px = rgb.load()
    assert px is not None
    edge = [px[x, y] for x in range(w) for y in (0, h - 1)] + [px[x, y] for y in range(h) for x in (0, w - 1)]
    channels = zip(*[p if isinstance(p, tuple) else (p, p, p) for p in edge], strict=False)
    r, g, b = (int(median(c)) for c in channels)
    return r, g, b


def save_image(result: GeneratedImage, out_dir: Path, stem: str) -> SavedImage:
    """Write ``<stem>.png`` (padded to A4, metadata in text chunks) and ``<stem>.generate.json``."""
    try:
        source = Image.open(BytesIO(result.data))
        source.load()
    except Exception as exc:  # Pillow raises several kinds for undecodable bytes
        raise BackendError(f"{result.model} returned image bytes Pillow cannot read ({exc})") from exc
    page, (x, y, w, h) = fit_to_a4(source)
    landscape = page.width > page.height
    dpi = page.width / ((A4_MM[1] if landscape else A4_MM[0]) / 25.4)
    meta = _metadata(result, source.size, page.size, (x, y, w, h), dpi)
    info = PngInfo()
    info.add_text("Software", "nanosheet generate")
    for key in ("model", "prompt_sha256", "aspect", "size", "cost_usd"):
        info.add_text(f"nanosheet:{key}", "" if meta[key] is None else str(meta[key]))
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / f"{stem}.png"
    sidecar = out_dir / f"{stem}.generate.json"
    page.save(png, format="PNG", pnginfo=info, dpi=(dpi, dpi))
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return SavedImage(png, sidecar, source.size, page.size)


def _metadata(result: GeneratedImage, source: tuple[int, int], page: tuple[int, int],
              box: tuple[int, int, int, int], dpi: float) -> dict[str, Any]:
    return {
        "model": result.model,
        "prompt_sha256": result.prompt_sha256,
        "aspect": result.aspect,
        "size": result.size,
        "size_requested": result.size_requested,
        "cost_usd": result.cost_usd,
        "cost_note": "estimate per image" if result.cost_usd is not None else "unknown for this model",
        "mime": result.mime,
        "source_px": list(source),
        "page_px": list(page),
        "placed_at_px": list(box),
        "dpi": round(dpi, 1),
        "model_text": result.text,
        "warnings": result.warnings,
    }
