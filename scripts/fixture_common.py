"""What the fixture generators share: how a value is written to JSON, and ndgpu's 32-bit rule.

Imported by the scripts beside it (`python3 scripts/gen-*.py` puts this folder on the import path).
"""

import math

import numpy as np


def narrow(dtype, operand_dtypes):
    """ndgpu's 32-bit rule: a 64-bit type NumPy chose becomes 32-bit when no array operand is 64-bit."""
    dt = np.dtype(dtype)
    if dt.itemsize < 8 or any(np.dtype(d).itemsize == 8 for d in operand_dtypes):
        return dt.name
    return {'f': 'float32', 'i': 'int32', 'u': 'uint32'}[dt.kind]


def encode(v, big_ints_as_strings=False):
    """A value as JSON: NaN, infinities and -0 as strings, integral floats as ints; integers beyond 2^53
    as strings where asked (JSON numbers read in JavaScript would round them)."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        v = int(v)
        return str(v) if big_ints_as_strings and abs(v) >= 2**53 else v
    x = float(v)
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    if x == 0 and math.copysign(1, x) < 0:
        return '-0'
    if x == int(x) and abs(x) < 2**53:
        return int(x)  # shorter JSON; the test reads numbers
    return x
