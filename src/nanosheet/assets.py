"""Where third-party assets installed by `npm ci` live: a path in, the node_modules folder out."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from nanosheet.errors import ConfigError


@lru_cache(maxsize=1)
def node_modules() -> Path:
    """``$NANOSHEET_NODE_MODULES``, else the node_modules beside the nearest package.json above this file."""
    override = os.environ.get("NANOSHEET_NODE_MODULES")
    if override:
        return Path(override)
    for parent in Path(__file__).resolve().parents:
        if (parent / "package.json").is_file() and (parent / "node_modules").is_dir():
            return parent / "node_modules"
    raise ConfigError(
        "front-end assets (node_modules) not found",
        hint="run `make setup` (npm ci) in the nanosheet checkout, or set NANOSHEET_NODE_MODULES",
    )
