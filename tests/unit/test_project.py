"""The project's own conventions, checked on dbt's manifest of a parse (no build):
every model documented with its grain first and keyed by a uniqueness test; only
staging reads the raw sources (and the one documented parse of the NetMob text); one
file per model name, variants chosen in dbt_project.yml, lineage through ref() and
source(); the README's table of raw files per mart agrees with dbt's graph."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

KEY_TESTS = {"unique", "unique_combination_of_columns"}
# the one model besides staging that reads a raw source: the parse joins the tile ->
# commune allocation before aggregating (a staging table of tile rows would hold ~70 GB)
PARSE = "int_traffic_parsed_by_partition"


def _models(manifest: dict) -> dict[str, dict]:
    return {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}


def test_every_model_states_its_grain(manifest):
    missing = [
        v["name"]
        for v in _models(manifest).values()
        if not v["description"].strip().startswith("One row")
    ]
    assert missing == []


def test_every_model_has_a_key_test(manifest):
    keyed = set()
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        one_row = (
            meta.get("name") == "row_count_between"
            and (meta.get("kwargs") or {}).get("max_rows") == 1
        )
        if node["resource_type"] == "test" and (meta.get("name") in KEY_TESTS or one_row):
            keyed.update(node["depends_on"]["nodes"])
    assert sorted(v["name"] for k, v in _models(manifest).items() if k not in keyed) == []


def test_only_staging_reads_sources(manifest):
    readers = {
        v["name"]
        for v in _models(manifest).values()
        if any(d.startswith("source.") for d in v["depends_on"]["nodes"])
    }
    staging = {v["name"] for v in _models(manifest).values() if v["name"].startswith("stg_")}
    # every staging model names the raw file it reads; the parse is the one exception
    assert readers == staging | {PARSE}


def test_every_mart_selection_needs_nothing_outside_it(manifest):
    """`dbt build --select +<mart>` selects (eagerly, dbt's default) every test with a
    parent in the selection: none may have a parent outside it, or the build fails on
    a fresh database (a relationships test to a node the selection does not build)."""
    nodes = manifest["nodes"]
    parents = {
        k: [p for p in v.get("depends_on", {}).get("nodes", []) if p in nodes]
        for k, v in nodes.items()
    }

    def ancestors(key: str) -> set[str]:
        seen, stack = set(), [key]
        while stack:
            for parent in parents[stack.pop()]:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    tests = [k for k, v in nodes.items() if v["resource_type"] == "test"]
    broken = {}
    for key, node in _models(manifest).items():
        if not node["name"].startswith(("fct_", "dim_")):
            continue
        selection = ancestors(key) | {key}
        for test in tests:
            if any(p in selection for p in parents[test]):
                outside = [nodes[p]["name"] for p in parents[test] if p not in selection]
                if outside:
                    broken[(node["name"], nodes[test]["name"])] = outside
    assert broken == {}


def test_one_file_per_model_name_in_every_mode(manifests):
    """No model name in two files, the disabled variants included (dbt's manifest lists
    a disabled node under `disabled`), in either traffic mode."""
    for mode, manifest in manifests.items():
        paths: dict[str, set[str]] = {}
        nodes = list(manifest["nodes"].values())
        nodes += [n for versions in manifest["disabled"].values() for n in versions]
        for node in nodes:
            if node["resource_type"] == "model":
                paths.setdefault(node["name"], set()).add(node["original_file_path"])
        assert {n: p for n, p in paths.items() if len(p) > 1} == {}, mode
    names = [p.stem for p in (ROOT / "models").rglob("*") if p.suffix in (".sql", ".py")]
    assert len(names) == len(set(names))


def test_variants_are_chosen_in_dbt_project_yml_only():
    """No model enables or disables itself: which variant runs is stated in one place,
    dbt_project.yml (variants), and in the model that picks it."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "models").rglob("*")
        if p.suffix in (".sql", ".py") or p.name.endswith("__models.yml")
        if re.search(r"\benabled\s*[=:]", p.read_text())
    ]
    assert offenders == []


def test_lineage_is_ref_and_source_not_comments():
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("models", "macros", "tests/generic", "tests/singular")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in (".sql", ".py") and "-- depends_on:" in p.read_text()
    ]
    assert offenders == []


