#!/usr/bin/env python3
"""Golden fixtures for float sums and means with many short outputs (test/fixtures/short-sums.json): rows
of 1 to 20 items and some longer (blocks of 8, the pairwise block of 128 and past it), float32 and
float64, each row summed by NumPy's pairwise loop (below 8 items one at a time from 0, then eight partial
sums), and the same rows down columns, where NumPy's iterator adds one row at a time. The CPU backend must
give these sums bit for bit on both of its paths (test/short-sums.test.ts).

Each case is `base` values reshaped to `shape`, then `view` (an index), then `transpose` (reverses the
axes), reduced by `op` over `axis`, with keepdims or into an `out` of the result's dtype where set.
Values: ((i * 7919) % 10007) / 1013 - 5, times 2 ** ((i * 13) % 9 - 4) (magnitudes over eight binades,
so that the order of additions shows in the rounding), computed in float64 (the same bits in Python and
JavaScript), then cast. `scale` is the largest sum of magnitudes among the outputs (divided by the count
for a mean): the bound the GPU's tree-ordered sums are checked against.
Run: python3 scripts/gen-short-sum-fixtures.py
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from fixture_common import encode  # noqa: E402

ROWS = 13  # outputs: two vectors of float32 sums, one more, and one alone
LENGTHS = list(range(1, 21)) + [24, 31, 64, 127, 128, 129, 300]


def values(count, dtype):
    i = np.arange(count, dtype=np.float64)
    return ((((i * 7919) % 10007) / 1013 - 5) * np.exp2((i * 13) % 9 - 4)).astype(dtype)


cases = []


def add(dtype, shape, axis, view='', transpose=False, op='sum', keepdims=False, out=False):
    count = int(np.prod(shape))
    a = values(count, dtype).reshape(shape)
    if view:
        a = eval(f'a[{view}]')
    if transpose:
        a = a.T
    r = getattr(a, op)(axis=axis, keepdims=keepdims)
    n = a.shape[axis]
    scale = float(np.abs(a.astype(np.float64)).sum(axis=axis).max()) / (n if op == 'mean' else 1)
    case = {'dtype': dtype, 'count': count, 'shape': list(shape), 'view': view, 'transpose': transpose,
            'op': op, 'axis': axis, 'keepdims': keepdims, 'out': out, 'resultShape': list(r.shape),
            'scale': scale, 'expected': [encode(x) for x in np.ravel(r)]}
    cases.append(case)


for dtype in ['float32', 'float64']:
    for n in LENGTHS:
        # Each row one contiguous run.
        add(dtype, (ROWS, n), 1, keepdims=n % 3 == 0, out=n % 3 == 1)
        # Rows down columns (the kept axis innermost): a transposed view, and reversed rows.
        add(dtype, (n, ROWS), 1, transpose=True, keepdims=n % 3 == 1, out=n % 3 == 2)
        add(dtype, (n, ROWS), 0, view='::-1', out=n % 3 == 0)
        # Runs read backwards, and runs of every other item.
        add(dtype, (ROWS, n), 1, view='::-1, ::-1')
        add(dtype, (ROWS, 2 * n), 1, view=':, ::2')
        if n <= 20 or n in (128, 129):
            add(dtype, (ROWS, n), 1, op='mean', keepdims=n % 2 == 0)
            add(dtype, (n, ROWS), 1, transpose=True, op='mean', out=n % 2 == 0)
    # Kept axes that do not merge: the runs of the last kept axis for each position of the one before.
    for n in [2, 5, 9, 130]:
        add(dtype, (5, 6, n), 2, view=':, ::2, :')
        add(dtype, (5, n, 6), 1, view='::-1, :, ::2')

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'short-sums.json')
with open(out, 'w') as f:
    json.dump({'numpy': np.__version__, 'cases': cases}, f, indent=None, separators=(',', ':'))
print(f'wrote {len(cases)} cases to {out}')
