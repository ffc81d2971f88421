"""The split fonts: what each part holds, and that a page drawn with them looks exactly as with Debian's."""

from __future__ import annotations

import io
import re
from pathlib import Path

import emoji
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageChops

from nanosheet.render import fonts

TRICKY_EMOJI = ["👨‍💻", "💻", "👩‍👩‍👧‍👦", "🏳️‍🌈", "#️⃣", "🇰🇷", "👍🏽", "❤️", "🧑🏾‍🚀", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "☕", "⚠️",
                "👨‍❤️‍👨", "🫶🏻", "1️⃣", "©️", "🧠", "🤖"]
RARE_HANGUL = "똠쀍믜햏뷁휔"  # none of these is among KS X 1001's 2 350 syllables
COMMON_HANGUL = "한글문장은흔한음절로"


def test_common_syllables_are_ks_x_1001() -> None:
    common = fonts.common_syllables()
    assert len(common) == 2350
    assert {ord(c) for c in COMMON_HANGUL} <= common
    assert not {ord(c) for c in RARE_HANGUL} & common


@given(st.sets(st.integers(0x20, 0x2FFFF), max_size=60))
def test_unicode_range_round_trips(points: set[int]) -> None:
    text = fonts.unicode_range(points)
    back: set[int] = set()
    for part in filter(None, text.split(",")):
        a, _, b = part[2:].partition("-")
        back.update(range(int(a, 16), int(b or a, 16) + 1))
    assert back == points
    assert "--" not in text


def test_unicode_range_joins_runs() -> None:
    assert fonts.unicode_range([0xAC01, 0xAC00, 0xAC02, 0xAC05]) == "U+AC00-AC02,U+AC05"


def test_every_emoji_sequence_sits_whole_in_the_slice_of_its_first_character() -> None:
    cmap = set(range(0x20, 0xE0080))  # as if the font drew everything
    slices = fonts.emoji_slices(cmap, slices=40)
    home = {}
    for i, points in enumerate(slices):
        for cp in points:
            home.setdefault(cp, []).append(i)
    for seq in emoji.EMOJI_DATA:
        points = {ord(c) for c in seq}
        assert any(points <= slices[i] for i in home[ord(seq[0])]), seq
    assert 30 <= len(slices) <= 41


@pytest.fixture(scope="module")
def built() -> Path:
    return fonts.font_dir()


def test_built_parts_are_small_and_named_by_the_stylesheet(built: Path) -> None:
    css = (built / fonts.STYLESHEET).read_text(encoding="utf-8")
    files = re.findall(r"url\(([^)]+)\)", css)
    assert files and all((built / f).is_file() for f in files)
    sizes = {f: (built / f).stat().st_size for f in set(files)}
    assert sizes["barunpen-r-common.ttf"] < 2_000_000  # the whole font is 11 MB
    assert max(sizes.values()) < 6_000_000
    families = set(re.findall(r'font-family: "([^"]+)"', css))
    assert {"Nano Hand", "Nano Note", "Nano Emoji", "NanumGothicCoding"} <= families


def _compare(sheet_browser: object, css: str, text: str, ours: str, theirs: str) -> tuple[int, set[str]]:
    """Draw ``text`` in both families, one above the other at the same sub-pixel offset (320 CSS px is a
    whole number of device pixels); the largest channel difference, and the assets served so far."""
    from nanosheet.export import SheetBrowser

    assert isinstance(sheet_browser, SheetBrowser)
    page = sheet_browser.page
    boxes = "".join(f'<div id="fc-{top}" style="position:absolute;left:16px;top:{top}px;font-size:40px;'
                    f'font-family:{fam};line-height:1.3;white-space:nowrap;background:#fff;padding:4px;z-index:99">{text}</div>'
                    for top, fam in ((16, ours), (336, theirs)))
    page.evaluate("""([css, html, text]) => { const s = document.createElement('style'); s.id = 'fc-style';
        s.textContent = css; document.head.appendChild(s);
        document.getElementById('sheet')?.style.setProperty('visibility', 'hidden');  // a drawn sheet's overlays
        document.body.insertAdjacentHTML('beforeend', '<section id="fc">' + html + '</section>'); }""",
                  [css, boxes, text])
    try:
        page.evaluate("""([fams, text]) => Promise.all(fams.flatMap(f => ['400', '700'].map(
            w => document.fonts.load(`${w} 40px ${f}`, text)))).then(
            () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))""",
                      [[ours, theirs], re.sub("<[^>]+>", "", text)])
        a, b = (Image.open(io.BytesIO(page.locator(f"#fc-{x}").screenshot())).convert("RGB") for x in (16, 336))
        blank = Image.new("RGB", a.size, a.getpixel((0, 0)))
        drawn = ImageChops.difference(a, blank).getbbox()
        assert drawn and drawn[2] - drawn[0] > a.width // 3, f"nothing drawn for {text}"
        diff = ImageChops.difference(a, b) if a.size == b.size else None
        worst = 255 if diff is None else max(hi for _, hi in diff.getextrema())
        return worst, set(sheet_browser.served)
    finally:
        page.evaluate("""() => { document.getElementById('fc')?.remove(); document.getElementById('fc-style')?.remove();
                                 document.getElementById('sheet')?.style.removeProperty('visibility'); }""")


def test_sliced_emoji_draw_exactly_like_the_system_font(sheet_browser: object) -> None:
    for text in TRICKY_EMOJI:
        worst, _ = _compare(sheet_browser, "", text, '"Nano Emoji"', '"Noto Color Emoji"')
        assert worst == 0, text


def test_split_hangul_draws_exactly_like_barunpen(sheet_browser: object) -> None:
    css = ('@font-face { font-family: "Sys Hand"; size-adjust: 92%; src: local("NanumBarunpen"); }'
           '@font-face { font-family: "Sys Hand"; font-weight: 700; size-adjust: 92%; '
           'src: local("NanumBarunpen Bold"); }')
    for text in (COMMON_HANGUL, RARE_HANGUL, f"<b>{RARE_HANGUL}</b>"):
        worst, served = _compare(sheet_browser, css, text, '"Nano Hand"', '"Sys Hand"')
        assert worst == 0, text
    assert {"fonts/barunpen-r-rare.ttf", "fonts/barunpen-b-rare.ttf"} <= served


def test_an_unwritable_cache_is_a_clear_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from nanosheet.errors import ConfigError

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NANOSHEET_FONT_CACHE", str(blocker / "fonts"))
    fonts.font_dir.cache_clear()
    try:
        with pytest.raises(ConfigError, match="NANOSHEET_FONT_CACHE|cannot write"):
            fonts.font_dir()
    finally:
        fonts.font_dir.cache_clear()
