"""The rules a publication follows, read from the build's dbt artifacts: which marts are
published and each column's privacy class (the manifest's YAML meta), that the
exposures listing the publication name exactly those marts, that the build passed and
that one invocation built and tested every published mart with one set of vars, and the
build's settings (the one row of marts.dim_build_settings)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# the build's settings, one row (models/marts/publication/dim_build_settings.sql)
SETTINGS_MART = "dim_build_settings"


# privacy classes of a published column (its meta `privacy`, a class or a list)
PRIVACY_CLASSES = {
    "public": "published as built",
    "min_population": "NULL for communes under var publication_min_population inhabitants "
    "(flag is_small_population)",
    "min_tiles": "NULL where drawn from fewer than var publication_min_tiles NetMob tiles "
    "carrying traffic (flag is_few_tiles)",
}


class PublicationRefused(RuntimeError):
    """The build is not fit to publish (failed, untested, or unsafe output)."""


@dataclass
class Mart:
    name: str
    description: str
    columns: dict[str, str]
    # column -> its privacy classes (a column without meta `privacy` is public)
    privacy: dict[str, frozenset[str]] = field(default_factory=dict)

    def columns_of(self, privacy_class: str) -> list[str]:
        return [c for c, classes in self.privacy.items() if privacy_class in classes]


def _privacy_classes(model: str, column: str, meta: dict) -> frozenset[str]:
    value = meta.get("privacy", "public")
    classes = frozenset([value] if isinstance(value, str) else value)
    unknown = classes - set(PRIVACY_CLASSES)
    if unknown or not classes:
        raise PublicationRefused(
            f"{model}.{column}: meta privacy {value!r} is not a class of "
            f"{sorted(PRIVACY_CLASSES)} (or a list of them)"
        )
    return classes


def published_marts(manifest: dict) -> list[Mart]:
    """Marts (schema marts, enabled) whose meta does not say publish: false, with each
    column's description and privacy class from its YAML (column meta ``privacy``)."""
    marts = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] != "marts":
            continue
        if (
            not node["config"].get("enabled", True)
            or node["config"].get("meta", {}).get("publish") is False
        ):
            continue
        columns = {c: v.get("description", "") for c, v in node.get("columns", {}).items()}
        privacy = {
            c: _privacy_classes(
                node["name"], c, v.get("meta") or v.get("config", {}).get("meta") or {}
            )
            for c, v in node.get("columns", {}).items()
        }
        marts.append(Mart(node["name"], node.get("description", ""), columns, privacy))
    return sorted(marts, key=lambda m: m.name)


def exposure_gaps(manifest: dict, published: list[str]) -> list[str]:
    """How the exposures that list the publication (meta ``lists: publication``) differ
    from the marts published; empty when they list exactly those. Every other exposure
    may read only published marts."""
    listed: set[str] = set()
    problems = []
    for exposure in manifest.get("exposures", {}).values():
        if exposure.get("config", {}).get("enabled", True) is False:
            continue
        names = {n.split(".")[-1] for n in exposure["depends_on"]["nodes"]}
        if (exposure.get("meta") or {}).get("lists") == "publication":
            listed |= names
        else:
            outside = sorted(names - set(published))
            if outside:
                problems.append(f"exposure {exposure['name']} reads unpublished {outside}")
    missing = sorted(set(published) - listed)
    extra = sorted(listed - set(published))
    if missing:
        problems.append(f"published but listed by no publication exposure: {missing}")
    if extra:
        problems.append(f"listed by a publication exposure but not published: {extra}")
    return problems


