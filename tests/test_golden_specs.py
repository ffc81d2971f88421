"""Golden sheet specs: each example prompt and the seed, parsed, against a hand-reviewed JSON file.

Regenerate with ``NANOSHEET_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_specs.py`` — then
review the diff against the prompt before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from nanosheet.ingest import read_prompt

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLDEN = Path(__file__).resolve().parent / "golden"
INPUTS = [*sorted((SHARED / "examples" / "prompts").glob("*.md")), SHARED / "seed" / "000_56a30bed481ece40.txt"]
UPDATE = os.environ.get("NANOSHEET_UPDATE_GOLDEN") == "1"


def spec_of(path: Path) -> dict[str, Any]:
    """The inspect JSON minus what is volatile (the absolute path) or a verbatim copy of the input."""
    data: dict[str, Any] = read_prompt(path).model_dump(mode="json")
    data.pop("path")
    if data.get("plan") is None:
        data.pop("plan", None)  # ingest never plans; the field is the plan stage's
    data.pop("source_text")  # the input's own text; sections' line ranges pin where it came from
    for section in data["sections"]:
        section.pop("text")
    repairs = data["repairs"]
    # One readable line per rebuilt character keeps the review (and the diff) short.
    for key in ("recovered", "unrecoverable"):
        repairs[key] = [f"{r['line']}:{r['col']} {r['chosen']} of {''.join(r['candidates'])}" for r in repairs[key]]
    for warning in data["warnings"]:
        warning["file"] = Path(warning["file"]).name if warning.get("file") else None
    return data


def _first_difference(expected: Any, actual: Any, where: str = "$") -> str | None:
    if type(expected) is not type(actual):
        return f"{where}: expected {expected!r:.80}, got {actual!r:.80}"
    if isinstance(expected, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in expected or key not in actual:
                return f"{where}.{key}: only in {'actual' if key in actual else 'expected'}"
            found = _first_difference(expected[key], actual[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            found = _first_difference(e, a, f"{where}[{i}]")
            if found:
                return found
        if len(expected) != len(actual):
            return f"{where}: expected {len(expected)} items, got {len(actual)}"
        return None
    return None if expected == actual else f"{where}: expected {expected!r:.80}, got {actual!r:.80}"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_golden_spec(path: Path) -> None:
    golden = GOLDEN / f"{path.stem}.spec.json"
    actual = spec_of(path)
    if UPDATE:
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}; run with NANOSHEET_UPDATE_GOLDEN=1 and review it"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    difference = _first_difference(expected, actual)
    assert difference is None, f"{path.name}: {difference}"
