"""NetMob23 traffic files (Orange): one text file per city, service, day and
direction, `tile_id v1 .. v96`, in the publisher's layout."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp

import numpy as np
from tqdm import tqdm

from analysis_py.synth import traffic
from analysis_py.synth.common import (
    PURPOSE,
    CityState,
    Options,
    rng_for,
)
from analysis_py.synth.reference import (
    SERVICES,
)

# ---------------------------------------------------------------- traffic files


_WORKER: dict = {}


def _write_day(task: tuple[str, str, int]) -> int:
    """Write one day of one service (DL, and UL when asked); returns bytes written."""
    service, direction_set, day_ordinal = task
    st: CityState = _WORKER["state"]
    opts: Options = _WORKER["opts"]
    calendar: traffic.Calendar = _WORKER["calendar"]
    day = dt.date.fromordinal(day_ordinal)
    s_idx = SERVICES.index(service) if service in SERVICES else 9
    rng = rng_for(opts.seed, st.index, PURPOSE["files"], s_idx, day_ordinal)
    values = traffic.day_values(rng, calendar, st.series, st.layout, service, day)
    written = 0
    stamp = day.strftime("%Y%m%d")
    folder = opts.out / "netmob" / st.city.name / service / stamp
    folder.mkdir(parents=True, exist_ok=True)
    for direction in direction_set.split(","):
        if direction == "UL":
            urng = rng_for(opts.seed, st.index, PURPOSE["upload"], s_idx, day_ordinal)
            data = np.round(values * urng.uniform(0.05, 0.2, size=(values.shape[0], 1)), 3)
        else:
            data = values
        path = folder / f"{st.city.name}_{service}_{stamp}_{direction}.txt"
        from analysis_py.synth.textfmt import format_traffic_rows

        blob = format_traffic_rows(st.grid.tile_ids, data)
        path.write_bytes(blob)
        written += len(blob)
    return written


def write_traffic(opts: Options, states: list[CityState], calendar: traffic.Calendar) -> None:
    directions = "DL,UL" if opts.upload else "DL"
    tasks_per_city = len(SERVICES) * len(calendar.dates)
    bar = tqdm(
        total=tasks_per_city * len(states) * (2 if opts.upload else 1),
        desc="NetMob files",
        unit="file",
        disable=not opts.progress,
    )
    for st in states:
        _WORKER.update(state=st, opts=opts, calendar=calendar)
        tasks = [(s, directions, d.toordinal()) for s in SERVICES for d in calendar.dates]
        if opts.jobs > 1:
            with mp.get_context("fork").Pool(opts.jobs) as pool:
                for _ in pool.imap_unordered(_write_day, tasks, chunksize=4):
                    bar.update(2 if opts.upload else 1)
        else:
            for task in tasks:
                _write_day(task)
                bar.update(2 if opts.upload else 1)
    bar.close()