def check_build(target: Path, quality_results: Path | None) -> dict:
    """The last dbt invocation (run_results.json), refused unless it was a `dbt build`
    without failures and the quality results (when given) passed and are newer than
    it; returns the run results."""
    results = json.loads((target / "run_results.json").read_text())
    bad = [
        r["unique_id"]
        for r in results["results"]
        if r["status"] in ("error", "fail", "runtime error")
    ]
    if bad:
        raise PublicationRefused(f"the last dbt run has failures, not publishing: {bad[:5]}")
    if results["args"].get("which") not in ("build",):
        raise PublicationRefused("the last dbt invocation was not `dbt build` (models and tests)")
    if quality_results is not None:
        if quality_results.stat().st_mtime < (target / "run_results.json").stat().st_mtime:
            raise PublicationRefused(
                f"the quality results {quality_results} predate the last dbt invocation: "
                "run `cpc-tor quality` on this build first"
            )
        suites = json.loads(quality_results.read_text())
        failed = [s["mart"] for s in suites if s["status"] == "failed"]
        if failed:
            raise PublicationRefused(f"Great Expectations suites failed: {failed}")
    return results


def invocation_text(args: dict) -> str:
    """The last dbt invocation as its command line (from run_results.json's args)."""
    parts = ["dbt", str(args.get("which", "?"))]
    for option in ("select", "exclude"):
        if args.get(option):
            parts += [f"--{option}", " ".join(args[option])]
    if args.get("vars"):
        parts += ["--vars", json.dumps(args["vars"], sort_keys=True, default=str)]
    return " ".join(parts)


def _same_setting(recorded, given) -> bool:
    """Whether a var given to dbt equals the value marts.dim_build_settings recorded
    (lists are recorded as JSON text, dates as ISO text)."""
    if isinstance(given, (list, dict)) and isinstance(recorded, str):
        try:
            return json.loads(recorded) == given
        except ValueError:
            return False
    return str(recorded) == str(given)


def whole_build_gaps(manifest: dict, results: dict, marts: list[str], settings: dict) -> list[str]:
    """Why the marts to publish are not one build: the marts the last invocation did
    not build, those whose data tests it did not run (or that failed), and the vars it
    was given that differ from the settings the rest were built with
    (marts.dim_build_settings). Empty when one invocation built and tested them all."""
    status = {r["unique_id"]: r["status"] for r in results["results"]}
    ids = {
        node["name"]: uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["name"] in marts
    }
    not_built = sorted(m for m in marts if status.get(ids.get(m, "")) != "success")
    untested: set[str] = set()
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] != "test" or node["config"].get("enabled", True) is False:
            continue
        for parent in node["depends_on"]["nodes"]:
            name = parent.split(".")[-1]
            if parent == ids.get(name) and status.get(uid) not in ("pass", "warn"):
                untested.add(name)
    untested -= set(not_built)
    invocation = invocation_text(results["args"])
    gaps = []
    if not_built:
        gaps.append(f"not built by the last dbt invocation ({invocation}): {not_built}")
    if untested:
        gaps.append(f"not tested by the last dbt invocation ({invocation}): {sorted(untested)}")
    differing = {
        name: (value, settings[name])
        for name, value in (results["args"].get("vars") or {}).items()
        if name in settings and not _same_setting(settings[name], value)
    }
    if differing:
        gaps.append(
            "vars of the last invocation that differ from the settings the published marts "
            "record (marts.dim_build_settings): "
            + "; ".join(
                f"{name}: {given!r} given, {recorded!r} recorded"
                for name, (given, recorded) in sorted(differing.items())
            )
        )
    return gaps


def read_settings(con) -> dict:
    """The build's settings: the one row of marts.dim_build_settings (dates as ISO
    text)."""
    try:
        cursor = con.execute(f'select * from marts."{SETTINGS_MART}"')
    except duckdb.CatalogException as exc:
        raise PublicationRefused(
            f"marts.{SETTINGS_MART} is missing: the build predates it, rebuild first"
        ) from exc
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    if len(rows) != 1:
        raise PublicationRefused(f"marts.{SETTINGS_MART} has {len(rows)} rows, expected 1")
    return {
        k: v.isoformat() if hasattr(v, "isoformat") else v
        for k, v in zip(names, rows[0], strict=True)
    }
