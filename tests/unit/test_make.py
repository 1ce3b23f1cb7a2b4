"""The Makefile a new user meets: `make help`, and the virtual environment's guard:
a Python outside 3.11-3.13 is refused with a clear message, and a .venv made by another
Python (or broken) is made again, saying so. The install itself is replaced by `true`
(PIP=true): what is tested is the guard, not pip."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

OLD_PYTHON = Path.home() / ".pyenv" / "versions" / "3.10.13" / "bin" / "python"


def _make(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-C", str(folder), *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("Makefile", "pyproject.toml", "requirements.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_make_help_lists_the_targets():
    out = _make(ROOT, "help").stdout
    for target in ("run", "test", "check", "report", "docs", "spark", "clean"):
        assert f"make {target} " in out, target


def test_a_python_outside_the_supported_versions_is_refused(project):
    python = OLD_PYTHON if OLD_PYTHON.exists() else None
    if python is None:
        pytest.skip("no Python 3.10 on this machine to play the wrong interpreter")
    proc = _make(project, "venv", f"PYTHON={python}", "PIP=true")
    assert proc.returncode != 0
    assert "is Python 3.10; cpc_tor needs Python 3.11, 3.12 or 3.13" in proc.stderr
    assert not (project / ".venv").exists()


def test_a_venv_of_another_python_is_made_again(project):
    fake = project / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\necho 3.10\n")
    fake.chmod(0o755)
    proc = _make(project, "venv", f"PYTHON={sys.executable}", "PIP=true")
    assert proc.returncode == 0, proc.stderr
    mine = "{}.{}".format(*sys.version_info[:2])
    assert (
        f".venv was made by Python 3.10, not by {sys.executable} ({mine}): making it again"
        in proc.stderr
    )
    made = subprocess.run(
        [str(fake), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
    )
    assert made.stdout.strip() == mine
    assert (project / ".venv" / ".stamp-run").exists()
