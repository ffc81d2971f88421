"""Where third-party front-end assets live: nothing in, the node_modules folder to serve them from out.

A checkout has them from `npm ci`; an installed wheel carries the few files a page loads in
``nanosheet/data/npm`` (copied there by ``tools/build_package_data.py frontend`` at ``make dist``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from nanosheet.errors import ConfigError

BUNDLED = Path(__file__).resolve().parent / "data" / "npm"
"""The wheel's copy; only used when no checkout's node_modules is found (a checkout's is the source)."""


@lru_cache(maxsize=1)
def node_modules() -> Path:
    """``$NANOSHEET_NODE_MODULES``, else the node_modules beside the nearest package.json above this file,
    else the copy inside the package."""
    override = os.environ.get("NANOSHEET_NODE_MODULES")
    if override:
        return Path(override)
    for parent in Path(__file__).resolve().parents:
        if (parent / "package.json").is_file() and (parent / "node_modules").is_dir():
            return parent / "node_modules"
    if BUNDLED.is_dir():
        return BUNDLED
    raise ConfigError(
        "front-end assets (node_modules) not found",
        hint="run `make setup` (npm ci) in the nanosheet checkout, install the wheel built by `make dist`, "
             "or set NANOSHEET_NODE_MODULES",
    )
