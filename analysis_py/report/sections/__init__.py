"""The report's sections, one function per figure or table of the paper (and the
project's additions), grouped by part: each reads the publication's marts and returns a
:class:`~analysis_py.report.sections.common.Section` the page template lays out. A
section whose marts are absent is ``unavailable`` with the reason; values the
publication suppressed are drawn as suppressed, never estimated."""

from __future__ import annotations

from analysis_py.report.data import Publication
from analysis_py.report.sections.common import LISA_COLOURS, Section
from analysis_py.report.sections.communes import commune_table, funnel_plot
from analysis_py.report.sections.estimate import figure1, figure5, sensitivity, table1
from analysis_py.report.sections.patterns import figure3, figure4, lisa, moran, table4
from analysis_py.report.sections.sources import keyword_filter, source_audit
from analysis_py.report.sections.validation import (
    figure2,
    regression_table,
    robustness,
    table2,
)

__all__ = ["LISA_COLOURS", "Section", "sections"]


def sections(pub: Publication) -> list[tuple[str, list[Section]]]:
    """The report's parts, in reading order."""
    return [
        ("Estimate", [figure1(pub), table1(pub), sensitivity(pub)]),
        ("Communes", [commune_table(pub), funnel_plot(pub), figure5(pub)]),
        (
            "Validation and correlates",
            [figure2(pub), table2(pub), robustness(pub), regression_table(pub, 3)],
        ),
        (
            "Spatial and temporal patterns",
            [moran(pub), lisa(pub), figure3(pub), figure4(pub), table4(pub)],
        ),
        ("The keyword filter", [keyword_filter(pub)]),
        ("Sources", [source_audit(pub)]),
        (
            "Robustness (appendix)",
            [regression_table(pub, 5), regression_table(pub, 6), regression_table(pub, 7)],
        ),
    ]
