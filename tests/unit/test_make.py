"""The Makefile a new user meets: `make help`, and the virtual environment's guard:
a Python outside 3.11-3.13 is refused with a clear message, and a .venv made by another
Python (or broken) is made again, saying so. The install itself is replaced by `true`
(PIP=true): what is tested is the guard, not pip."""

from __future__ import annotations

import os
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


# a dbt that records its calls and writes what a build leaves: the database and
# target/run_results.json; it fails when the environment says so
FAKE_DBT = """#!/bin/sh
echo "$@" >> "$(dirname "$0")/../../dbt-calls.log"
[ -n "$FAKE_DBT_FAILS" ] && exit 1
mkdir -p target && touch target/cpc_tor.duckdb && date +%s%N > target/run_results.json
"""


@pytest.fixture
def built(project) -> Path:
    """A project whose .venv and sample are up to date (stamps newer than what they are
    made from) and whose dbt is :data:`FAKE_DBT`."""
    for folder in ("models", "macros", "seeds", "tests/generic", "tests/singular", "analysis_py"):
        (project / folder).mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: x\n")
    (project / "profiles.yml").write_text("x: {}\n")
    dbt = project / ".venv" / "bin" / "dbt"
    dbt.parent.mkdir(parents=True)
    dbt.write_text(FAKE_DBT)
    dbt.chmod(0o755)
    python = project / ".venv" / "bin" / "python"
    python.symlink_to(sys.executable)
    manifest = project / "data" / "raw_sample" / "_truth" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text("{}")
    stamp = project / ".venv" / ".stamp-run"
    stamp.touch()
    past = stamp.stat().st_mtime - 60
    for path in project.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (past, past))
    os.utime(stamp, (past + 10, past + 10))
    os.utime(manifest, (past + 20, past + 20))
    return project


def _age_stamp(project: Path) -> None:
    """Date the build's stamp 5 s back: the edit that follows comes later (a file system
    stamps times by the clock tick, and the test edits within one)."""
    stamp = project / "target" / ".build-stamp"
    then = stamp.stat().st_mtime - 5
    os.utime(stamp, (then, then))


def _calls(project: Path) -> int:
    log = project / "dbt-calls.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_an_unchanged_build_is_not_made_again(built):
    """make build runs dbt the first time, not the second (saying so), and again after a
    model is added, after a build with other vars wrote target/, after a failed build
    and when asked to (FORCE_BUILD=1)."""
    assert _make(built, "build").returncode == 0 and _calls(built) == 1
    again = _make(built, "build")
    assert again.returncode == 0 and _calls(built) == 1
    assert "make: the build is up to date" in again.stdout
    _age_stamp(built)
    (built / "models" / "new_model.sql").write_text("select 1 as x\n")
    assert _make(built, "build").returncode == 0 and _calls(built) == 2
    assert _make(built, "build").returncode == 0 and _calls(built) == 2
    # other vars: always built, and the next plain build is made again
    assert _make(built, "build", "DBT_VARS={correction_method: spearman}").returncode == 0
    assert _make(built, "build").returncode == 0 and _calls(built) == 4
    # a failed build leaves no stamp: the next one runs
    env = {**os.environ, "FAKE_DBT_FAILS": "1"}
    failed = subprocess.run(
        ["make", "-C", str(built), "build", "FORCE_BUILD=1"], capture_output=True, env=env
    )
    assert failed.returncode != 0 and _calls(built) == 5
    assert _make(built, "build").returncode == 0 and _calls(built) == 6
    assert _make(built, "build", "FORCE_BUILD=1").returncode == 0 and _calls(built) == 7
    # a file removed from a folder the build reads
    _age_stamp(built)
    (built / "models" / "new_model.sql").unlink()
    assert _make(built, "build").returncode == 0 and _calls(built) == 8
