"""Command line: argv in, files and a one-line verdict out. Only NanosheetError is caught here.

Each command is a thin wrapper: parse options, call one stage function, print. Exit codes:
0 ok, 1 the tool failed (or --strict found overflow), 2 bad input.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from nanosheet.errors import NanosheetError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn Nano Banana cheat-sheet prompts and lecture notes into print-quality A4 cheat sheets.",
)
console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(func: F) -> F:
    """Turn a NanosheetError into ``error: …`` on stderr and its exit code — never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NanosheetError as exc:
            err_console.print(f"[bold red]error:[/] {exc.describe()}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each step.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")


@app.command()
@_reports_errors
def inspect(
    file: Annotated[Path, typer.Argument(help="A cheat-sheet prompt or a chapter in markdown.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the parsed spec as JSON.")] = False,
) -> None:
    """Parse FILE and show the sheet spec: page, rows, panels, blocks, sections, warnings, repairs."""
    from nanosheet.ingest import read_prompt
    from nanosheet.ingest.show import prompt_tree

    prompt = read_prompt(file)
    if as_json:
        sys.stdout.write(json.dumps(prompt.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    else:
        console.print(prompt_tree(prompt))


@app.command()
@_reports_errors
def repair(
    file: Annotated[Path, typer.Argument(help="A text file, possibly mojibake.")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write the repaired text here.")] = None,
) -> None:
    """Write FILE as clean UTF-8 (mojibake undone, lost bytes rebuilt) and say what changed."""
    from nanosheet.ingest.intake import read_text

    intake = read_text(file)
    r = intake.repairs
    if out is None:
        sys.stdout.write(intake.text)
    else:
        out.write_text(intake.text, encoding="utf-8")
    summary = (
        f"{file}: {'mojibake (' + r.mojibake + ') undone' if r.mojibake else 'no mojibake'}; "
        f"{r.changed_chars} characters changed, {len(r.recovered)} rebuilt from lost bytes, "
        f"{len(r.unrecoverable)} unrecoverable"
    )
    err_console.print(summary, highlight=False, soft_wrap=True)
    for rec in r.recovered[:20]:
        err_console.print(f"  {file}:{rec.line}:{rec.col}: rebuilt {rec.chosen!r} "
                          f"(from {', '.join(rec.candidates[:5])})", highlight=False)
    for rec in r.unrecoverable:
        err_console.print(f"  {file}:{rec.line}:{rec.col}: could not rebuild a character", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
