"""dbt invocations against a throw-away database, target and log folder (tests, bench).

:func:`dbt_command` gives the command line and environment that run this project's
dbt with its own DuckDB file in ``workdir`` and the given vars; callers run it their
way (pytest captures the output, the benchmark measures the child's peak memory).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def dbt_command(
    args: list[str],
    workdir: Path,
    dbt_vars: dict | None = None,
    *,
    database: str = "cpc_tor.duckdb",
    env: dict | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The dbt command and environment for ``dbt <args>`` on ``workdir/<database>``,
    with target and logs in ``workdir`` and vars as JSON. Run it from :data:`ROOT`."""
    workdir.mkdir(parents=True, exist_ok=True)
    full_env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT),
        "CPC_DUCKDB_PATH": str(workdir / database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        **(env or {}),
    }
    cmd = [
        str(BIN / "dbt"),
        *args,
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    if dbt_vars:
        cmd += ["--vars", json.dumps(dbt_vars)]
    return cmd, full_env
