"""The packages of the dbt Python models, imported once per process, under a lock.

dbt runs Python models in threads. Two models importing packages that share
dependencies for the first time at the same moment can deadlock on Python's import
locks (seen: arch and scikit-learn through narwhals, "_DeadlockError"). Every Python
model runs its body inside :func:`analysis_py.errors.model_errors`, which calls
:func:`import_model_packages` first: the first model imports them all holding the lock,
the others wait for it, then find them imported. A dbt invocation that runs no Python
model (a staging build, ``dbt docs generate``) imports none of them, which saves about
2 s of its start.
"""

from __future__ import annotations

import importlib
import threading

# the packages the Python models import (analysis_py.stats: bootstrap, spatial, ...)
MODEL_IMPORTS = (
    "numpy",
    "pandas",
    "scipy.stats",
    "statsmodels.api",
    "arch.bootstrap",
    "sklearn",
    "libpysal",
    "esda",
    "spreg",
)

_LOCK = threading.Lock()
_done = False


def import_model_packages() -> None:
    """Import :data:`MODEL_IMPORTS` once in this process; threads calling it meanwhile
    wait until the imports are done."""
    global _done
    if _done:
        return
    with _LOCK:
        if not _done:
            for name in MODEL_IMPORTS:
                importlib.import_module(name)
            _done = True
