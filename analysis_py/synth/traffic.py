"""Synthetic NetMob traffic with a planted Web_Adult/Tor correlation per commune.

For every commune the generator draws hourly series for the three services on the log
scale and builds log Tor so that its *sample* Pearson correlation with log Web_Adult,
over the hours the pipeline keeps, equals the commune's planted rho exactly. Each hour
is then split into its four 15-minute slots and over the commune's tiles with fixed
shares, so the commune-hour sums the pipeline recomputes from the text are the planted
series (up to the 3-decimal rounding of the files).

Outages are planted as the paper describes them: on 2019-05-12 01:00-17:59 Web_Adult is
exactly zero in every tile (other services near zero), and on 2019-03-31 the cities of
``CITIES_WITH_DST_OUTAGE`` lose 04:00-05:59 the same way. The clock-change day has 92
values per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from analysis_py.synth.reference import CITIES_WITH_DST_OUTAGE, DST_DATE, SERVICES

MAY_OUTAGE = ("2019-05-12", range(1, 18))
DST_OUTAGE = (DST_DATE, range(4, 6))
DST_MISSING_HOUR = 2

# log-scale hour-of-day profile (weekday), evening peak, night trough
_WEEKDAY_PROFILE = np.array(
    [
        -0.2,
        -0.7,
        -1.1,
        -1.4,
        -1.5,
        -1.3,
        -0.8,
        -0.2,
        0.15,
        0.0,
        0.0,
        0.1,
        0.3,
        0.2,
        0.1,
        0.1,
        0.2,
        0.3,
        0.4,
        0.5,
        0.6,
        0.7,
        0.6,
        0.3,
    ]
)
_WEEKEND_SHIFT = np.array(
    [
        0.2,
        0.2,
        0.1,
        0.0,
        0.0,
        -0.1,
        -0.3,
        -0.4,
        -0.4,
        -0.2,
        0.0,
        0.1,
        0.1,
        0.1,
        0.1,
        0.1,
        0.1,
        0.1,
        0.0,
        0.0,
        0.0,
        0.1,
        0.2,
        0.2,
    ]
)


@dataclass(frozen=True)
class Calendar:
    """The study days and, per day, the local hours and 15-minute slots that exist."""

    dates: tuple[dt.date, ...]

    @staticmethod
    def from_range(start: str, n_days: int) -> Calendar:
        first = dt.date.fromisoformat(start)
        return Calendar(tuple(first + dt.timedelta(days=i) for i in range(n_days)))

    def hours(self, day: dt.date) -> list[int]:
        if day.isoformat() == DST_DATE:
            return [h for h in range(24) if h != DST_MISSING_HOUR]
        return list(range(24))

    def slots(self, day: dt.date) -> np.ndarray:
        """Slot numbers (0..95, 15-minute steps of local time) present in the file."""
        return np.array([4 * h + q for h in self.hours(day) for q in range(4)])

    def hour_index(self) -> list[tuple[dt.date, int]]:
        return [(d, h) for d in self.dates for h in self.hours(d)]


def outage_hours(city: str, day: dt.date) -> set[int]:
    """Hours of ``day`` in which Web_Adult is planted as exactly zero in ``city``."""
    out: set[int] = set()
    if day.isoformat() == MAY_OUTAGE[0]:
        out |= set(MAY_OUTAGE[1])
    if day.isoformat() == DST_OUTAGE[0] and city in CITIES_WITH_DST_OUTAGE:
        out |= set(DST_OUTAGE[1])
    return out


def _ar1(rng: np.random.Generator, shape: tuple[int, int], phi: float, sd: float) -> np.ndarray:
    """Stationary AR(1) noise along the last axis with marginal sd ``sd``."""
    shocks = rng.normal(0.0, sd * np.sqrt(1 - phi**2), size=shape)
    shocks[:, 0] = rng.normal(0.0, sd, size=shape[0])
    return lfilter([1.0], [1.0, -phi], shocks, axis=1)


def _standardise(v: np.ndarray) -> np.ndarray:
    v = v - v.mean()
    return v / np.sqrt((v**2).mean())


@dataclass
class CitySeries:
    """Hourly commune series of one city: values[service] has shape (groups, hours).

    Group ``k`` < n_communes is commune k; the last group holds the tiles outside every
    commune. ``kept`` marks the hours the outage filter keeps.
    """

    hours: list[tuple[dt.date, int]]
    kept: np.ndarray
    values: dict[str, np.ndarray]
    planted_rho: np.ndarray


def plant_series(
    rng: np.random.Generator,
    calendar: Calendar,
    city: str,
    activity: np.ndarray,
    rho: np.ndarray,
) -> CitySeries:
    """Hourly Web_Adult, Tor and YouTube per group with corr(log WA, log Tor) = rho.

    ``activity`` (one per group, the last for the outside tiles) scales the traffic;
    ``rho`` has one entry per commune (the outside group gets an arbitrary 0.1).
    """
    hours = calendar.hour_index()
    n_groups, n_hours = activity.size, len(hours)
    hod = np.array([h for _, h in hours])
    weekend = np.array([d.weekday() >= 5 for d, _ in hours])
    profile = _WEEKDAY_PROFILE[hod] + np.where(weekend, _WEEKEND_SHIFT[hod], 0.0)
    kept = np.array([h not in outage_hours(city, d) for d, h in hours])
    if kept.sum() < 3:
        raise ValueError("at least three hours outside outages are needed")
    rho_all = np.append(rho, 0.1) if rho.size == n_groups - 1 else rho

    eps_wa = _ar1(rng, (n_groups, n_hours), 0.6, 0.35)
    eps_yt = _ar1(rng, (n_groups, n_hours), 0.5, 0.25)
    eps_tor = 0.25 * profile + _ar1(rng, (n_groups, n_hours), 0.3, 1.0)
    tor_sd = rng.uniform(0.7, 1.3, size=n_groups)
    tor_share = np.exp(rng.normal(0.0, 0.8, size=n_groups))

    log_wa = np.log(40.0 * activity)[:, None] + profile + eps_wa
    log_yt = np.log(3000.0 * activity)[:, None] + 0.9 * profile + eps_yt + 0.3 * eps_wa
    log_tor = np.empty_like(log_wa)
    for g in range(n_groups):
        zx = _standardise(log_wa[g, kept])
        e = eps_tor[g, kept] - eps_tor[g, kept].mean()
        e = _standardise(e - (e @ zx) / (zx @ zx) * zx)
        r = rho_all[g]
        level = np.log(5.0 * activity[g] * tor_share[g])
        log_tor[g, kept] = level + tor_sd[g] * (r * zx + np.sqrt(1 - r**2) * e)
        log_tor[g, ~kept] = level - 3.0

    wa = np.exp(log_wa)
    wa[:, ~kept] = 0.0  # the outage: exactly zero Web_Adult
    yt = np.exp(log_yt)
    yt[:, ~kept] *= 0.02
    values = {"Web_Adult": wa, "Tor": np.exp(log_tor), "YouTube": yt}
    return CitySeries(hours=hours, kept=kept, values=values, planted_rho=rho_all[: rho.size])


@dataclass
class TileLayout:
    """Which group each tile belongs to and its fixed share of the group's traffic."""

    group: np.ndarray  # per tile, 0..n_groups-1
    share: dict[str, np.ndarray]  # per service, per tile; sums to 1 within a group


