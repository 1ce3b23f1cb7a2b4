"""Each correction-factor variant pinned on hand-made communes of a few days.

Three days of NetMob files (2019-03-30, the clock change 2019-03-31 and 2019-04-01) for
three tiles in two communes are written here; the expected correlations and factors
are computed independently with numpy/scipy from the same numbers, following
docs/method.md sections 3-5 step by step.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from conftest import query, run_dbt, write_nice_geometry
from scipy.stats import pearsonr, spearmanr

SERVICES = ("Tor", "Web_Adult", "YouTube")
DAYS = ("2019-03-30", "2019-03-31", "2019-04-01")
TILES = {5: "06088", 6: "06088", 9: "06004"}  # tile -> commune
ONION, CP, PORN_PAGES, C_FLOOR = 0.011, 105 / 253, 2267628 / 5437248, 1e-5


def _slots(day: str) -> list[int]:
    return [s for s in range(96) if not (day == "2019-03-31" and 8 <= s < 12)]


def _values() -> dict[tuple[str, str, int], np.ndarray]:
    """(service, day, tile) -> the file's values, 3 decimals, with zeros and an outage."""
    rng = np.random.default_rng(20190330)
    out = {}
    for service in SERVICES:
        for day in DAYS:
            for tile in TILES:
                v = np.round(rng.lognormal(2.0, 1.0, size=len(_slots(day))), 3)
                if service == "Tor":
                    v[rng.random(v.size) < 0.35] = 0.0  # sparse Tor: zero hours happen
                out[(service, day, tile)] = v
    # outage on the clock-change day (an outage date): Web_Adult is zero 10:00-10:29
    # in commune 06088's tiles, so those two slots go for every service of 06088
    for tile in (5, 6):
        v = out[("Web_Adult", "2019-03-31", tile)]
        slots = _slots("2019-03-31")
        for s in (40, 41):
            v[slots.index(s)] = 0.0
    # Tor silent in commune 06004 for a whole hour: its hourly value is floored
    for day in DAYS:
        v = out[("Tor", day, 9)]
        slots = _slots(day)
        for s in range(4 * 7, 4 * 8):
            v[slots.index(s)] = 0.0
    return out


def _square(lon: float, lat: float, d: float) -> list:
    return [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]


