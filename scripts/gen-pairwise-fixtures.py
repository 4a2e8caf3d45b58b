#!/usr/bin/env python3
"""Golden fixtures for the CPU backend's float sums (test/fixtures/pairwise.json): NumPy's pairwise
summation of float32 and float64 runs long enough to recurse (blocks of 128, halves), contiguous and
strided, where NumPy hands the whole run to one inner loop; NumPy's one-at-a-time order where its
iterator runs a kept axis innermost (sums down columns, over outer axes, of transposed and broadcast
views: `out += a[i]`, each addition rounded, float16 included); and, over several axes with a reduced
one innermost, pairwise runs whose sums are added one at a time. The CPU backend must give these sums bit
for bit. Values are ((i * 7919) % 10007) / 1013 - 5 (exact in float64 in Python and JavaScript alike),
cast. Optional case fields, applied in this order: shape (reshape), view (an index), transpose (axes),
broadcast (a row broadcast to this shape), then op (default 'sum') over axis.
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

# NumPy's sequential order: the kept axis innermost in memory.
for dtype in ['float16', 'float32', 'float64']:
    def add(count, shape, axis, view='', transpose=None, broadcast=None, op='sum'):
        a = values(count, dtype).reshape(shape)
        if view:
            a = eval(f'a[{view}]')
        if transpose:
            a = a.transpose(transpose)
        if broadcast:
            a = np.broadcast_to(a, broadcast)
        r = getattr(a, op)(axis=tuple(axis) if isinstance(axis, list) else axis)
        case = {'dtype': dtype, 'count': count, 'shape': list(shape), 'view': view, 'axis': axis, 'op': op,
                'expected': [float(x) for x in np.ravel(r)]}
        if transpose:
            case['transpose'] = list(transpose)
        if broadcast:
            case['broadcast'] = list(broadcast)
        cases.append(case)
    add(300 * 37, (300, 37), 0)
    add(300 * 37, (300, 37), 0, op='mean')
    add(300 * 37, (300, 37), 0, view='::-1')
    add(300 * 37, (300, 37), 0, view=':, ::2')
    add(5000 * 3, (5000, 3), 0)
    add(20 * 15 * 17, (20, 15, 17), [0, 1])
    add(20 * 15 * 17, (20, 15, 17), 1)
    add(20 * 15 * 17, (20, 15, 17), 0)
    add(20 * 15 * 17, (20, 15, 17), [0, 1], transpose=[1, 0, 2])
    add(500 * 33, (500, 33), 1, transpose=[1, 0])
    add(37, (37,), 0, broadcast=[300, 37])
    # Several reduced axes, a reduced one innermost: pairwise runs, their sums added one at a time.
    add(6 * 7 * 300, (6, 7, 300), [0, 2])
    add(6 * 7 * 300, (6, 7, 300), [0, 2], op='mean')
    add(4 * 5 * 6 * 200, (4, 5, 6, 200), [0, 1, 3])
    add(4 * 5 * 6 * 200, (4, 5, 6, 200), [0, 3])
    add(6 * 7 * 3000, (6, 7, 3000), [0, 2])
    add(6 * 7 * 300, (6, 7, 300), [0, 2], transpose=[2, 1, 0])
    add(6 * 7 * 300, (6, 7, 300), [0, 2], view=':, :, ::2')
    add(6 * 7 * 300, (6, 7, 300), [0, 2], view='::-1')

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'pairwise.json')
with open(out, 'w') as f:
    json.dump({'numpy': np.__version__, 'cases': cases}, f, indent=None, separators=(',', ':'))
print(f'wrote {len(cases)} cases to {out}')
