"""The wheel in, a rendered demo out: built from a copy of the checkout (as ``make dist`` builds it), installed
in a fresh venv, run from elsewhere with no node_modules in sight — the page must find every asset inside
the package. Offline: the build uses this venv's setuptools, the fresh venv gets its dependencies from this
venv's site-packages through a ``.pth`` line, and pip installs the wheel with ``--no-index``."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

from nanosheet.assets import node_modules
from nanosheet.render import assets

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.wheel


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_package_data", ROOT / "tools" / "build_package_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of pyproject, README and src, with its package data built fresh."""
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(ROOT / "src", tree / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "npm"))
    tool = _tool()
    data = tree / "src" / "nanosheet" / "data"
    tool.build_cldr(node_modules(), data)
    tool.build_frontend(node_modules(), data)
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(work / "dist"),
          str(tree)], cwd=work)
    [built] = (work / "dist").glob("nanosheet-*.whl")
    print(f"wheel: {built.name} {built.stat().st_size / 1e6:.2f} MB")
    return built


def test_the_wheel_carries_every_asset_a_page_loads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    npm = [p[4:] for p in [*assets.SCRIPTS, *assets.STYLESHEETS] if p.startswith("npm/")]
    missing = [p for p in npm if f"nanosheet/data/npm/{p}" not in names]
    assert not missing
    assert {"nanosheet/data/cldr_annotations.json.gz", "nanosheet/data/LICENSE-cldr.txt",
            "nanosheet/data/npm/mermaid/LICENSE", "nanosheet/render/static/sheet.js",
            "nanosheet/plan/llm_plan_prompt.md", "nanosheet/data/npm/@codemirror/view/dist/index.js",
            "nanosheet/data/npm/@codemirror/view/package.json", "nanosheet/data/npm/@codemirror/view/LICENSE",
            "nanosheet/studio/static/preview.js"} <= names
    assert not [n for n in names if "node_modules" in n or n.endswith(".woff")]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A fresh venv with the wheel installed (its dependencies borrowed from this venv): its dir and site-packages."""
    tmp = tmp_path_factory.mktemp("venv")
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp)
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp).strip())
    here = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    # Plain path lines: this venv's .pth files (its editable nanosheet among them) are not run from there.
    (site / "_nanosheet_test_deps.pth").write_text("\n".join(here) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
          str(wheel)], cwd=tmp)
    return venv, site


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NANOSHEET_NODE_MODULES")}


def test_the_installed_wheel_renders_the_demo_without_node_modules(installed: tuple[Path, Path],
                                                                   tmp_path: Path) -> None:
    venv, site = installed
    python = venv / "bin" / "python"
    run = tmp_path / "elsewhere"
    run.mkdir()
    shutil.copy(ROOT / "examples" / "transformer-attention.md", run / "demo.md")
    env = _clean_env()
    where = _run([str(python), "-c", "import nanosheet.assets as a; print(a.__file__); print(a.node_modules())"],
                 cwd=run, env=env).split()
    assert all(Path(p).is_relative_to(site) for p in where), where
    _run([str(venv / "bin" / "nanosheet"), "render", "demo.md", "-o", "out", "--format", "png"], cwd=run, env=env)
    png = run / "out" / "demo.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = json.loads((run / "out" / "demo.report.json").read_text(encoding="utf-8"))
    assert report["blocked_requests"] == 0  # every asset the page asked for was found inside the package
    assert report["outputs"] == {"png": "demo.png"}
    with Image.open(png) as image:
        assert image.size == (2480, 3508)  # A4 at the default 300 DPI
        assert len(image.convert("L").resize((62, 88)).getcolors(256) or []) > 20  # drawn, not blank


def test_the_installed_wheel_serves_the_studio_and_its_editor(installed: tuple[Path, Path], tmp_path: Path) -> None:
    venv, _ = installed
    (tmp_path / "notes").mkdir()
    shutil.copy(ROOT / "examples" / "transformer-attention.md", tmp_path / "notes" / "demo.md")
    proc = subprocess.Popen([str(venv / "bin" / "nanosheet"), "studio", "notes", "--port", "0", "--no-open"],
                            cwd=tmp_path, env=_clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # "nanosheet studio: http://127.0.0.1:PORT/  (folder …)", printed once bound
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line
        url = match.group(0)
        page = _get(url)
        found = re.search(r'<script type="importmap">(.*?)</script>', page, re.S)
        assert found, page
        imports = json.loads(found.group(1))["imports"]
        assert set(imports) >= {"codemirror", "@codemirror/view", "@codemirror/lang-markdown", "@lezer/markdown"}
        for name, path in imports.items():  # every module the editor imports comes out of the wheel
            assert "export" in _get(url.rstrip("/") + path), name
        assert "studioPreview" in _get(url + "studio/preview.js")
        assert "fitRow" in _get(url + "asset/static/sheet.js")
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as res:
        assert res.status == 200, url
        return str(res.read().decode("utf-8"))
