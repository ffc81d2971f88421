"""A chapter that draws its own flow (a decision, labelled branches, a return edge) keeps it in the plan:
laid out as a chain of shortened steps it lost the branches and cut a formula label at its fourth word."""

from __future__ import annotations

from pathlib import Path

from nanosheet.compose import compose_sheet
from nanosheet.ingest import read_prompt
from nanosheet.model import FlowBlock
from nanosheet.plan import plan_prompt

CHAPTER = """# 4. 재시도 루프 한 번에 보기

요청이 실패하면 잠시 기다렸다가 다시 보냅니다. 너무 자주 보내면 서버가 더 느려집니다.

## 🔁 재시도 흐름

```mermaid
flowchart LR
    A[요청 보내기] --> B[응답 받기]
    B --> C{성공?}
    C -->|예| D[결과 저장]
    C -->|아니오| E[t ← t × 2 + jitter]
    E --> A
```

## 기다리는 시간

- 첫 대기는 짧게 시작합니다.
- 실패할 때마다 대기 시간을 두 배로 늘립니다.
- jitter를 더해 여러 클라이언트가 동시에 몰리지 않게 합니다.

## 자주 하는 실수

- 멱등성이 없는 요청을 그대로 다시 보냄
- 최대 재시도 횟수를 두지 않음
"""


def test_a_drawn_flow_keeps_its_decision_branches_and_labels(tmp_path: Path) -> None:
    source = tmp_path / "retry-chapter.md"
    source.write_text(CHAPTER, encoding="utf-8")
    sheet = compose_sheet(plan_prompt(read_prompt(source)))
    flows = [b for row in sheet.rows for p in row.panels for b in [*p.blocks, *p.extra] if isinstance(b, FlowBlock)]
    assert flows, "the chapter's flow is on the sheet"
    flow = flows[0]
    labels = {n.label for n in flow.nodes}
    assert {"요청 보내기", "성공?", "결과 저장", "t ← t × 2 + jitter"} <= labels, labels
    assert any(n.shape == "diamond" and n.label == "성공?" for n in flow.nodes)
    by_id = {n.id: n.label for n in flow.nodes}
    edges = {(by_id[e.src], by_id[e.dst], e.label) for e in flow.edges}
    assert ("성공?", "결과 저장", "예") in edges and ("성공?", "t ← t × 2 + jitter", "아니오") in edges
    assert ("t ← t × 2 + jitter", "요청 보내기", None) in edges  # the return edge
