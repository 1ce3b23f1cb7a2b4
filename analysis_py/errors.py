"""Errors that name what failed: the input (a dbt relation, a var) and the key.

The statistics raise :class:`InputError` where an input cannot give a result (a region
missing from the Trends matrix, a non-positive number of replicates), naming the input
and the key. A dbt Python model runs its body inside :func:`model_errors`, which keeps
an :class:`InputError` as it is and turns any other exception (a numpy, pandas, scipy or
statsmodels error) into one naming the model and the relations it had read, so that no
bare ``ValueError: ...`` of a library reaches the user without saying where.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from analysis_py.engines.preload import import_model_packages


class InputError(ValueError):
    """An input that cannot give a result: ``source`` (a relation or var), ``key``
    (e.g. ``region FR-B``) and what was expected."""

    def __init__(self, source: str, key: str | None, expected: str):
        self.source, self.key, self.expected = source, key, expected
        where = f"{source}, {key}" if key else source
        super().__init__(f"{where}: {expected}")


@contextmanager
def model_errors(dbt) -> Iterator[list[str]]:
    """Run a dbt Python model's body naming its inputs on failure.

    Records each relation the model reads through ``dbt.ref`` / ``dbt.source`` (the
    calls stay as dbt parses them) and, on an exception other than InputError, raises
    an InputError naming the model, the relations read and the library's message.

    Example::

        def model(dbt, session):
            with model_errors(dbt):
                frame = dbt.ref("fct_commune_features").df()
                ...
                return result
    """
    # the models' packages, imported once under a lock (dbt runs models in threads)
    import_model_packages()
    read: list[str] = []
    for name in ("ref", "source"):
        original = getattr(dbt, name, None)
        if original is None:
            continue

        def recording(*args, _original=original, **kwargs):
            read.append(".".join(str(a) for a in args))
            return _original(*args, **kwargs)

        setattr(dbt, name, recording)
    try:
        yield read
    except InputError:
        raise
    except Exception as exc:
        this = getattr(dbt, "this", None)
        model = getattr(this, "identifier", None) or str(this or "python model")
        inputs = ", ".join(dict.fromkeys(read)) or "no relation read yet"
        raise InputError(
            f"model {model} (reading {inputs})",
            None,
            f"{type(exc).__name__} from {type(exc).__module__.split('.')[0]}: {exc}",
        ) from exc
