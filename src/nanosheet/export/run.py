"""Input paths in, rendered files out: :func:`nanosheet.pipeline.render_file` per file, one browser for all.

The CLI's ``render`` command is a thin wrapper around :func:`render_paths`. Output stems come from
the file names and are made unique as ``batch`` makes them (``a/x.md b/x.md`` → ``x``, ``x-2``).
A bad input does not stop the others: each failure is collected with its one-line reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nanosheet.errors import NanosheetError
from nanosheet.export.pool import BrowserPool
from nanosheet.export.write import prepare_outdir, remove_stale_temp_files
from nanosheet.options import Options, check_orientation, parse_formats
from nanosheet.safety import output_stems

if TYPE_CHECKING:
    from nanosheet.export.files import ExportResult

log = logging.getLogger(__name__)

__all__ = ["RunResult", "check_orientation", "parse_formats", "render_paths"]


@dataclass
class RunResult:
    done: list[tuple[Path, ExportResult]] = field(default_factory=list)
    failed: list[tuple[Path, NanosheetError]] = field(default_factory=list)

    @property
    def overflow(self) -> list[tuple[Path, ExportResult]]:
        return [(p, r) for p, r in self.done if r.overflow]


def render_paths(paths: Sequence[Path], outdir: Path, *, options: Options,
                 on_step: Callable[[Path, ExportResult | NanosheetError], None] | None = None) -> RunResult:
    """Render each path with one browser; ``on_step`` is told after each file (for progress output)."""
    check_orientation(options.orientation)
    prepare_outdir(outdir)
    for stale in remove_stale_temp_files(outdir):
        log.info("removed %s (left by an interrupted run)", stale)
    result = RunResult()
    with BrowserPool() as browser:
        from nanosheet.pipeline import render_file  # imported while Chromium starts

        for path, stem in zip(paths, output_stems(paths), strict=True):
            try:
                done = render_file(path, outdir, capture=browser, options=options, stem=stem)
            except NanosheetError as exc:
                log.info("%s failed: %s", path, exc.describe())
                result.failed.append((path, exc))
                if on_step:
                    on_step(path, exc)
                continue
            result.done.append((path, done))
            if on_step:
                on_step(path, done)
    return result
