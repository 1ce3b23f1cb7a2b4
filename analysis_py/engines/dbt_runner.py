"""dbt invocations of the project against a throw-away database, target and log folder
(tests, benchmarks, the Spark path).

:func:`dbt_command` gives the command line and environment that run the project's dbt
with its own DuckDB file in ``workdir`` and the given vars; callers run it their way
(pytest captures the output, the benchmark measures the child's peak memory). The
project is found where dbt finds it: env DBT_PROJECT_DIR (the Makefile sets it), else
the working directory.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def project_dir() -> Path:
    """The dbt project's folder: env DBT_PROJECT_DIR, else the working directory; a
    folder without dbt_project.yml raises, naming it and the remedy."""
    folder = Path(os.environ.get("DBT_PROJECT_DIR") or Path.cwd()).resolve()
    if not (folder / "dbt_project.yml").is_file():
        raise FileNotFoundError(
            f"{folder} holds no dbt_project.yml: run from the project folder or set "
            "DBT_PROJECT_DIR to it"
        )
    return folder


def dbt_command(
    args: list[str],
    workdir: Path,
    dbt_vars: dict | None = None,
    *,
    database: str = "cpc_tor.duckdb",
    env: dict | None = None,
    project: Path | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The dbt command and environment for ``dbt <args>`` on ``workdir/<database>``,
    with target and logs in ``workdir`` (env DBT_TARGET_PATH and DBT_LOG_PATH, which
    every dbt command reads, `dbt debug` included) and vars as JSON, for the project in
    ``project`` (default :func:`project_dir`); run it from that folder."""
    project = project or project_dir()
    workdir.mkdir(parents=True, exist_ok=True)
    full_env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "CPC_DUCKDB_PATH": str(workdir / database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        **(env or {}),
    }
    cmd = [str(BIN / "dbt"), *args]
    if dbt_vars:
        cmd += ["--vars", json.dumps(dbt_vars)]
    return cmd, full_env
