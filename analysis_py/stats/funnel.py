"""Funnel plot of rates across areas of unequal size (Spiegelhalter 2005, "Funnel plots
for comparing institutional performance", Statistics in Medicine 24:1185-1202, and
"Handling over-dispersion of performance indicators", Quality and Safety in Health Care
14:347-351): the target rate, each area's z-score, the over-dispersion factor and the
control limits as a function of the population.

Written by hand: no maintained Python library draws funnel limits (R's FunnelPlotR
does; statsmodels and PySAL do not). The rate is per 1000 inhabitants, its variance
under the null Poisson-like, var(y_i) = phi x theta x 1000 / n_i, with phi estimated
from the Winsorised z-scores (Spiegelhalter 2005, QSHC, section "Estimating
over-dispersion"). With phi the limits do not depend on the unit of the counts: cpc is
an operator-normalised traffic volume, not a count of events, so phi is always
estimated (never set to 1 when it is below 1: the limits are then the data's own
spread).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Funnel:
    target: float  # theta: the overall rate, sum(counts) x 1000 / sum(population)
    phi: float  # the over-dispersion factor
    z: np.ndarray  # each area's z-score against theta, before over-dispersion

    def limits(self, population: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
        """The two-sided ``level`` control limits of the rate at ``population``."""
        z = stats.norm.ppf(0.5 + level / 2)
        half = z * np.sqrt(self.phi * self.target * 1000.0 / np.asarray(population, float))
        return self.target - half, self.target + half

    def outside(self, rates: np.ndarray, population: np.ndarray, level: float) -> np.ndarray:
        """Whether each area's rate lies outside the ``level`` limits at its population."""
        low, high = self.limits(population, level)
        rates = np.asarray(rates, float)
        return (rates < low) | (rates > high)


def winsor_factor(winsor: float) -> float:
    """E[Z^2] of a standard normal Winsorised at its ``winsor`` and 1 - ``winsor``
    quantiles (0.679 at 10 %): the share of phi that Spiegelhalter's Winsorised mean
    square recovers when the z-scores are normal."""
    if winsor == 0:
        return 1.0
    a = stats.norm.ppf(1 - winsor)
    return float(2 * ((stats.norm.cdf(a) - 0.5) - a * stats.norm.pdf(a) + winsor * a**2))


def funnel(
    rates: np.ndarray, population: np.ndarray, winsor: float = 0.1, consistent: bool = True
) -> Funnel:
    """The funnel of per-1000 ``rates`` over areas of ``population``: theta the
    population-weighted rate, z_i = (y_i - theta) / sqrt(theta x 1000 / n_i), phi the
    mean square of the z-scores Winsorised at ``winsor`` in each tail (Spiegelhalter
    2005, QSHC: 10 %). ``consistent`` (the default, this project's choice) divides it by
    :func:`winsor_factor`, so that phi is estimated without bias when the areas' z-scores
    are normal: Spiegelhalter's own estimate (``consistent=False``) is 0.68 phi, and its
    95 % limits hold about 89 % of the ordinary areas, not 95 %."""
    rates = np.asarray(rates, float)
    population = np.asarray(population, float)
    if rates.shape != population.shape or rates.size < 3:
        raise ValueError("a funnel needs at least 3 areas, one population per rate")
    if (population <= 0).any() or not np.isfinite(rates).all():
        raise ValueError("a funnel needs positive populations and finite rates")
    counts = rates * population / 1000.0
    target = counts.sum() * 1000.0 / population.sum()
    z = (rates - target) / np.sqrt(target * 1000.0 / population)
    low, high = np.quantile(z, [winsor, 1 - winsor])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    if consistent:
        phi /= winsor_factor(winsor)
    return Funnel(float(target), phi, z)
