"""Benchmark of the NetMob ingestion: ratios against baselines measured in the same run.

On identical generated files (one city, 77 days, Tor + Web_Adult + YouTube, DL), at
three sizes up to the study's real size (20,000 tiles: 231 files), it times

  (a) a faithful re-implementation of the authors' two passes over the text: notebook
      2's per-file read_csv, merge to communes, groupby, melt, concat and merge of the
      services; and notebook 3's per-tile daily sums for the top-tile analysis;
  (b) this project's ingestion, cold (--full-refresh; dbt models int_traffic_parsed_by_partition ->
      int_traffic_aggregated_to_commune_hours, int_traffic_aggregated_to_tiles): commune-hour
      series and tile
      totals from one parse (wall time from the first model's start to the last one's
      end in dbt's run_results.json: dbt runs the tile and hour models side by side on
      its 2 threads, so a sum of model times would overcount);
  (c) DuckDB's bare parse of the same files (a sum of every column over read_csv);
  (d) recomputing the correlations for another method and lag (spearman, lag 2) from
      what (b) stored (int_commune_hours_logged -> int_commune_hour_pairs ->
      int_commune_hours_correlated; the bootstrap intervals are bench/uncertainty.py's);
  (w_stat) the warm rebuild of (b)'s models with a statistical var changed (the parse
      is incremental by file: no file changed, none is read), as a ratio to (b);
  (w_day) the warm rebuild of (b)'s models after one day added (its 3 files read, the
      rest kept), as a ratio to (b);

prints the ratios and the peak memory (max RSS of the process doing the work), and
extrapolates (b) linearly to the 20 cities. Each measurement runs in its own process;
with --repeat N every measurement is taken N times, interleaved, and the minimum kept
(the usual defence against a noisy machine; the same for a, b, c and d).

    .venv/bin/python bench/ingest.py [--sizes 5000 10000 20000] [--city Lyon] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from analysis_py.engines.dbt_runner import dbt_command

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
SERVICES = ["Web_Adult", "Tor", "YouTube"]
TARGETS = {
    "b/c": 1.2,
    "a/b": 3.0,
    "d/b": 1 / 20,
    "w_stat/b": 0.1,
    "w_day/b": 0.1,
    "peak_gb": 4.0,
    "extrapolated_min": 10.0,
}
PARSE_MODELS = [
    "int_traffic_parsed_by_partition",
    "int_traffic_aggregated_to_tiles",
    "int_traffic_filtered_for_outages",
    "int_traffic_aggregated_to_commune_hours",
]
FACTOR_MODELS = [
    "int_commune_hours_logged",
    "int_commune_hour_pairs",
    "int_commune_hours_correlated",
]


# ------------------------------------------------------------------ measured steps
# Each runs in a child process (`--step`), prints its seconds on the last line.


def step_authors(raw: Path, city: str) -> None:
    """(a) notebook 2's per-file loop, then notebook 3's per-tile daily sums."""
    import datetime as dt

    import pandas as pd

    manifest = json.loads((raw / "_truth" / "manifest.json").read_text())
    tiles = pd.read_csv(raw / "_truth" / "tiles.csv", dtype={"code_com": str})
    # the notebook merges map_df, the tiles GeoDataFrame of notebook 1 (tile polygon,
    # city, commune, department, population): rebuild those columns
    features = json.loads((raw / "netmob" / city / f"{city}.geojson").read_text())["features"]
    geometry = pd.DataFrame(
        {
            "tile_id": [f["properties"]["tile_id"] for f in features],
            "geometry": [f["geometry"]["coordinates"] for f in features],
        }
    )
    truth = pd.read_csv(raw / "_truth" / "communes.csv", dtype={"code_com": str})
    map_city = (
        tiles[tiles["city"] == city]
        .rename(columns={"city": "cities"})
        .merge(geometry, on="tile_id")
        .merge(truth[["code_com", "pop"]], on="code_com", how="left")
    )
    map_city["code_dep"] = map_city["code_com"].str[:2]
    started = time.perf_counter()
    df_0 = pd.DataFrame()
    for app in SERVICES:  # notebook 2
        df_1 = pd.DataFrame()
        for day_iso in manifest["dates"]:
            day = dt.datetime.fromisoformat(day_iso)
            day_str = day.strftime("%Y%m%d")
            times = [(day + dt.timedelta(minutes=15 * i)).strftime("%H:%M") for i in range(96)]
            path = raw / "netmob" / city / app / day_str / f"{city}_{app}_{day_str}_DL.txt"
            df_2 = pd.read_csv(path, sep=" ", names=["tile_id", *times])
            df_2_list = list(df_2)
            df_2_list.remove("tile_id")
            df_2 = (
                df_2.merge(map_city, on="tile_id", how="left")
                .groupby(["code_dep", "code_com"])[df_2_list]
                .sum()
                .reset_index()
                .copy()
            )
            df_2["date"] = day_str
            df_1 = pd.concat([df_1, df_2])
        df_1 = pd.melt(
            df_1, id_vars=["code_dep", "code_com", "date"], var_name="time", value_name=app
        ).copy()
        if df_0.empty:
            df_0 = df_1.copy()
        else:
            df_0 = df_0.merge(df_1, on=["code_dep", "code_com", "date", "time"], how="left")
    daily = []
    for app in SERVICES:  # notebook 3: the text again, per-tile daily sums
        for day_iso in manifest["dates"]:
            day_str = day_iso.replace("-", "")
            path = raw / "netmob" / city / app / day_str / f"{city}_{app}_{day_str}_DL.txt"
            df = pd.read_csv(path, sep=" ", header=None)
            daily.append(
                pd.DataFrame(
                    {
                        "tile_id": df[0],
                        "date": day_str,
                        "app": app,
                        "traffic": df.iloc[:, 1:].sum(axis=1),
                    }
                )
            )
    tile_means = pd.concat(daily).groupby(["app", "tile_id"])["traffic"].mean()
    assert len(df_0) > 0 and len(tile_means) > 0
    print(time.perf_counter() - started)


def step_bare_parse(raw: Path, city: str) -> None:
    """(c) DuckDB reads every value of every file once."""
    import duckdb

    files = sorted(str(p) for p in (raw / "netmob" / city).rglob("*_DL.txt"))
    regular = [f for f in files if "/20190331/" not in f]
    dst = [f for f in files if "/20190331/" in f]
    con = duckdb.connect()
    started = time.perf_counter()
    for group, n in ((regular, 96), (dst, 92)):
        if not group:
            continue
        cols = ", ".join([f"'v{i}': 'DOUBLE'" for i in range(n)])
        con.execute(
            f"""select sum(columns(*)) from read_csv({group!r}, delim = ' ', header = false,
                auto_detect = false, columns = {{'tile_id': 'BIGINT', {cols}}})"""
        ).fetchall()
    print(time.perf_counter() - started)


STEPS = {"authors": step_authors, "bare_parse": step_bare_parse}


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[str, float]:
    """Run a command; its output and its own peak RSS in GB (os.wait4 rusage)."""
    log = OUT / "child.log"
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    output = log.read_text()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed:\n{output[-4000:]}")
    return output, usage.ru_maxrss / 1024**2


def run_step(name: str, raw: Path, city: str) -> tuple[float, float]:
    """Seconds and peak RSS (GB) of one step run in a child process."""
    output, peak = run_measured(
        [sys.executable, __file__, "--step", name, "--raw", str(raw), "--city", city]
    )
    return float(output.strip().splitlines()[-1]), peak


def dbt(
    args: list[str], work: Path, dbt_vars: dict, models: list[str] | None = None
) -> tuple[float, float]:
    """Run dbt; wall seconds from the first node's start to the last node's end
    (run_results.json timings: compile + execute, without dbt's start-up), over the
    nodes of ``models`` only when given, and the process's peak RSS in GB."""
    cmd, env = dbt_command(args, work, dbt_vars, database="bench.duckdb")
    _, peak = run_measured(cmd, env)
    results = json.loads((work / "target" / "run_results.json").read_text())
    ids = {f"model.cpc_tor.{m}" for m in models} if models else None
    stamps = [
        datetime.fromisoformat(t[key].replace("Z", "+00:00"))
        for r in results["results"]
        if ids is None or r["unique_id"] in ids
        for t in r["timing"]
        for key in ("started_at", "completed_at")
    ]
    return (max(stamps) - min(stamps)).total_seconds(), peak


def ensure_data(city: str | list[str], tiles: int, communes: int | None = None) -> Path:
    """The generated raw folder of one city, or of several (77 days, the three services,
    ``tiles`` and ``communes`` per city), made once."""
    cities = [city] if isinstance(city, str) else list(city)
    communes = communes or max(5, round(tiles / 300))
    name = "_".join(c.lower() for c in cities)
    raw = (
        OUT / f"{name}_{tiles}"
        if communes == max(5, round(tiles / 300))
        else (OUT / f"{name}_{tiles}_{communes}")
    )
    if (raw / "_truth" / "manifest.json").exists():
        return raw
    print(f"generating {raw} ({tiles} tiles, {communes} communes per city) ...", flush=True)
    subprocess.run(
        [
            str(BIN / "cpc-tor"),
            "synth",
            "--jobs",
            "2",
            "--out",
            str(raw),
            "--seed",
            "2023",
            "--cities",
            *cities,
            "--tiles-per-city",
            str(tiles),
            "--communes-per-city",
            str(communes),
            "--queries",
            "100",
            "--quiet",
        ],
        check=True,
        cwd=ROOT,
    )
    return raw


def setup(work: Path, dbt_vars: dict) -> None:
    """Untimed: seeds, the tile allocation and the file listing the parse needs."""
    selection = [
        "--select",
        "+int_tiles_allocated_to_communes",
        "+int_netmob_files_listed",
        "resource_type:seed",
        "int_method_constants",
    ]
    # cautious: only the tests whose parents the setup builds
    dbt(
        ["build", *selection, "--indirect-selection", "cautious"],
        work,
        dbt_vars,
    )


def measure(city: str, tiles: int, repeat: int) -> dict:
    raw = ensure_data(city, tiles)
    work = OUT / f"work_{city.lower()}_{tiles}"
    dbt_vars = {"raw_dir": str(raw), "netmob_cities": [city]}
    setup(work, dbt_vars)
    other = {
        **dbt_vars,
        "correction_methods": ["spearman"],
        "correction_lags": [2],
        "correction_method": "spearman",
        "tor_lag_hours": 2,
    }
    manifest = json.loads((raw / "_truth" / "manifest.json").read_text())
    short = {**dbt_vars, "study_end": manifest["dates"][-2]}
    runs = []
    for _ in range(repeat):
        a, peak_a = run_step("authors", raw, city)
        c, peak_c = run_step("bare_parse", raw, city)
        # cold: every file parsed (the parse is incremental by file)
        b, peak_b = dbt(["run", "--full-refresh", "--select", *PARSE_MODELS], work, dbt_vars)
        # not timed: the study communes the factors mart checks its communes against
        dbt(
            [
                "run",
                "--select",
                "int_netmob_traffic_summed_by_commune",
                "int_commune_traffic_totals",
            ],
            work,
            dbt_vars,
        )
        d, _ = dbt(["run", "--select", *FACTOR_MODELS], work, other)
        # warm, a statistical var changed: the text models over what the parse stored
        w_stat, _ = dbt(
            ["run", "--select", *PARSE_MODELS, *FACTOR_MODELS], work, other, PARSE_MODELS
        )
        # warm, one day added: the last day's rows removed (not timed), then its files
        dbt(["run", "--select", *PARSE_MODELS], work, short)
        w_day, _ = dbt(["run", "--select", *PARSE_MODELS], work, dbt_vars)
        runs.append(
            {
                "a": a,
                "b": b,
                "c": c,
                "d": d,
                "w_stat": w_stat,
                "w_day": w_day,
                "pa": peak_a,
                "pb": peak_b,
                "pc": peak_c,
            }
        )
    best = {key: min(run[key] for run in runs) for key in ("a", "b", "c", "d", "w_stat", "w_day")}
    peaks = {key: max(run[key] for run in runs) for key in ("pa", "pb", "pc")}
    n_files = len(list((raw / "netmob" / city).rglob("*_DL.txt")))
    text_gb = sum(p.stat().st_size for p in (raw / "netmob" / city).rglob("*_DL.txt")) / 1e9
    return {
        "tiles": tiles,
        "files": n_files,
        "text_gb": text_gb,
        **best,
        "peak_a_gb": peaks["pa"],
        "peak_b_gb": peaks["pb"],
        "peak_c_gb": peaks["pc"],
        "repeat": repeat,
        "runs": runs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--city", default="Lyon")
    parser.add_argument("--repeat", type=int, default=1, help="minimum of N measurements")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        STEPS[args.step](args.raw, args.city)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [measure(args.city, n, args.repeat) for n in sorted(args.sizes)]
    print(
        f"\nNetMob ingestion, city {args.city}, 77 days, 3 services, DL"
        f"  (cpu cores: {os.cpu_count()}; minimum of {args.repeat} run(s) each)"
    )
    print(
        f"{'tiles':>7} {'files':>5} {'text GB':>7} {'a s':>8} {'b s':>7} {'c s':>7} {'d s':>6}"
        f" {'b/c':>5} {'a/b':>5} {'d/b':>6} {'w_stat/b':>8} {'w_day/b':>7}"
        f" {'peak a':>7} {'peak b':>7} {'peak c':>7}"
    )
    for r in rows:
        print(
            f"{r['tiles']:>7} {r['files']:>5} {r['text_gb']:>7.2f} {r['a']:>8.1f} {r['b']:>7.2f}"
            f" {r['c']:>7.2f} {r['d']:>6.2f} {r['b'] / r['c']:>5.2f} {r['a'] / r['b']:>5.1f}"
            f" {r['d'] / r['b']:>6.3f} {r['w_stat'] / r['b']:>8.3f} {r['w_day'] / r['b']:>7.3f}"
            f" {r['peak_a_gb']:>6.2f}G {r['peak_b_gb']:>6.2f}G {r['peak_c_gb']:>6.2f}G"
        )
    largest = rows[-1]
    print("\nlinearity (seconds per 1,000 tiles):")
    for key in ("a", "b", "c"):
        print(f"  {key}: " + ", ".join(f"{r[key] / r['tiles'] * 1000:.3f}" for r in rows))
    per_city_min = largest["b"] / 60 * 20_000 / largest["tiles"]
    print(
        f"\nextrapolation to 20 cities x 20,000 tiles: b = {20 * per_city_min:.1f} min "
        f"(a = {20 * largest['a'] / 60 * 20_000 / largest['tiles']:.0f} min)"
    )
    checks = {
        "b/c": largest["b"] / largest["c"] <= TARGETS["b/c"],
        "a/b": largest["a"] / largest["b"] >= TARGETS["a/b"],
        "d/b": largest["d"] / largest["b"] <= TARGETS["d/b"],
        "w_stat/b": largest["w_stat"] / largest["b"] <= TARGETS["w_stat/b"],
        "w_day/b": largest["w_day"] / largest["b"] <= TARGETS["w_day/b"],
        "peak_gb": max(r["peak_b_gb"] for r in rows) < TARGETS["peak_gb"],
        "extrapolated_min": 20 * per_city_min < TARGETS["extrapolated_min"],
    }
    print(
        "targets (largest size): "
        + ", ".join(f"{k} {'ok' if v else 'MISSED'}" for k, v in checks.items())
    )
    (OUT / "ingest_results.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
