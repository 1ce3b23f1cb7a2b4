"""Many dbt invocations in one Python process (tests, the Spark path; README "Spark").

A dbt command line pays, before any node runs, Python's and dbt's start-up and the
import of the packages its Python models use (numpy to spreg: seconds). A
:class:`DbtSession` keeps one child process running :func:`serve`, which takes dbt
command lines on its standard input, runs each with dbt's programmatic entry point
(``dbtRunner``), and answers with the outcome: the start-up is paid once, and so is
the import of the models' packages. Each invocation's console output (both streams)
goes to a log of its own, which the outcome carries.

After each invocation the child closes dbt-duckdb's database (dbt-duckdb keeps it open
for the life of the process), so another process can open the file, as after a dbt
command line.

dbt-spark's ``session`` method builds its SparkSession with ``getOrCreate()`` and never
stops it, so every Spark invocation after the first reuses the same JVM: a
:class:`SparkDbt` is a session whose Spark settings are fixed. Spark's static settings
(``spark.master``, ``spark.sql.warehouse.dir``, the Derby home) are fixed when the JVM
starts, so a session has one warehouse and one master: every invocation it runs gets
the same ``CPC_SPARK_WAREHOUSE`` and ``CPC_SPARK_MASTER``. (The JVM inherits the files
open when it starts, so its own log4j output lands in the log of the invocation that
started it; Spark's errors reach dbt's output through Py4J.)

    with DbtSession() as dbt:
        outcome = dbt.invoke(["build", "--select", "+fct_commune_cpc"], workdir, dbt_vars)
    with SparkDbt(warehouse) as spark:
        outcome = spark.invoke(["run", "--target", "spark", ...], workdir, dbt_vars)

This is glue around dbt's own runner, not a scheduler: the invocations run one after
the other, as dbt would run them from a shell.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from analysis_py.engines.dbt_runner import dbt_command, project_dir


@dataclass(frozen=True)
class Invocation:
    """The outcome of one dbt invocation in a session. ``returncode`` is the dbt
    command line's: 0 success, 1 a failed node or test, 2 an error before or outside
    the nodes; ``output`` is what it printed."""

    args: list[str]
    returncode: int
    output: str
    exception: str
    seconds: float
    application: str | None


class DbtSession:
    """A child process running dbt invocations one after the other, of the project in
    ``project`` (default :func:`project_dir`); ``env`` is added to every invocation's
    environment."""

    def __init__(self, env: dict[str, str] | None = None, project: Path | None = None):
        self.env = dict(env or {})
        self.project = project or project_dir()
        self._proc: subprocess.Popen | None = None
        self._count = 0

    def __enter__(self) -> DbtSession:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "analysis_py.engines.dbt_session"],
            cwd=self.project,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **self.env},
        )

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.stdin.close()  # the child's loop ends (and a JVM with it)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()

    def _restart(self) -> None:
        self.stop()
        self.start()

    def invoke(
        self,
        args: list[str],
        workdir: Path,
        dbt_vars: dict | None = None,
        env: dict[str, str] | None = None,
    ) -> Invocation:
        """Run ``dbt <args>`` on ``workdir`` (as :func:`dbt_command`: its database,
        target and logs there) in the session. A child found dead is started again; one
        that dies during the invocation raises, naming the invocation's log, and is
        started again for the next."""
        if self._proc is None:
            raise RuntimeError("the dbt session is not started (use it in a with block)")
        if self._proc.poll() is not None:  # died since the last invocation
            self._restart()
        cmd, full_env = dbt_command(
            args, workdir, dbt_vars or None, env={**self.env, **(env or {})}, project=self.project
        )
        self._count += 1
        log = workdir / "logs" / f"dbt-session-{os.getpid()}-{self._count}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        request = {"args": cmd[1:], "env": full_env, "log": str(log)}
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            self._restart()
            raise RuntimeError(
                f"the dbt session's process died running dbt {' '.join(args)}; its log: {log}"
            )
        answer = json.loads(line)
        return Invocation(
            args=cmd,
            returncode=answer["returncode"],
            output=log.read_text(errors="replace"),
            exception=answer["exception"],
            seconds=answer["seconds"],
            application=answer["application"],
        )


class SparkDbt(DbtSession):
    """A session for dbt-spark's ``session`` method: one JVM, one warehouse, one master."""

    def __init__(self, warehouse: Path, master: str | None = None):
        self.warehouse = Path(warehouse).resolve()
        env = {"CPC_SPARK_WAREHOUSE": str(self.warehouse)}
        if master:
            env["CPC_SPARK_MASTER"] = master
        super().__init__(env)
        # the Spark application (one per JVM) each Spark invocation ran in
        self.applications: list[str] = []

    def invoke(self, *args, **kwargs) -> Invocation:
        """:meth:`DbtSession.invoke`, recording the Spark application it ran in."""
        outcome = super().invoke(*args, **kwargs)
        if outcome.application:
            self.applications.append(outcome.application)
        return outcome


def _spark_application() -> str | None:
    """The running SparkContext's application id (one per JVM), None before any."""
    pyspark = sys.modules.get("pyspark")
    context = pyspark and pyspark.SparkContext._active_spark_context
    return context.applicationId if context else None


def _close_duckdb() -> None:
    """Close the database dbt-duckdb keeps open for the process (its connection
    manager's environment), as the end of a dbt command line would; dbt-duckdb's
    warnings shown once per execution are shown again by the next."""
    module = sys.modules.get("dbt.adapters.duckdb.connections")
    if module is None:
        return
    manager = module.DuckDBConnectionManager
    with manager._LOCK:
        environment, manager._ENV = manager._ENV, None
        manager._LOGGED_MESSAGES.clear()
    if environment is not None:
        environment.close()
    gc.collect()


def serve() -> int:
    """The child's loop: one JSON request a line on stdin, one JSON answer a line on the
    original stdout; dbt's (and a JVM's) output go to the request's log file."""
    from dbt.cli.main import dbtRunner

    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # nothing else may write to the answers' pipe: stray output to stderr
    for line in sys.stdin:
        request = json.loads(line)
        os.environ.clear()
        os.environ.update(request["env"])
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        with open(request["log"], "w") as log:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            started = time.perf_counter()
            try:
                result = dbtRunner().invoke(request["args"])
                exception = result.exception
                # dbt's command line: 1 when a node failed, 2 when dbt itself stopped
                returncode = 0 if result.success else (1 if exception is None else 2)
            except Exception as exc:  # dbt raised instead of returning a result
                exception, returncode = exc, 2
            finally:
                try:
                    _close_duckdb()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os.dup2(saved[0], 1)
                    os.dup2(saved[1], 2)
                    os.close(saved[0])
                    os.close(saved[1])
        answer = {
            "returncode": returncode,
            "exception": "" if exception is None else repr(exception),
            "seconds": time.perf_counter() - started,
            "application": _spark_application(),
        }
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
