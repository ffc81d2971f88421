"""The Playwright driver starts with the memory settings of DRIVER_ENV; this process keeps its own environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nanosheet.export.browser import DRIVER_ENV, give_driver_env, with_driver_env


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _started(browser: object) -> None:
    """The pool starts Chromium in the background; its first lane's page is there once it has."""
    assert getattr(browser, "page", None) is not None


def test_driver_gets_the_memory_settings_and_we_keep_ours(sheet_browser: object) -> None:
    _started(sheet_browser)
    drivers = [p for p in _children(os.getpid()) if Path(f"/proc/{p}/comm").read_text().strip().startswith("node")]
    assert drivers, "Playwright's node driver is a child of this process"
    raw = Path(f"/proc/{drivers[0]}/environ").read_text().split("\0")
    env = dict(item.split("=", 1) for item in raw if "=" in item)
    assert {k: env.get(k) for k in DRIVER_ENV} == DRIVER_ENV
    assert os.environ.get("NODE_OPTIONS") != DRIVER_ENV["NODE_OPTIONS"]


def test_driver_env_goes_on_top_of_the_drivers_own_and_leaves_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "7")
    monkeypatch.delenv("NODE_OPTIONS", raising=False)
    env = with_driver_env(lambda: {"PW_LANG_NAME": "python", "MALLOC_ARENA_MAX": "7"})()
    assert env["PW_LANG_NAME"] == "python" and env["MALLOC_ARENA_MAX"] == "2" and "NODE_OPTIONS" in env
    assert os.environ["MALLOC_ARENA_MAX"] == "7" and "NODE_OPTIONS" not in os.environ


def test_giving_the_driver_env_twice_wraps_once() -> None:
    from playwright._impl import transport

    give_driver_env()
    first = transport.get_driver_env
    give_driver_env()
    assert transport.get_driver_env is first
    env = transport.get_driver_env()
    assert {k: env[k] for k in DRIVER_ENV} == DRIVER_ENV and env["PW_LANG_NAME"] == "python"
    assert os.environ.get("NODE_OPTIONS") != DRIVER_ENV["NODE_OPTIONS"]


def test_renderers_get_the_heap_limit(sheet_browser: object) -> None:
    from nanosheet.export.browser import RENDERER_HEAP_MB

    _started(sheet_browser)
    tree, todo = [], [os.getpid()]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(_children(pid))
    renderers = []
    for pid in tree:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")  # zygote children rewrite it
        if b"--type=renderer" in cmd:
            renderers.append(cmd)
    assert renderers
    assert all(f"--js-flags=--max-old-space-size={RENDERER_HEAP_MB} ".encode() in cmd + b" " for cmd in renderers)


def test_a_lane_that_fails_to_open_warns_unless_the_pool_is_closing(caplog: pytest.LogCaptureFixture,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`render` of a bad input closes the browser it started in the background: a lane still opening then
    fails, which is no fault to print beside the input's one error line (a CI run printed two lines)."""
    import asyncio

    from playwright.async_api import Error

    from nanosheet.export.pool import BrowserPool

    async def closed(*_: object) -> None:
        raise Error("Page.goto: Target page, context or browser has been closed")

    pool = BrowserPool(lanes=2)
    monkeypatch.setattr(pool, "_new_lane", closed)
    warned = []
    for closing in (True, False):
        pool._closing = closing
        caplog.clear()
        with caplog.at_level("WARNING", logger="nanosheet.export.pool"):
            asyncio.run(pool._add_lane(1, 0))
        warned.append(any("could not open browser lane 1" in r.getMessage() for r in caplog.records))
    assert warned == [False, True]


def test_a_pool_closed_while_it_starts_leaves_no_process_behind() -> None:
    """`render` of a bad input closes the browser it began starting in the background: the start is let
    finish and then stopped, so neither Playwright's driver nor Chromium outlives the pool."""
    import time

    from nanosheet.export.pool import BrowserPool

    def ours() -> set[int]:
        tree, todo = set(), [os.getpid()]
        while todo:
            for child in _children(todo.pop()):
                tree.add(child)
                todo.append(child)
        return tree

    before = ours()
    for _ in range(2):
        pool = BrowserPool(lanes=2)
        pool.start()
        pool.close()
    deadline = time.monotonic() + 10
    while ours() - before and time.monotonic() < deadline:
        time.sleep(0.1)
    left = ours() - before
    assert not left, [Path(f"/proc/{p}/comm").read_text().strip() for p in left if Path(f"/proc/{p}").exists()]
