"""Golden plans: three chapters (a lecture, an article, a tutorial) planned and written as PLAN.md, reviewed by eye.

Regenerate after an intended change with ``NANOSHEET_UPDATE_GOLDEN=1 pytest tests/test_plan_golden.py`` and
review the diff (a change of the Korean note backend changes the notes).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from nanosheet.ingest import read_prompt
from nanosheet.plan import plan_prompt
from nanosheet.promptgen import write_prompt

CHAPTERS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "chapters"
GOLDEN = Path(__file__).parent / "golden" / "plans"
UPDATE = os.environ.get("NANOSHEET_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("stem", ["grand-summary", "how-contexts-fail", "warp-full-overview"])
def test_plan_matches_the_reviewed_golden(stem: str) -> None:
    text = write_prompt(plan_prompt(read_prompt(CHAPTERS / f"{stem}.md")))
    golden = GOLDEN / f"{stem}.md"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden plan {golden.name}; run with NANOSHEET_UPDATE_GOLDEN=1 and review it"
    expected = golden.read_text(encoding="utf-8")
    diff = "\n".join(difflib.unified_diff(expected.splitlines(), text.splitlines(), "golden", "planned", lineterm=""))
    assert text == expected, diff[:3000]
