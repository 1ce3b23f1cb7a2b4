"""DuckDB connections with the extensions that ship as PyPI packages.

``INSTALL spatial`` needs the network; the packages ``duckdb-extension-spatial`` and
``duckdb-extension-excel`` carry the binaries for duckdb 1.5.5, which ``LOAD`` accepts
by absolute path. Nothing is written to ``~/.duckdb``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb

EXTENSIONS = ("spatial", "excel")


def extension_path(name: str) -> Path:
    """Absolute path of the extension binary bundled in ``duckdb_extension_<name>``."""
    module = importlib.import_module(f"duckdb_extension_{name}")
    root = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    path = root / f"{name}.duckdb_extension"
    if not path.exists():
        raise FileNotFoundError(
            f"DuckDB extension {name!r} for duckdb {duckdb.__version__} not found at {path}; "
            f"install duckdb-extension-{name}=={duckdb.__version__}"
        )
    return path


def load_extensions(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = EXTENSIONS) -> None:
    """Load the bundled extensions into ``con`` (idempotent)."""
    for name in names:
        con.execute(f"LOAD '{extension_path(name)}'")


def connect(
    database: str = ":memory:", *, read_only: bool = False, names: tuple[str, ...] = EXTENSIONS
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the bundled extensions loaded."""
    con = duckdb.connect(database, read_only=read_only)
    load_extensions(con, names)
    return con
