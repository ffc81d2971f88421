"""Text intake: encodings, BOM, line endings, bad input with file:line:col, and the ``repair`` command."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nanosheet.cli import app
from nanosheet.errors import InputError
from nanosheet.ingest.intake import MAX_BYTES, decode_bytes, read_text
from nanosheet.ingest.repair import make_mojibake

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_56a30bed481ece40.txt"
PROMPT = SHARED / "examples" / "prompts" / "fewshot-cheatsheet-prompt.md"
KOREAN = "# 제목\n\n본문 한 줄입니다.\n- 항목 → 결과\n"


# --------------------------------------------------------------------------- good input


def test_plain_utf8_comes_back_unchanged() -> None:
    intake = decode_bytes(KOREAN.encode(), "a.md")
    assert intake.text == KOREAN
    assert intake.repairs.encoding == "utf-8"
    assert intake.repairs.line_endings == "lf"
    assert not intake.repairs.bom
    assert intake.warnings == []


def test_bom_is_removed_and_recorded() -> None:
    intake = decode_bytes(codecs.BOM_UTF8 + KOREAN.encode(), "a.md")
    assert intake.text == KOREAN
    assert intake.repairs.bom
    assert intake.repairs.encoding == "utf-8-sig"


@pytest.mark.parametrize(("newline", "kind"), [("\r\n", "crlf"), ("\r", "cr"), ("\n", "lf")])
def test_line_endings_are_normalised(newline: str, kind: str) -> None:
    intake = decode_bytes(KOREAN.replace("\n", newline).encode(), "a.md")
    assert intake.text == KOREAN
    assert intake.repairs.line_endings == kind


def test_mixed_line_endings() -> None:
    intake = decode_bytes(b"a\r\nb\nc\rd", "a.md")
    assert intake.text == "a\nb\nc\nd"
    assert intake.repairs.line_endings == "mixed"


def test_utf16_with_bom() -> None:
    intake = decode_bytes(KOREAN.encode("utf-16"), "a.md")
    assert intake.text == KOREAN
    assert intake.repairs.encoding == "utf-16"


def test_cp949_is_read_with_a_warning() -> None:
    intake = decode_bytes(KOREAN.encode("cp949"), "a.md")
    assert intake.text == KOREAN
    assert intake.repairs.encoding == "cp949"
    assert [w.code for w in intake.warnings] == ["legacy-encoding"]


def test_crlf_mojibake_with_bom_is_repaired() -> None:
    broken = make_mojibake(PROMPT.read_text(encoding="utf-8")).replace("\n", "\r\n")
    intake = decode_bytes(codecs.BOM_UTF8 + broken.encode(), "p.md")
    assert intake.repairs.bom and intake.repairs.line_endings == "crlf"
    assert intake.repairs.mojibake == "windows-1254"
    assert "🍌 NANO BANANA CHEAT SHEET: FEW-SHOT PROMPTING 🍌" in intake.text
    assert "\r" not in intake.text
    assert intake.warnings[0].code == "mojibake"


def test_latin1_mojibake_is_text_not_binary() -> None:
    broken = KOREAN.encode("utf-8").decode("latin-1")  # full of C1 controls U+0080–U+009F
    intake = decode_bytes(broken.encode("utf-8"), "l.md")
    assert intake.text == KOREAN
    assert intake.repairs.mojibake == "latin-1"


def test_truncated_last_character_is_a_warning_not_an_error() -> None:
    data = "앞부분 텍스트\n끝".encode()[:-1]
    intake = decode_bytes(data, "t.md")
    assert intake.text == "앞부분 텍스트\n\ufffd"
    [warning] = intake.warnings
    assert (warning.code, warning.line, warning.col) == ("truncated-char", 2, 1)


def test_read_text_reads_the_seed() -> None:
    intake = read_text(SEED)
    assert "첨부된 이미지는 스타일" in intake.text
    assert intake.repairs.mojibake == "windows-1254"
    guessed = [w for w in intake.warnings if w.code == "guessed-char"]
    assert all(w.line is not None and w.col is not None for w in guessed)


def test_five_megabytes_of_clean_text_are_read(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    line = "가나다라 마바사 → 아자차카 타파하 ─── │ abc\n"
    path.write_text(line * (5 * 2**20 // len(line.encode())), encoding="utf-8")
    intake = read_text(path)
    assert len(intake.text.encode()) > 4.9 * 2**20
    assert intake.repairs.mojibake is None


# --------------------------------------------------------------------------- bad input


def _error(data: bytes) -> InputError:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "bad.md")
    assert info.value.exit_code == 2
    return info.value


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_input(data: bytes) -> None:
    err = _error(data)
    assert (err.line, err.col) == (1, 1)
    assert "empty" in err.message or "whitespace" in err.message


def test_nul_bytes_mean_binary_with_position() -> None:
    err = _error(b"line one\nab\x00cd")
    assert (err.line, err.col) == (2, 3)
    assert "binary" in err.message


def test_png_is_named() -> None:
    err = _error(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "PNG image" in err.message


def test_control_characters_mean_binary() -> None:
    err = _error(bytes(range(1, 9)) * 40)
    assert "binary" in err.message
    assert (err.line, err.col) == (1, 1)


def test_invalid_utf8_says_where() -> None:
    err = _error("첫 줄\n둘째 줄 ".encode() + b"\xff\xfe" + "끝".encode())
    assert (err.line, err.col) == (2, 6)
    assert "0xFF" in err.message
    assert err.describe().startswith("bad.md:2:6: ")


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(InputError, match="limit is 8 MB"):
        read_text(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.md")
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


# --------------------------------------------------------------------------- the repair command


def test_cli_repair_writes_the_repaired_seed(tmp_path: Path) -> None:
    out = tmp_path / "fixed.md"
    result = CliRunner().invoke(app, ["repair", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "🍌 NANO BANANA CHEAT SHEET" in text and "멀티모달" in text
    assert "windows-1254" in result.output and "unrecoverable" in result.output


def test_cli_repair_rejects_binary_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = CliRunner().invoke(app, ["repair", str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert lines[0].startswith("error: ") and "binary" in result.output
    assert f"{path.name}:3:1" in result.output.replace("\n", "")


def test_clean_input_never_loads_the_language_model() -> None:
    """Kiwi costs a second or more to load; clean files must not pay for it."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from nanosheet.ingest.intake import read_text; "
            f"read_text(Path({str(PROMPT)!r})); print('kiwipiepy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_bytes_give_text_or_an_input_error(data: bytes) -> None:
    try:
        intake = decode_bytes(data, "fuzz.md")
    except InputError as err:
        assert err.exit_code == 2 and err.file == "fuzz.md"
    else:
        assert "\r" not in intake.text and intake.text.strip()


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_mutated_seed_bytes_never_crash(data: st.DataObject) -> None:
    seed = SEED.read_bytes()[:3000]
    cut = data.draw(st.integers(1, len(seed)))
    flips = data.draw(st.lists(st.tuples(st.integers(0, cut - 1), st.integers(0, 255)), max_size=5))
    mutated = bytearray(seed[:cut])
    for at, value in flips:
        mutated[at] = value
    try:
        decode_bytes(bytes(mutated), "seed.md")
    except InputError as err:
        assert err.line is not None and err.col is not None
