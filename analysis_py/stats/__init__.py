"""The methods as pure functions on arrays and frames, one module per method; the dbt
Python models call them, the tests pin them to published test vectors and planted
truths. Nothing here reads a file, prints or draws.

- :mod:`correlation`: Spearman, dependent-correlation tests, Bonett-Wright and Zou intervals;
- :mod:`regression`: OLS with robust and cluster-robust SE, Benjamini-Hochberg, the tidy table;
- :mod:`validation`: Table 2, its intervals and its robustness;
- :mod:`bootstrap`: the bootstrap over days of the commune correlations;
- :mod:`pca`, :mod:`trends`: the Google Trends PCA;
- :mod:`spatial`, :mod:`counts`: spatial dependence and count models;
- :mod:`keywords`, :mod:`assessment`: the query filter and its error rates.
"""
