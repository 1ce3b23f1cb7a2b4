"""The planted truths: commune attributes (controls) and the sexual-violence rates
planted on the cpc estimate, written to _truth/ beside the data."""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from analysis_py.synth import traffic
from analysis_py.synth.common import (
    C_FLOOR,
    CP_SHARE_OF_PORN,
    ONION_SHARE,
    PUBLISH_MIN_POP,
    PURPOSE,
    RHO_MEAN,
    RHO_SD,
    SV_BETA,
    SV_GAMMA_SINGLES,
    SV_MEAN,
    SV_NOISE_SD,
    SV_SPATIAL_AMPLITUDE,
    SV_SPATIAL_CLUSTER_MIN,
    SV_SPATIAL_LENGTH_SHARE,
    CityState,
    Commune,
    Options,
    rng_for,
)


def plant_controls(opts: Options, communes: list[Commune]) -> None:
    rng = rng_for(opts.seed, 99, PURPOSE["insee"])
    for c in communes:
        c.attrs["singles_pct"] = float(np.clip(rng.normal(45, 7), 25, 70))
        c.attrs["poverty_pct"] = float(np.clip(rng.normal(14, 5), 3, 40))
        c.attrs["drug_rate"] = float(math.exp(rng.normal(math.log(2.0), 0.6)))
        c.attrs["le_pen_share"] = float(np.clip(rng.normal(0.20, 0.06), 0.03, 0.5))
        c.attrs["macron_share"] = float(np.clip(rng.normal(0.25, 0.05), 0.08, 0.5))
        c.attrs["turnout"] = float(np.clip(rng.normal(0.78, 0.05), 0.5, 0.95))


# ---------------------------------------------------------------- planted sv


def plant_sv(opts: Options, states: list[CityState]) -> pd.DataFrame:
    """Planted truth per study commune, including the sexual-violence rate model."""
    rows = []
    for st in states:
        tor = st.series.values["Tor"][:, st.series.kept].sum(axis=1)
        wa = st.series.values["Web_Adult"][:, st.series.kept].sum(axis=1)
        yt = st.series.values["YouTube"][:, st.series.kept].sum(axis=1)
        for j, c in enumerate(st.communes):
            rho = float(st.series.planted_rho[j])
            cj = ONION_SHARE * CP_SHARE_OF_PORN * rho
            cj = C_FLOOR if cj < 0 else cj
            rows.append(
                {
                    "code_com": c.code,
                    "city": st.city.name,
                    "n_tiles": c.n_tiles,
                    "pop": c.pop,
                    "planted_rho": rho,
                    "c": cj,
                    "tor_total": float(tor[j]),
                    "web_adult_total": float(wa[j]),
                    "youtube_total": float(yt[j]),
                    "log_cpc_per_1000": math.log(cj * tor[j] * 1000.0 / c.pop),
                    "singles_pct": c.attrs["singles_pct"],
                }
            )
    truth = pd.DataFrame(rows)
    truth["sv_spatial_component"] = spatial_component(opts, states)
    rng = rng_for(opts.seed, 99, PURPOSE["sv"])
    lin = SV_BETA * truth["log_cpc_per_1000"] + SV_GAMMA_SINGLES * truth["singles_pct"] / 100
    intercept = SV_MEAN - lin.mean()
    noise = rng.normal(0.0, SV_NOISE_SD, size=len(truth))
    spatial = SV_SPATIAL_AMPLITUDE * truth["sv_spatial_component"]
    truth["sv_rate"] = np.maximum(intercept + lin + noise + spatial - spatial.mean(), 0.02)
    truth["sv_spatial_cluster"] = truth["sv_spatial_component"] >= SV_SPATIAL_CLUSTER_MIN
    truth["sv_intercept"] = intercept
    truth["published"] = truth["pop"] >= PUBLISH_MIN_POP
    return truth


def _centroid_km(wkt: str) -> tuple[float, float]:
    """Mean vertex of a WKT (multi)polygon in lon/lat, as km east and north
    (equirectangular: a planted field needs distances, not a projection)."""
    numbers = re.findall(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?", wkt)
    lon, lat = np.array(numbers, dtype=float).reshape(-1, 2).mean(axis=0)
    return lon * 111.32 * math.cos(math.radians(lat)), lat * 110.57


def spatial_component(opts: Options, states: list[CityState]) -> list[float]:
    """Per study commune, in plant_sv's order: the planted smooth field in [0, 1], a
    Gaussian bump around one seeded commune of each city with length scale
    SV_SPATIAL_LENGTH_SHARE x the city's radius (the largest distance from the bump's
    centre to a commune)."""
    values: list[float] = []
    for st in states:
        rng = rng_for(opts.seed, st.index, PURPOSE["sv_spatial"])
        xy = np.array([_centroid_km(c.wkt_4326) for c in st.communes])
        centre = xy[int(rng.integers(len(xy)))]
        d = np.sqrt(((xy - centre) ** 2).sum(axis=1))
        length = max(SV_SPATIAL_LENGTH_SHARE * d.max(), 1e-6)
        values.extend(np.exp(-(d**2) / (2 * length**2)).tolist())
    return values


def write_truth(
    out: Path,
    opts: Options,
    states: list[CityState],
    calendar: traffic.Calendar,
    truth: pd.DataFrame,
    renamed: str | None,
) -> Path:
    """The planted truths under ``out/_truth`` (never read by the pipeline): each
    commune's planted values, each tile's commune, and the manifest of options and
    planted constants; returns the manifest path."""
    truth_dir = out / "_truth"
    truth_dir.mkdir()
    truth.to_csv(truth_dir / "communes.csv", index=False, float_format="%.17g")
    tiles = pd.concat(
        [
            pd.DataFrame(
                {
                    "city": st.city.name,
                    "tile_id": st.grid.tile_ids,
                    "code_com": [
                        st.communes[g].code if g < len(st.communes) else "" for g in st.group
                    ],
                }
            )
            for st in states
        ],
        ignore_index=True,
    )
    tiles.to_csv(truth_dir / "tiles.csv", index=False)
    manifest = {
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(opts).items()},
        "dates": [d.isoformat() for d in calendar.dates],
        "planted": {
            "sv_beta_log_cpc_per_1000": SV_BETA,
            "sv_gamma_singles_share": SV_GAMMA_SINGLES,
            "sv_noise_sd": SV_NOISE_SD,
            "sv_spatial_amplitude": SV_SPATIAL_AMPLITUDE,
            "sv_spatial_length_share": SV_SPATIAL_LENGTH_SHARE,
            "sv_spatial_cluster_min": SV_SPATIAL_CLUSTER_MIN,
            "sv_intercept": float(truth["sv_intercept"].iloc[0]),
            "publish_min_pop": PUBLISH_MIN_POP,
            "rho_mean": RHO_MEAN,
            "rho_sd": RHO_SD,
            "renamed_commune_after_2017": renamed,
            "tiles_outside_communes": {
                st.city.name: int((st.group == len(st.communes)).sum()) for st in states
            },
        },
    }
    for key in ("progress", "jobs", "out"):  # how it was run, not what was written
        manifest["options"].pop(key)
    path = truth_dir / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path