def tile_layout(rng: np.random.Generator, group: np.ndarray, n_groups: int) -> TileLayout:
    shares: dict[str, np.ndarray] = {}
    for service in SERVICES:
        w = rng.gamma(1.0, size=group.size)
        if service == "Tor":  # Tor is sparse: about half the tiles carry none
            silent = rng.random(group.size) < 0.5
            for g in range(n_groups):  # ... but every group keeps at least one tile
                members = np.flatnonzero(group == g)
                if members.size and silent[members].all():
                    silent[members[0]] = False
            w[silent] = 0.0
        totals = np.bincount(group, weights=w, minlength=n_groups)
        shares[service] = w / totals[group]
    return TileLayout(group=group, share=shares)


def day_values(
    rng: np.random.Generator,
    calendar: Calendar,
    series: CitySeries,
    layout: TileLayout,
    service: str,
    day: dt.date,
) -> np.ndarray:
    """(n_tiles, n_slots) traffic of one service and day, rounded to 3 decimals."""
    hours = calendar.hours(day)
    first = series.hours.index((day, hours[0]))
    hourly = series.values[service][:, first : first + len(hours)]  # (groups, hours)
    n_groups = hourly.shape[0]
    # split each hour over its four slots with random shares per group
    raw = rng.gamma(8.0, size=(n_groups, len(hours), 4))
    slot_share = raw / raw.sum(axis=2, keepdims=True)
    group_slots = (hourly[:, :, None] * slot_share).reshape(n_groups, 4 * len(hours))
    values = group_slots[layout.group] * layout.share[service][:, None]
    return np.round(values, 3)
