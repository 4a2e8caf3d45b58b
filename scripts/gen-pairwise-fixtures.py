#!/usr/bin/env python3
"""Golden fixtures for the CPU backend's float sums (test/fixtures/pairwise.json): NumPy's pairwise
summation of float32 and float64 runs long enough to recurse (blocks of 128, halves), contiguous and
strided, where NumPy hands the whole run to one inner loop. The CPU backend must give these sums bit for
bit. Values are ((i * 7919) % 10007) / 1013 - 5 (exact in float64 in Python and JavaScript alike), cast.
Run: python3 scripts/gen-pairwise-fixtures.py
"""
import json
import os

import numpy as np


def values(count, dtype):
    i = np.arange(count, dtype=np.float64)
    return (((i * 7919) % 10007) / 1013 - 5).astype(dtype)


cases = []
for dtype in ['float32', 'float64']:
    for n in [7, 8, 127, 128, 129, 1000, 4099, 100003]:
        a = values(n, dtype)
        cases.append({'dtype': dtype, 'count': n, 'view': '', 'axis': None, 'expected': [float(a.sum())]})
        if n <= 4099:
            # Rows of a 2-D array: each row is one contiguous run.
            m = values(3 * n, dtype).reshape(3, n)
            cases.append({'dtype': dtype, 'count': 3 * n, 'shape': [3, n], 'view': '', 'axis': 1,
                          'expected': [float(x) for x in m.sum(axis=1)]})
            # A strided run: every third element.
            s = values(3 * n, dtype)[::3]
            cases.append({'dtype': dtype, 'count': 3 * n, 'view': '::3', 'axis': None, 'expected': [float(s.sum())]})

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'pairwise.json')
with open(out, 'w') as f:
    json.dump({'numpy': np.__version__, 'cases': cases}, f, indent=None, separators=(',', ':'))
print(f'wrote {len(cases)} cases to {out}')
