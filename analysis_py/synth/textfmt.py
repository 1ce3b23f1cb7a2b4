"""Vectorised text formatting for NetMob-style traffic files.

Formatting numbers one by one in Python is the slow part of writing multi-GB text.
Here every value of a block is laid out as fixed-width words gathered from lookup
tables of ASCII digits (base-1000 groups), padding bytes fill the unused positions,
and one boolean mask drops the padding, so a 20,000 x 97 file formats in a fraction
of a second.

The text of a value equals Python's ``repr`` of the value rounded to 3 decimals
(``0.0``, ``14.5``, ``40.092``, ``1523.415``), which is also what DuckDB's CSV writer
prints; the unit tests check it against ``repr``.
"""

from __future__ import annotations

import numpy as np

_PAD = 0  # byte value dropped by the final mask
_GROUPS = 4  # base-1000 groups of the integer part: values below 10**12
_MAX_INT = 1000**_GROUPS


def _words(texts: list[str], n_bytes: int) -> np.ndarray:
    """Pack ASCII strings as little-endian uint32 words; '~' and unused bytes are _PAD."""
    raw = np.zeros((len(texts), n_bytes), dtype=np.uint8)
    for i, text in enumerate(texts):
        raw[i, : len(text)] = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    raw[raw == ord("~")] = _PAD
    return raw.view("<u4")


# every group 000..999 with its leading zeros (inner groups) ...
_FULL = _words([f"{i:03d}" for i in range(1000)], 4)[:, 0]
# ... and without them (the most significant group of a number)
_LEAD = _words([str(i) for i in range(1000)], 4)[:, 0]
# fraction of a value: '.', digits without trailing zeros (at least one), padding to
# four bytes, then the separator at a fixed place (byte 4)
_FRAC = _words(
    [("." + (f"{i:03d}".rstrip("0") or "0")).ljust(4, "~") + " " for i in range(1000)], 8
)
_WORDS_PER_VALUE = _GROUPS + 2
_BYTES_PER_VALUE = 4 * _WORDS_PER_VALUE
_SEPARATOR_BYTE = 4 * _GROUPS + 4  # position of ' ' inside a value's bytes
# 10**3, 10**6, 10**9: a number needs group g when it is >= 1000**g
_GROUP_THRESHOLDS = 1000.0 ** np.arange(1, _GROUPS)


def _integer_words(ints: np.ndarray) -> np.ndarray:
    """(n, _GROUPS) uint32 words holding the ASCII digits of non-negative integers."""
    n_groups = np.searchsorted(_GROUP_THRESHOLDS, ints, side="right") + 1
    words = np.empty((_GROUPS, ints.size), dtype=np.uint32)
    rest = ints
    for g in range(_GROUPS - 1, -1, -1):  # least significant group is the last word
        # float64 holds these integers exactly and divides far faster than int64
        upper = np.floor(rest / 1000.0)
        group = (rest - upper * 1000.0).astype(np.intp)
        rest = upper
        position = _GROUPS - g  # 1 for the least significant group
        words[g] = np.where(
            position < n_groups, _FULL[group], np.where(position == n_groups, _LEAD[group], _PAD)
        )
    return words.T


def format_traffic_rows(tile_ids: np.ndarray, values: np.ndarray) -> bytes:
    """Format ``tile_id v1 .. vk`` rows, single-space separated, ``\\n`` terminated.

    ``values`` must be finite, non-negative and below 10**12; they are rounded to
    3 decimals.
    """
    values = np.asarray(values, dtype=np.float64)
    tile_ids = np.asarray(tile_ids)
    if values.ndim != 2:
        raise ValueError("values must be a 2-D array (rows x values)")
    n_rows, n_values = values.shape
    if tile_ids.shape != (n_rows,):
        raise ValueError("tile_ids must have one entry per row of values")
    if n_rows == 0:
        return b""
    if not np.isfinite(values).all() or (values < 0).any() or (tile_ids < 0).any():
        raise ValueError("traffic values and tile ids must be finite and non-negative")
    milli = np.rint(values * 1000.0).ravel()
    if milli.max(initial=0) >= _MAX_INT * 1000.0 or tile_ids.max() >= _MAX_INT:
        raise ValueError("number too large for the fixed-width formatter (limit 10**12)")
    ints = np.floor(milli / 1000.0)
    frac = (milli - ints * 1000.0).astype(np.intp)

    value_words = np.empty((ints.size, _WORDS_PER_VALUE), dtype=np.uint32)
    value_words[:, :_GROUPS] = _integer_words(ints)
    value_words[:, _GROUPS:] = _FRAC[frac]
    value_bytes = value_words.view(np.uint8).reshape(n_rows, n_values * _BYTES_PER_VALUE)
    value_bytes[:, (n_values - 1) * _BYTES_PER_VALUE + _SEPARATOR_BYTE] = ord("\n")

    id_words = np.empty((n_rows, _GROUPS + 1), dtype=np.uint32)
    id_words[:, :_GROUPS] = _integer_words(tile_ids.astype(np.float64))
    id_words[:, _GROUPS] = ord(" ")  # little-endian: the space, then three pad bytes
    id_bytes = id_words.view(np.uint8).reshape(n_rows, -1)

    rows = np.concatenate([id_bytes, value_bytes], axis=1).ravel()
    return rows[rows != _PAD].tobytes()