def _expected() -> dict:
    """Independent computation of rho and c for every method and lag, per commune."""
    values = _values()
    hourly: dict[str, dict[str, dict[dt.datetime, float]]] = {}
    for code in set(TILES.values()):
        tiles = [t for t, c in TILES.items() if c == code]
        per_service = {s: {} for s in SERVICES}
        for day in DAYS:
            slots = _slots(day)
            sums = {s: sum(values[(s, day, t)] for t in tiles) for s in SERVICES}
            for k, slot in enumerate(slots):
                if day == "2019-03-31" and sums["Web_Adult"][k] == 0:
                    continue  # outage filter
                start = dt.datetime.fromisoformat(day) + dt.timedelta(hours=slot // 4)
                for s in SERVICES:
                    per_service[s][start] = per_service[s].get(start, 0.0) + sums[s][k]
        hourly[code] = per_service

    def log(x: float) -> float:
        return math.log(0.001 if x == 0 else x)

    expected = {}
    rhos: dict[tuple[str, int], float] = {}
    for code, series in hourly.items():
        for lag in (0, 2):
            pairs = [
                (h, h - dt.timedelta(hours=lag))
                for h in sorted(series["Web_Adult"])
                if h - dt.timedelta(hours=lag) in series["Tor"]
            ]
            wa = np.array([log(series["Web_Adult"][h]) for h, _ in pairs])
            tor = np.array([log(series["Tor"][g]) for _, g in pairs])
            yt_ref = np.array([log(series["YouTube"][h]) for h, _ in pairs])
            yt_tor = np.array([log(series["YouTube"][g]) for _, g in pairs])
            pearson = pearsonr(wa, tor)[0]
            rhos[(code, lag)] = pearson
            expected[(code, "pearson", lag)] = (pearson, len(pairs))
            expected[(code, "pearson_sq", lag)] = (pearson, len(pairs))
            expected[(code, "centered", lag)] = (pearson, len(pairs))
            expected[(code, "spearman", lag)] = (spearmanr(wa, tor)[0], len(pairs))
            expected[(code, "v1_youtube_diff", lag)] = (
                spearmanr(wa - yt_ref, tor - yt_tor)[0],
                len(pairs),
            )
    out = {}
    for (code, method, lag), (rho, n) in expected.items():
        mean_rho = np.mean([r for (c, g), r in rhos.items() if g == lag])
        c = {
            "pearson": ONION * CP * rho,
            "spearman": ONION * CP * rho,
            "pearson_sq": ONION * CP * rho**2,
            "centered": (rho - mean_rho + 1) * ONION * PORN_PAGES * CP,
            "v1_youtube_diff": CP * rho,
        }[method]
        out[(code, method, lag)] = (rho, c if c >= 0 else C_FLOOR, n)  # only negatives floored
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("variants")
    raw = work / "raw"
    values = _values()
    for service in SERVICES:
        for day in DAYS:  # one file per service and day, tiles sorted
            stamp = day.replace("-", "")
            folder = raw / "netmob" / "Nice" / service / stamp
            folder.mkdir(parents=True)
            lines = [
                f"{t} " + " ".join(repr(float(x)) for x in values[(service, day, t)])
                for t in sorted(TILES)
            ]
            (folder / f"Nice_{service}_{stamp}_DL.txt").write_text("\n".join(lines) + "\n")
    write_nice_geometry(
        raw,
        {t: _square(7.25 + 0.01 * t, 43.70, 0.001) for t in TILES},
        [
            ("06088", "Nice", 342669, _square(7.30, 43.69, 0.03)),
            ("06004", "Antibes", 73798, _square(7.33, 43.69, 0.05)),
        ],
    )
    (raw / "insee").mkdir()
    (raw / "insee" / "donnees_communes.csv").write_text(
        "CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT\n"
        "93;PACA;06;2;99;004;Antibes;73798;1000;74798\n"
        "93;PACA;06;2;99;088;Nice;342669;5000;347669\n"
    )
    dbt_vars = {
        "raw_dir": str(raw),
        "netmob_cities": ["Nice"],
        "study_start": DAYS[0],
        "study_end": DAYS[-1],
        "admin_communes_path": "admin/COMMUNE.geojson",
        "admin_arrondissements_path": "",
    }
    selection = [
        "--select",
        "+fct_commune_cpc",
        "+fct_commune_correction_factors",
        "resource_type:seed",
    ]
    run_dbt(["build", *selection], work, dbt_vars)
    return work


def test_tiles_land_in_their_communes(built):
    rows = query(
        built,
        """select tile_id, code_com
        from intermediate.int_tiles_allocated_to_communes order by tile_id""",
    )
    assert rows == sorted(TILES.items())


@pytest.mark.parametrize(
    "method", ["pearson", "pearson_sq", "centered", "spearman", "v1_youtube_diff"]
)
@pytest.mark.parametrize("lag", [0, 2])
def test_variant(built, method, lag):
    expected = _expected()
    rows = query(
        built,
        """select code_com, rho, c, n_hours from marts.fct_commune_correction_factors
        where correction_method = ? and lag_hours = ? order by code_com""",
        [method, lag],
    )
    assert [r[0] for r in rows] == ["06004", "06088"]
    for code, rho, c, n_hours in rows:
        exp_rho, exp_c, exp_n = expected[(code, method, lag)]
        assert n_hours == exp_n
        assert rho == pytest.approx(exp_rho, abs=1e-10)
        assert c == pytest.approx(exp_c, rel=1e-10)


def test_outage_and_clock_change_hours(built):
    # 06088: 3 days x 24 hours - the missing clock-change hour; the outage dropped two
    # slots of 10:00 only, so the hour stays with its two other slots
    rows = query(
        built,
        """select code_com, count(*), sum(n_slots)
        from intermediate.int_traffic_aggregated_to_commune_hours
        where service = 'Tor' group by code_com order by code_com""",
    )
    assert rows == [("06004", 71, 71 * 4), ("06088", 71, 71 * 4 - 2)]


def test_cpc_mart_uses_pearson_lag_0(built):
    expected = _expected()
    values = _values()
    rows = query(
        built,
        """select code_com, pop, tor_dl, c, cpc, cpc_per_1000, log_cpc_per_1000,
        log_tor_per_1000 from marts.fct_commune_cpc order by code_com""",
    )
    for code, pop, tor, c, cpc, per_1000, log_per_1000, log_tor in rows:
        tiles = [t for t, k in TILES.items() if k == code]
        kept_tor = 0.0
        for day in DAYS:
            wa = sum(values[("Web_Adult", day, t)] for t in tiles)
            tor_day = sum(values[("Tor", day, t)] for t in tiles)
            keep = ~((wa == 0) & (day == "2019-03-31"))
            kept_tor += tor_day[keep].sum()
        assert tor == pytest.approx(kept_tor, rel=1e-12)
        assert c == pytest.approx(expected[(code, "pearson", 0)][1], rel=1e-10)
        assert cpc == pytest.approx(c * kept_tor, rel=1e-12)
        assert per_1000 == pytest.approx(c * kept_tor * 1000 / pop, rel=1e-12)
        assert log_per_1000 == pytest.approx(math.log(c * kept_tor * 1000 / pop), rel=1e-12)
        assert log_tor == pytest.approx(math.log(kept_tor * 1000 / pop), rel=1e-12)
