"""Many dbt invocations in one process (analysis_py.engines.dbt_session), as the tests
and the Spark path run them: each behaves as a dbt command line would (its output, its
exit code, its database released at the end), and a child that dies is replaced.
`dbt debug` connects without parsing the project, so these tests build nothing."""

from __future__ import annotations

import os
import signal
import threading

import duckdb
import pytest
from conftest import ROOT, run_dbt

from analysis_py.engines.dbt_session import DbtSession


def test_an_invocation_releases_its_database(tmp_path):
    proc = run_dbt(["debug"], tmp_path)
    assert proc.returncode == 0
    assert "OK connection ok" in proc.stdout
    # dbt-duckdb keeps its database open for the life of a process: the session closes
    # it, so this process may write to the file (a held file is locked)
    with duckdb.connect(str(tmp_path / "cpc_tor.duckdb")) as con:
        con.execute("create table written_after as select 1 as x")
    # and the session opens it again for the next invocation
    assert run_dbt(["debug"], tmp_path).returncode == 0


def test_exit_codes_are_dbts_and_the_session_goes_on(tmp_path):
    # dbt itself stops (a command it does not know): 2, as the command line's
    proc = run_dbt(["no-such-command"], tmp_path, check=False)
    assert proc.returncode == 2
    assert "no-such-command" in proc.stdout + proc.stderr
    # a database that cannot be opened: dbt debug reports it and fails (1)
    missing = tmp_path / "no_such_folder" / "x.duckdb"
    proc = run_dbt(["debug"], tmp_path, env={"CPC_DUCKDB_PATH": str(missing)}, check=False)
    assert proc.returncode == 1
    assert f'Cannot open file "{missing}"' in proc.stdout
    assert run_dbt(["debug"], tmp_path).returncode == 0


def test_a_child_that_dies_is_named_then_replaced(tmp_path):
    with DbtSession(project=ROOT) as session:
        first = session._proc.pid
        # killed during an invocation (a parse takes seconds): this invocation raises
        threading.Timer(1.0, os.kill, (first, signal.SIGKILL)).start()
        with pytest.raises(RuntimeError, match="died running dbt parse; its log: "):
            session.invoke(["parse"], tmp_path)
        second = session._proc.pid
        assert second != first and session.invoke(["debug"], tmp_path).returncode == 0
        # killed between invocations: the next starts a child again and runs
        os.kill(second, signal.SIGKILL)
        session._proc.wait()
        assert session.invoke(["debug"], tmp_path).returncode == 0
        assert session._proc.pid not in (first, second)