def test_each_mode_builds_its_variant(manifests):
    """The models the rest reads pick the variant of var traffic_source: netmob reads
    the spine and the SSMSI file, published the authors' cpc_com.csv."""
    parents = {
        mode: {
            v["name"]: {p.split(".")[-1] for p in v["depends_on"]["nodes"]}
            for v in _models(m).values()
        }
        for mode, m in manifests.items()
    }
    assert "int_commune_hours_correlated" in parents["netmob"]["int_commune_correlations"]
    assert "int_published_factors_inverted" in parents["published"]["int_commune_correlations"]
    assert "int_netmob_traffic_summed_by_commune" in parents["netmob"]["int_commune_traffic_totals"]
    assert "stg_published__commune_totals" in parents["published"]["int_commune_traffic_totals"]
    assert "stg_netmob__files" not in parents["published"]


def test_dbt_project_yml_repeats_the_vars_defaults():
    """dbt renders dbt_project.yml's configs before it reads its vars, so the variants'
    conditions repeat each var's default: they must equal the declared ones."""
    text = (ROOT / "dbt_project.yml").read_text()
    declared = yaml.safe_load(text)["vars"]
    repeated = re.findall(r"var\('(\w+)', '([^']*)'\)", text)
    assert repeated
    for name, default in repeated:
        assert str(declared[name]) == default, name


def _readme_raw_files() -> dict[str, set[str]]:
    """The README's "Partial builds" table: mart -> the raw files it names."""
    text = (ROOT / "README.md").read_text()
    table = text[text.index("| Marts | Raw files |") :].split("\n\n")[0].splitlines()[2:]
    needs = {}
    for row in table:
        marts, files = (cell.strip() for cell in row.strip("|").split("|"))
        keys = set(re.findall(r"`([^`]+)`", files))
        for mart in re.findall(r"`([^`]+)`", marts):
            needs[mart] = keys
    return needs


def _raw_paths_read(node: dict, project_vars: dict) -> set[str]:
    """The raw files (paths relative to raw_dir) a staging model reads, from the vars
    its SQL names; the NetMob models read the netmob/ tree."""
    code = node["raw_code"]
    paths = {
        str(project_vars[name])
        for name in re.findall(r"'([a-z_]+_(?:path|glob))'", code)
        if project_vars.get(name)
    }
    if "netmob" in node["name"]:
        paths.add("netmob/")
    return paths


def test_readme_says_which_raw_files_each_mart_needs(manifest):
    """Each published mart is in the README's table, and the files named there are
    those its upstream staging models read (dbt's graph), no more, no fewer."""
    import yaml

    project_vars = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    nodes = manifest["nodes"]
    readme = _readme_raw_files()

    def upstream(unique_id: str, seen: set[str]) -> set[str]:
        for parent in nodes.get(unique_id, {}).get("depends_on", {}).get("nodes", []):
            if parent not in seen:
                seen.add(parent)
                upstream(parent, seen)
        return seen

    published = [
        v
        for v in _models(manifest).values()
        if v["schema"] == "marts" and v["config"].get("meta", {}).get("publish") is not False
    ]
    assert {v["name"] for v in published} <= set(readme), set(v["name"] for v in published) - set(
        readme
    )
    for mart in published:
        read = set()
        for parent in upstream(mart["unique_id"], set()):
            if parent.split(".")[-1].startswith("stg_") and parent in nodes:
                read |= _raw_paths_read(nodes[parent], project_vars)
        keys = readme[mart["name"]] - {"none (vars and seeds)"}
        covered = {p for p in read for k in keys if p == k or p.startswith(k)}
        assert covered == read, (mart["name"], read - covered)
        used = {k for k in keys for p in read if p == k or p.startswith(k)}
        assert used == keys, (mart["name"], keys - used)


def test_every_method_reference_resolves():
    """Descriptions, docstrings and comments cite the method as "docs/method.md section
    N" (or "sections N-M"): the file is in the repository and has each section."""
    import re

    text = (ROOT / "docs" / "method.md").read_text()
    sections = {int(n) for n in re.findall(r"^## (\d+)\.", text, re.M)}
    assert sections >= set(range(1, 17))
    cited: set[int] = set()
    for folder in ("models", "macros", "analysis_py", "seeds"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".sql", ".yml", ".py", ".md", ".csv"}:
                continue
            for refs in re.findall(
                r"docs/method\.md,? sections? ([\d, and\-]+)", path.read_text(errors="ignore")
            ):
                for a, b in re.findall(r"(\d+)(?:-(\d+))?", refs):
                    cited |= set(range(int(a), int(b or a) + 1))
    assert cited, "no reference found: the pattern no longer matches the texts"
    assert cited <= sections, sorted(cited - sections)
