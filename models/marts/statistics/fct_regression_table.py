"""The paper-style regression tables (side-by-side columns, stars, robust SE, N, R2,
adjusted R2), one row per paper table x line, cells as text. Thin adapter."""


def model(dbt, session):
    dbt.config(materialized="table")
    import pandas as pd

    from analysis_py.validation import regression_table

    tidy = dbt.ref("fct_regressions").df()
    variables = dbt.ref("regression_variables").df()
    labels = dict(zip(variables["column_name"], variables["paper_label"], strict=True))
    frames = []
    for paper_table in sorted(tidy["paper_table"].dropna().unique()):
        table = regression_table(tidy, labels, paper_table)
        long = table.reset_index().melt(id_vars="term", var_name="column_label", value_name="cell")
        long.insert(0, "paper_table", paper_table)
        long.insert(2, "line_order", long.groupby("column_label").cumcount())
        frames.append(long)
    columns = ["paper_table", "term", "line_order", "column_label", "cell"]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )
