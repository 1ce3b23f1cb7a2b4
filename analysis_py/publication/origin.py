"""Where a publication's figures come from, in plain words (the report's banner, the
publication record, the tables' descriptions), from the build's settings alone."""

from __future__ import annotations

# the first words of every published table's comment and Parquet description: what a BI
# user reads first, whichever table they open
ORIGIN_LABELS = {
    "synthetic_sample": "SYNTHETIC DATA (sample generated with seed {seed}): invented "
    "communes and rates, not real places or behaviour.",
    "published_derivative_with_synthetic_sources": "THE AUTHORS' PUBLISHED DERIVATIVE "
    "(cpc_com.csv, GPL-3) for the traffic totals; SYNTHETIC DATA (seed {seed}) for every "
    "other source and for the commune outlines and names.",
    "published_derivative": "THE AUTHORS' PUBLISHED DERIVATIVE (cpc_com.csv, GPL-3) for "
    "the traffic totals; other sources from {raw_dir}.",
    "raw_folder": "COMPUTED FROM THE RAW FILES IN {raw_dir} (exploratory estimates).",
}


# written into every figure's own image (analysis_py.report.charts.origin_banner)
FIGURE_BANNERS = {
    "synthetic_sample": "SYNTHETIC DATA (seed {seed}): invented communes and rates",
    "published_derivative_with_synthetic_sources": "Authors' published totals; other sources "
    "and outlines SYNTHETIC (seed {seed})",
    "published_derivative": "The study authors' published derivative (cpc_com.csv)",
    "raw_folder": "Computed from the raw files in {raw_dir}",
}


def data_origin(settings: dict) -> dict:
    """Where the published figures come from, in plain words: ``label``, one sentence
    that opens every published table's comment and Parquet description, and
    ``summary``, the report's banner.

    The build recognises the embedded sample by the manifest its generator writes
    (``<raw_dir>/_truth/manifest.json``) and records the seed in its settings
    (``synthetic_seed``, marts.dim_build_settings)."""
    seed = settings.get("synthetic_seed")
    synthetic = seed is not None
    published = settings["traffic_source"] == "published"
    if published and synthetic:
        kind = "published_derivative_with_synthetic_sources"
        summary = (
            "The commune traffic totals are the study authors' published derivative "
            "(cpc_com.csv): the estimates of cpc are theirs, recomputed. Every other source "
            f"(population, crime, elections, POIs, Trends) is the synthetic sample (seed {seed})"
            ": those columns and every relation to them are invented and say nothing about "
            "real communes; tile-level views are unavailable."
        )
    elif published:
        kind = "published_derivative"
        summary = (
            "The commune traffic totals are the study authors' published derivative "
            "(cpc_com.csv), with the other sources read from "
            f"{settings['raw_dir']}. Tile-level views are unavailable."
        )
    elif synthetic:
        kind = "synthetic_sample"
        summary = (
            f"Every figure comes from the synthetic sample generated with seed {seed} "
            "(analysis_py.synth): invented communes, traffic and statistics in the "
            "publishers' file layouts, with planted truths for the tests. Nothing here "
            "describes a real commune or real behaviour."
        )
    else:
        kind = "raw_folder"
        summary = (
            f"Computed from the raw files in {settings['raw_dir']} (NetMob traffic, INSEE, "
            "SSMSI, elections, Overture, Google Trends) as the user supplied them. "
            "Exploratory estimates: see the cautions."
        )
    return {
        "kind": kind,
        "label": ORIGIN_LABELS[kind].format(seed=seed, raw_dir=settings["raw_dir"]),
        "figure_banner": FIGURE_BANNERS[kind].format(seed=seed, raw_dir=settings["raw_dir"]),
        "synthetic_seed": seed,
        "traffic_source": settings["traffic_source"],
        "raw_dir": settings["raw_dir"],
        "summary": summary,
    }
