"""The synthetic generator: deterministic bytes, publishers' layouts, planted outages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis_py.synth import Options, generate

DAYS = 17  # 2019-03-16 .. 2019-04-01: includes the clock change on 03-31


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, Path]:
    out = []
    for name in ("a", "b"):
        folder = tmp_path_factory.mktemp(name) / "raw"
        generate(
            Options(
                out=folder,
                seed=11,
                cities=("Nice", "Dijon"),
                n_days=DAYS,
                tiles_per_city=40,
                communes_per_city=6,
                n_queries=300,
                jobs=2,
                progress=False,
            )
        )
        out.append(folder)
    return out[0], out[1]


def test_same_seed_same_bytes(two_runs):
    a, b = two_runs
    da, db = _digest(a), _digest(b)
    assert len(da) > 100
    assert da == db


def test_another_seed_other_bytes(two_runs, tmp_path):
    other = tmp_path / "raw"
    generate(
        Options(
            out=other,
            seed=12,
            cities=("Nice", "Dijon"),
            n_days=2,
            tiles_per_city=40,
            communes_per_city=6,
            n_queries=50,
            progress=False,
        )
    )
    a = two_runs[0] / "netmob/Nice/Tor/20190316/Nice_Tor_20190316_DL.txt"
    b = other / "netmob/Nice/Tor/20190316/Nice_Tor_20190316_DL.txt"
    assert a.read_bytes() != b.read_bytes()


def test_netmob_layout_and_clock_change(two_runs):
    raw = two_runs[0]
    files = sorted((raw / "netmob" / "Nice").rglob("*.txt"))
    assert len(files) == 3 * DAYS  # 3 services x 17 days, DL only
    normal = (raw / "netmob/Nice/Web_Adult/20190330/Nice_Web_Adult_20190330_DL.txt").read_text()
    dst = (raw / "netmob/Nice/Web_Adult/20190331/Nice_Web_Adult_20190331_DL.txt").read_text()
    rows = [line.split(" ") for line in normal.splitlines()]
    assert {len(r) for r in rows} == {97}
    assert {len(line.split(" ")) for line in dst.splitlines()} == {93}
    ids = [int(r[0]) for r in rows]
    assert ids == sorted(ids) and len(ids) == 40  # every tile, sorted by tile_id
    tiles = pd.read_json(raw / "netmob/Nice/Nice.geojson")
    assert len(tiles["features"]) == 40


def test_planted_outage_on_may_12_is_zero_web_adult(tmp_path):
    raw = tmp_path / "raw"
    generate(
        Options(
            out=raw,
            seed=5,
            cities=("Nice",),
            n_days=58,
            tiles_per_city=20,
            communes_per_city=3,
            n_queries=10,
            progress=False,
        )
    )
    text = (raw / "netmob/Nice/Web_Adult/20190512/Nice_Web_Adult_20190512_DL.txt").read_text()
    values = np.array([line.split(" ")[1:] for line in text.splitlines()], dtype=float)
    assert (values[:, 4:72] == 0).all()  # 01:00-17:45
    assert (values[:, 72:].sum(axis=0) > 0).all()


def test_truth_files(two_runs):
    truth = pd.read_csv(two_runs[0] / "_truth" / "communes.csv", dtype={"code_com": str})
    assert len(truth) == 12
    assert truth["code_com"].str.len().eq(5).all()
    assert (truth["planted_rho"] < 0).sum() >= 1  # the paper has ~1 % negative
    tiles = pd.read_csv(two_runs[0] / "_truth" / "tiles.csv", dtype={"code_com": str})
    assert len(tiles) == 80 and tiles["code_com"].isna().sum() > 0  # an outer ring
