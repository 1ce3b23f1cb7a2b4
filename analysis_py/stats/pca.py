"""PCA of standardised variables (docs/method.md section 7), on scikit-learn, as the authors
ran it: StandardScaler (population standard deviation) then PCA.

The sign of a principal component is arbitrary; the rule that fixes it is a parameter:

- ``scores`` (default, the authors'): each component's region score of largest absolute
  value is positive, scikit-learn's ``svd_flip`` on the scores (``u_based_decision``),
  as its PCA did up to version 1.4, which the authors ran;
- ``loadings``: each component's largest absolute loading is positive (scikit-learn's
  PCA's own convention since 1.5).

Ties go to the first row or term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SIGN_RULES = ("scores", "loadings")


@dataclass(frozen=True)
class PCAResult:
    loadings: pd.DataFrame  # terms x components (unit eigenvectors)
    explained_variance_ratio: np.ndarray
    explained_variance: np.ndarray
    scores: pd.DataFrame  # rows x components
    means: pd.Series
    scales: pd.Series


def pca(frame: pd.DataFrame, n_components: int, sign_rule: str = "scores") -> PCAResult:
    """PCA of the standardised columns of ``frame`` (scikit-learn StandardScaler + PCA,
    full SVD), signs by ``sign_rule``. Constant columns cannot be standardised and
    raise, naming them; so does a number of components above the data's rank bound."""
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler
    from sklearn.utils.extmath import svd_flip

    if sign_rule not in SIGN_RULES:
        raise ValueError(f"sign_rule must be one of {SIGN_RULES}, got {sign_rule!r}")
    if n_components > min(frame.shape):
        raise ValueError(
            f"n_components {n_components} exceeds the data's rank bound {min(frame.shape)}"
        )
    constant = [c for c in frame.columns if frame[c].nunique(dropna=False) <= 1]
    if constant:
        raise ValueError(f"constant columns cannot be standardised: {constant}")
    scaler = StandardScaler().fit(frame.to_numpy(dtype=float))
    z = scaler.transform(frame.to_numpy(dtype=float))
    model = PCA(n_components=n_components, svd_solver="full").fit(z)
    scores = model.transform(z)
    components = model.components_
    # svd_flip(u, v): with u_based_decision the rows' scores decide each sign, else the
    # loadings do; it returns both flipped consistently
    scores, components = svd_flip(scores, components, u_based_decision=sign_rule == "scores")
    names = [f"PC{i + 1}" for i in range(n_components)]
    return PCAResult(
        loadings=pd.DataFrame(components.T, index=frame.columns, columns=names),
        explained_variance_ratio=model.explained_variance_ratio_,
        explained_variance=model.explained_variance_,
        scores=pd.DataFrame(scores, index=frame.index, columns=names),
        means=pd.Series(scaler.mean_, index=frame.columns),
        scales=pd.Series(scaler.scale_, index=frame.columns),
    )
