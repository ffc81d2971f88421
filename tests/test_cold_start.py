"""Cold start: ``nanosheet batch`` starts Chromium before the pipeline is imported, and plain prompts never
load the Korean language model. Each check runs in a fresh interpreter, where imports are still to happen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = sorted((SHARED / "examples" / "prompts").glob("*.md"))
HEAVY = ("nanosheet.pipeline", "nanosheet.model", "nanosheet.ingest", "nanosheet.compose", "nanosheet.render.html",
         "pydantic", "jinja2")
"""What the pipeline imports (~0.5 s on this machine): Chromium's start should not wait for it."""


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_batch_starts_chromium_before_importing_the_pipeline(tmp_path: Path) -> None:
    code = f"""
import json, sys
from pathlib import Path
import nanosheet.cli
from nanosheet import batch
from nanosheet.export import pool

class Started(Exception):
    pass

def start(self):
    print(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))
    raise Started

pool.BrowserPool.start = start
try:
    batch.run_batch([Path({str(PROMPTS[0])!r})], Path({str(tmp_path / "out")!r}))
except Started:
    pass
"""
    imported = json.loads(_run(code))
    assert imported == dict.fromkeys(HEAVY, False)


def test_plain_prompts_render_without_loading_kiwi() -> None:
    """Kiwi costs ~3.6 CPU-s and 0.5 GB; reading, planning, composing and drawing HTML of the example
    prompts (clean UTF-8, no chapter prose) must not load it."""
    code = f"""
import sys
from pathlib import Path
from nanosheet.compose import compose_sheet
from nanosheet.ingest import read_prompt
from nanosheet.plan import plan_if_needed
from nanosheet.render.html import render_fragment

for path in {[str(p) for p in PROMPTS]!r}:
    html = render_fragment(compose_sheet(plan_if_needed(read_prompt(Path(path)), True)))
    assert 'class="sheet' in html, path
print('kiwipiepy' in sys.modules)
"""
    assert PROMPTS, "the shared example prompts are missing"
    assert _run(code).strip() == "False"
