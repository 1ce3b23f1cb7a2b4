"""Seeded synthetic raw data in the publishers' layouts, with planted truths.

Run ``cpc-tor synth --out DIR --seed N``; see :mod:`analysis_py.synth.core`.
"""

from analysis_py.synth.core import Options, generate

__all__ = ["Options", "generate"]
