"""plan --llm costs on our side: chapters in, one JSON line out (request size per chapter, time to check an answer).

usage: python bench/plan_llm_bench.py [CHAPTER_DIR] [--repeat N]

The model's own time is not measured (no model here); what is: how much text each chapter sends (the
template once, the chapter clipped to MAX_CHAPTER_CHARS) and how long ingest + compose + the dry fit
take to accept or reject one answer (the template's own example, checked against each chapter).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from nanosheet.ingest import read_prompt
from nanosheet.plan.llm_plan import PlanAnswer, plan_messages, plan_problems, template


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    folder = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "examples" / "chapters"
    prompts = [read_prompt(p) for p in sorted(folder.glob("*.md"))]
    text = template()
    answer = PlanAnswer(chapter_type="article", analysis="", plan="",
                        prompt=text[text.index("# Role Definition\n\nYou are"):])
    plan_problems(prompts[0], answer)  # warm: imports, icon table
    sizes, checks = {}, {}
    for prompt in prompts:
        system, user = plan_messages(prompt)
        sizes[Path(prompt.path).stem] = len(user["content"])
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            problems = plan_problems(prompt, answer)
            times.append((time.perf_counter() - t0) * 1000)
        assert problems is None, problems
        checks[Path(prompt.path).stem] = round(min(times), 1)
    print(json.dumps({"bench": "plan_llm", "chapters": len(prompts), "template_chars": len(system["content"]),
                      "request_chars_median": statistics.median(sizes.values()),
                      "request_chars_max": max(sizes.values()),
                      "check_ms_median": statistics.median(checks.values()), "check_ms_max": max(checks.values())},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
