"""The vectorised NetMob text formatter against Python's repr (a second implementation)."""

import numpy as np
import pytest

from analysis_py.synth.textfmt import format_traffic_rows


def _reference(tile_ids, values) -> str:
    rows = zip(tile_ids, values, strict=True)
    return "".join(f"{t} " + " ".join(repr(float(v)) for v in row) + "\n" for t, row in rows)


def test_matches_repr_on_random_values():
    rng = np.random.default_rng(3)
    values = np.round(rng.lognormal(2.0, 3.0, size=(500, 96)), 3)
    values[rng.random(values.shape) < 0.3] = 0.0
    values = np.minimum(values, 9.9e11)
    ids = np.sort(rng.choice(10**7, size=500, replace=False))
    assert format_traffic_rows(ids, values).decode() == _reference(ids, values)


@pytest.mark.parametrize(
    "value, text",
    [
        (0.0, "0.0"),
        (0.001, "0.001"),
        (0.5, "0.5"),
        (10.01, "10.01"),
        (1000.0, "1000.0"),
        (999.999, "999.999"),
        (1000000.25, "1000000.25"),
        (123456789012.5, "123456789012.5"),
    ],
)
def test_edge_values(value, text):
    assert (
        format_traffic_rows(np.array([7]), np.array([[value, 1.0]])) == f"7 {text} 1.0\n".encode()
    )


def test_rounds_to_three_decimals():
    assert format_traffic_rows(np.array([0]), np.array([[1.23456]])) == b"0 1.235\n"


@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf, 1e13])
def test_refuses_values_it_cannot_write(bad):
    with pytest.raises(ValueError):
        format_traffic_rows(np.array([1]), np.array([[bad]]))
