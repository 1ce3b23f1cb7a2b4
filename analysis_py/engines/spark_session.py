"""One JVM for many dbt-spark invocations (README "Spark"; issue 15: the Spark path's
tests start the JVM once).

dbt-spark's `session` method builds its SparkSession with `getOrCreate()` and never
stops it, so every dbt invocation run *in one Python process* after the first reuses
the same JVM. :class:`SparkDbt` keeps such a process: a child running :func:`serve`,
which takes dbt command lines on its standard input, runs each with dbt's programmatic
entry point (``dbtRunner``), and answers with the outcome; each invocation's console
output goes to a log of its own, whose tail a failure carries. (The JVM inherits the
files open when it starts, so its own log4j output lands in the first invocation's log;
Spark's errors reach dbt's output through Py4J.)

Spark's static settings (``spark.master``, ``spark.sql.warehouse.dir``, the Derby
home) are fixed when the JVM starts, so a session has one warehouse and one master:
every invocation it runs gets the same ``CPC_SPARK_WAREHOUSE`` and ``CPC_SPARK_MASTER``.

    with SparkDbt(warehouse) as spark:
        spark.dbt(["run", "--target", "spark", ...], workdir, dbt_vars)

This is glue around dbt's own runner, not a scheduler: the invocations run one after
the other, as dbt would run them from a shell.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from analysis_py.engines.dbt_runner import dbt_command, project_dir


class SparkDbtFailed(RuntimeError):
    """A dbt invocation in the session failed; the message carries its log's tail."""


class SparkDbt:
    """A child process holding one JVM, running dbt invocations one after the other."""

    def __init__(self, warehouse: Path, master: str | None = None):
        self.warehouse = Path(warehouse).resolve()
        self.env = {"CPC_SPARK_WAREHOUSE": str(self.warehouse)}
        if master:
            self.env["CPC_SPARK_MASTER"] = master
        self._proc: subprocess.Popen | None = None
        self._count = 0
        # the Spark application (one per JVM) each invocation ran in
        self.applications: list[str] = []

    def __enter__(self) -> SparkDbt:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "analysis_py.engines.spark_session"],
            cwd=project_dir(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **self.env},
        )
        return self

    def __exit__(self, *exc) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.stdin.close()  # the child's loop ends, and the JVM with it
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()

    def dbt(self, args: list[str], workdir: Path, dbt_vars: dict | None = None) -> float:
        """Run ``dbt <args>`` on ``workdir`` (as :func:`dbt_command`) in the session;
        returns its seconds, raises :class:`SparkDbtFailed` with its log on failure."""
        if self._proc is None or self._proc.poll() is not None:
            raise RuntimeError("the Spark session's process is not running")
        cmd, env = dbt_command(args, workdir, dbt_vars or None, env=self.env)
        self._count += 1
        log = workdir / "logs" / f"spark-session-{self._count}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        request = {"args": cmd[1:], "env": env, "log": str(log)}
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise SparkDbtFailed(f"the Spark session's process died; its last log: {log}")
        answer = json.loads(line)
        if answer["application"]:
            self.applications.append(answer["application"])
        if not answer["success"]:
            text = log.read_text(errors="replace")
            raise SparkDbtFailed(f"{text[-12000:]}\n{answer['exception']}")
        return answer["seconds"]


def _spark_application() -> str | None:
    """The running SparkContext's application id (one per JVM), None before any."""
    pyspark = sys.modules.get("pyspark")
    context = pyspark and pyspark.SparkContext._active_spark_context
    return context.applicationId if context else None


def serve() -> int:
    """The child's loop: one JSON request a line on stdin, one JSON answer a line on the
    original stdout; dbt's and the JVM's output go to the request's log file."""
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
                success, exception = result.success, result.exception
            except Exception as exc:  # dbt raised instead of returning a result
                success, exception = False, exc
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])
        answer = {
            "success": bool(success),
            "exception": "" if exception is None else repr(exception),
            "seconds": time.perf_counter() - started,
            "application": _spark_application(),
        }
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
