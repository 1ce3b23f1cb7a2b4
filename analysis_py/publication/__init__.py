"""What leaves the build: the atomic publication for BI (:mod:`publish`, with the
manifest rules of :mod:`manifest` and the data's origin of :mod:`origin`), the Great
Expectations suites and drift checks that gate it (:mod:`quality`), the parity check
between two publications (:mod:`parity`) and the regression tables' export
(:mod:`export`)."""
