"""A cheat-sheet prompt whose every field carries script, event-handler, link, image, url() and @import payloads.

Every payload, if it ever ran or loaded, would hit ``http://HOST/<tag>`` or set ``window.__pwned`` /
``document.title``; the hostile tests serve HOST on 127.0.0.1 and count the hits.
"""

from __future__ import annotations

from nanosheet.textwidth import display_width

HALF = 58
"""Inner width of a half-width box; a full-width box spans two halves and the gap between them."""
FULL = 2 * HALF + 3


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _box(lines: list[str], width: int) -> list[str]:
    return ["┌" + "─" * width + "┐", *("│" + _pad(t, width) + "│" for t in lines), "└" + "─" * width + "┘"]


def _pair(left: list[str], right: list[str]) -> list[str]:
    a, b = _box(left, HALF), _box(right, HALF)
    return [x + " " + y for x, y in zip(a, b, strict=True)]


def hostile_prompt(host: str) -> str:
    h = f"http://{host}"
    inner = [
        f"🍌 <script>window.__pwned='wire'</script><img src={h}/wire>", "",
        *_pair(["❌ <b onmouseover=x>PANEL</b>", f"• <img src=x onerror=fetch('{h}/e1')>"],
               [f"📌 [go](javascript:fetch('{h}/j1'))", f"• <svg onload=fetch('{h}/svg')>"]), "",
        "MIND MAP <iframe src=x>",
        *_box([f"<link rel=stylesheet href={h}/link.css>"], FULL), "",
        *_pair(["🧪 TABLE", f"@import url({h}/wire.css);"], ["💻 CODE", f"background:url({h}/bg)"]),
    ]
    wire = _box([" " + _pad(line, FULL + 3) for line in inner], FULL + 5)
    return "\n".join([
        "---",
        f"title: \"<script>document.title='PWNED'</script> Hostile @import url({h}/fm.css)\"",
        f"author: \"<img src={h}/author onerror=window.__pwned='author'>\"",
        f"source_url: \"javascript:fetch('{h}/source-url')\"",
        "chapter: 3", "total_chapters: 9", "---", "",
        f"# 나노바나나 치트시트 프롬프트: <script>fetch('{h}/h1')</script>", "",
        "# Layout Structure", "", "```", *wire, "```", "",
        "# Content Details", "",
        "## 1. ❌ <b onmouseover=x>PANEL</b>", "",
        f"- <img src=x onerror=\"fetch('{h}/e2');window.__pwned='li'\">",
        f"- [click](javascript:fetch('{h}/j2')) and ![img]({h}/md-image.png) and <{h}/autolink>",
        f"- <span style=\"background:url({h}/style-attr)\">styled</span> @import url(\"{h}/at.css\");",
        f"- <object data=\"{h}/object\"></object><embed src=\"{h}/embed\"><video src={h}/v autoplay></video>",
        "",
        f"## 2. 📌 [go](javascript:fetch('{h}/j1'))", "",
        f"> <script>window.__pwned='quote';fetch('{h}/quote')</script>", "",
        f"- [ ] <audio src={h}/audio autoplay></audio>", f"- [x] <style>@import '{h}/style.css';</style>", "",
        "## 3. MIND MAP <iframe src=x>", "",
        "```mermaid", "flowchart LR",
        f"    A[\"<img src={h}/mermaid.png onerror=window.__pwned='mermaid'>\"]"
        " --> B[\"<script>window.__pwned='mm'</script>\"]",
        f"    B --> C[\"<a href='javascript:fetch(1)'>c</a> url({h}/m.png)\"]",
        "```", "",
        f"Mind Map: <img src={h}/mind-root> → <script>window.__pwned='mind'</script>, url({h}/mind.png), "
        "<a href=javascript:alert(1)>x</a>", "",
        "## 4. 🧪 TABLE", "",
        f"| <script>window.__pwned='th'</script> | <img src={h}/th.png> |", "|---|---|",
        f"| <a href=\"javascript:fetch('{h}/td')\">cell</a> | background:url({h}/td-bg.png) |",
        f"| `<script>window.__pwned='code'</script>` | <style>@import url({h}/td.css)</style> |", "",
        "## 5. 💻 CODE", "", "```html", f"<script src=\"{h}/code.js\"></script>",
        f"<img src=\"{h}/code.png\" onerror=\"window.__pwned='codeblock'\">",
        f"<style>@import url({h}/code.css); body {{ background: url({h}/code-bg.png) }}</style>", "```", "",
        "# 이미지 생성 요청", "", f"A4 한 장 <meta http-equiv=\"refresh\" content=\"0;url={h}/meta-refresh\">", "",
    ])
