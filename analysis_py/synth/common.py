"""Shared model of the synthetic sample: options, the commune record, seeded
generators and the planted constants of the method."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis_py.synth import geo, traffic
from analysis_py.synth.reference import (
    CITIES,
    DEPARTMENT_NEW_REGION,
    FIRST_NAMES,
    NAME_SUFFIXES,
    STUDY_START,
    City,
)

# planted constants of the method (docs/method.md section 5), used to plant sv on cpc
ONION_SHARE = 0.011
CP_SHARE_OF_PORN = 105 / 253
C_FLOOR = 1e-5
RHO_MEAN, RHO_SD = 0.165, 0.075
# planted regression of the sexual-violence rate (per 1000) on log cpc per 1000
SV_BETA = 0.15
SV_GAMMA_SINGLES = 1.5
SV_NOISE_SD = 0.30
SV_MEAN = 0.9
# a spatially smooth component of the sexual-violence rate (docs/method.md section 15): per
# city a Gaussian bump exp(-d^2 / (2 L^2)) around one commune, L = this share of the
# city's radius, times the amplitude (per 1000); communes near the centre share more of it
SV_SPATIAL_AMPLITUDE = 1.5
SV_SPATIAL_LENGTH_SHARE = 0.35
SV_SPATIAL_CLUSTER_MIN = 0.5  # communes with field >= this are the planted cluster
PUBLISH_MIN_POP = 5000  # SSMSI publishes the commune value (diff) from this population
SSMSI_YEARS = tuple(range(16, 23))
ELECTION_ELECTORS_SHARE = 0.72

PURPOSE = {
    "grid": 1,
    "communes": 2,
    "series": 3,
    "layout": 4,
    "files": 5,
    "upload": 6,
    "places": 7,
    "ssmsi": 8,
    "insee": 9,
    "elections": 10,
    "trends": 11,
    "queries": 12,
    "extras": 13,
    "sv": 14,
    "sv_spatial": 15,
}


def rng_for(seed: int, *keys: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *keys])))


@dataclass
class Options:
    out: Path
    seed: int = 20190316
    cities: tuple[str, ...] = tuple(c.name for c in CITIES)
    n_days: int = 77
    start: str = STUDY_START
    tiles_per_city: int = 80
    communes_per_city: int = 15
    upload: bool = False
    n_queries: int = 20_000
    jobs: int = 1
    progress: bool = True


@dataclass
class Commune:
    code: str
    name: str
    dep: str
    epci: str
    kind: str  # commune | arrondissement | parent
    city: str | None = None
    parent: str | None = None
    pop: int = 0
    area_km2: float = 0.0
    wkt_4326: str = ""
    n_tiles: int = 0
    attrs: dict = field(default_factory=dict)

    @property
    def reg(self) -> str:
        return DEPARTMENT_NEW_REGION[self.dep]


@dataclass
class CityState:
    city: City
    index: int
    grid: geo.CityGrid
    group: np.ndarray  # per tile: commune slot 0..K-1, K = outside
    communes: list[Commune]
    rho: np.ndarray
    activity: np.ndarray
    series: traffic.CitySeries | None = None
    layout: traffic.TileLayout | None = None


class Codes:
    """Allocates unused 5-character commune codes per department."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, code: str) -> str:
        if code in self.used:
            raise ValueError(f"commune code {code} allocated twice")
        self.used.add(code)
        return code

    def new(self, dep: str, rng: np.random.Generator) -> str:
        for _ in range(10_000):
            code = f"{dep}{int(rng.integers(1, 900)):03d}"
            if code not in self.used:
                return self.take(code)
        raise RuntimeError(f"no free commune code in department {dep}")


def synthetic_name(code: str) -> str:
    """A commune's name in the sample: visibly synthetic ("Synthetic 54578"), never a
    real place name beside an invented rate (the sample reuses some real commune codes,
    and its cities are the study's)."""
    return f"Synthetic {code}"


def commune_name(rng: np.random.Generator, code: str) -> str:
    """The name of a commune drawn by the generator: ``synthetic_name(code)``. The two
    draws that once made up a name are still taken, so that the sample's random stream,
    and with it every other value, stays as it was."""
    rng.choice(FIRST_NAMES)
    rng.choice(NAME_SUFFIXES)
    return synthetic_name(code)
