"""Read "title / . / input / . / expected YAML / ." fixture files (the markdown-it-py test layout)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel


@dataclass
class Case:
    title: str
    source: str
    expected: Any
    line: int
    """Line of the title in the fixture file, for failure messages."""


def read_cases(path: Path) -> list[Case]:
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("## "):
            i += 1
            continue
        title, title_line = lines[i][3:].strip(), i + 1
        assert lines[i + 1] == ".", f"{path}:{i + 2}: expected '.' after the title"
        parts: list[list[str]] = []
        i += 2
        for _ in range(2):
            part: list[str] = []
            while lines[i] != ".":
                part.append(lines[i])
                i += 1
            parts.append(part)
            i += 1
        cases.append(Case(title, "\n".join(parts[0]), yaml.safe_load("\n".join(parts[1])), title_line))
    return cases


def dump(model: BaseModel) -> dict[str, Any]:
    """A block as a dict without defaults, but always with its ``type``."""
    data = model.model_dump(mode="json", exclude_defaults=True)
    kind = getattr(model, "type", None)
    return {"type": kind, **data} if kind is not None else data
