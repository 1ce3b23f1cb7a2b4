"""SQLFluff over every model, with no file skipped while the run stays green.

    python tests/lint_sql.py [--processes N] [--changed]

The default pass lints models/ and tests/ with the project's .sqlfluff. The dbt
templater skips a model that the default vars disable (the published-mode variants,
the authors' files, the crosswalk staging): those files are linted again under each
config of tests/sqlfluff/*.cfg (vars that enable them) until none is left. Any file
still skipped, or skipped for any reason but being disabled or a macro (a templating or
internal error), fails the run, naming it. sqlfluff's own notes on the files it skips
for being disabled are not repeated (they are expected, and handled by the next pass).
--changed lints only the SQL files changed since the branch left main (and those not
committed yet): the fast layer of `make check`.

The seeds are loaded first into a database of the lint's own (target/lint/): some
models take a list from a seed (macro seed_values), so the SQL linted is the SQL built,
whatever state the build database is in.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

from analysis_py.engines.dbt_runner import dbt_command, project_dir

ROOT = project_dir()

LINT_DIR = ROOT / "target" / "lint"
SKIPPED = re.compile(r"Skipped file (\S+) because (.+?)\s*$", re.MULTILINE)
# sqlfluff's notes that a file is disabled (linted by a later pass) and the dbt
# templater's progress lines
NOISE = re.compile(
    r"Skipped file \S+ because it is (disabled|a macro)|\[dbt templater\]|^All Finished"
)


def changed_sql() -> list[str]:
    """The SQL files under models/ and tests/ changed since the branch left main, or
    not committed yet (tracked or new)."""

    def git(*args: str) -> list[str]:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.split() if out.returncode == 0 else []

    base = (git("merge-base", "HEAD", "main") or ["HEAD"])[0]
    names = set(git("diff", "--name-only", base)) | set(
        git("ls-files", "--others", "--exclude-standard")
    )
    return sorted(
        n
        for n in names
        if n.endswith(".sql") and n.startswith(("models/", "tests/")) and (ROOT / n).exists()
    )


def lint(paths: list[str], processes: int, config: Path | None = None) -> tuple[int, dict]:
    cmd = [str(Path(sys.executable).parent / "sqlfluff"), "lint", "--processes", str(processes)]
    if config:
        cmd += ["--config", str(config)]
    env = {
        **os.environ,
        "CPC_DUCKDB_PATH": str(LINT_DIR / "lint.duckdb"),
        "CPC_SPARK_WAREHOUSE": str(LINT_DIR / "spark-warehouse"),
    }
    proc = subprocess.run([*cmd, *paths], cwd=ROOT, capture_output=True, text=True, env=env)
    for stream, text in ((sys.stdout, proc.stdout), (sys.stderr, proc.stderr)):
        stream.write("".join(line for line in text.splitlines(True) if not NOISE.search(line)))
    skipped = {Path(p).resolve(): why for p, why in SKIPPED.findall(proc.stdout + proc.stderr)}
    return proc.returncode, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--changed", action="store_true", help="only the changed SQL files")
    args = parser.parse_args(argv)
    paths = ["models", "tests"]
    if args.changed:
        paths = changed_sql()
        if not paths:
            print("sqlfluff: no SQL file changed")
            return 0
    seed_cmd, seed_env = dbt_command(
        # no partial parsing: a model file moved since the last lint confuses its state
        ["seed", "--full-refresh", "--no-partial-parse", "-q"],
        LINT_DIR,
        database="lint.duckdb",
    )
    seeded = subprocess.run(seed_cmd, cwd=ROOT, env=seed_env, capture_output=True, text=True)
    if seeded.returncode != 0:
        print(seeded.stdout + seeded.stderr, file=sys.stderr)
        return 1
    status, skipped = lint(paths, args.processes)
    pending = {p for p, why in skipped.items() if "disabled" in why}
    errors = {p: why for p, why in skipped.items() if "disabled" not in why and "macro" not in why}
    for config in sorted((ROOT / "tests" / "sqlfluff").glob("*.cfg")):
        if not pending:
            break
        print(f"== second pass with {config.relative_to(ROOT)} on {len(pending)} file(s)")
        code, again = lint(sorted(str(p) for p in pending), args.processes, config)
        status = status or code
        errors.update({p: w for p, w in again.items() if "disabled" not in w})
        pending = {p for p, why in again.items() if "disabled" in why}
    for path in sorted(pending):
        print(f"NOT LINTED: {path.relative_to(ROOT)}: disabled under every config", file=sys.stderr)
    for path, why in sorted(errors.items()):
        print(f"NOT LINTED: {path.relative_to(ROOT)}: {why}", file=sys.stderr)
    return 1 if status or pending or errors else 0


if __name__ == "__main__":
    sys.exit(main())
