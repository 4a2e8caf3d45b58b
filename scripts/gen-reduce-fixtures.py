#!/usr/bin/env python3
"""Golden fixtures for reductions (test/fixtures/reductions.json): NumPy's results over strided views,
with ndgpu's 32-bit result dtypes (sum of int8 is int32 in ndgpu, int64 in NumPy: the expected values
are NumPy's 64-bit results wrapped to 32 bits, which is what 32-bit accumulation gives).
Run: python3 scripts/gen-reduce-fixtures.py
"""
import json
import os

import numpy as np

rng = np.random.default_rng(20261127)
OPS = ['sum', 'prod', 'mean', 'min', 'max', 'argmin', 'argmax', 'any', 'all']
DTYPES = ['bool', 'int8', 'uint8', 'int16', 'int32', 'uint32', 'float16', 'float32']


def ndgpu_result_dtype(op, dtype):
    d = np.dtype(dtype)
    if op in ('argmin', 'argmax'):
        return 'int32'
    if op in ('any', 'all'):
        return 'bool'
    if op in ('min', 'max'):
        return dtype
    if op == 'mean':
        return dtype if d.kind == 'f' else 'float32'  # NumPy: float64 for integers and bools
    # sum, prod
    if d.kind == 'f':
        return dtype
    return 'uint32' if d.kind == 'u' else 'int32'


def encode(values):
    out = []
    for v in np.asarray(values).ravel().tolist():
        if isinstance(v, float):
            out.append('nan' if v != v else ('inf' if v == float('inf') else ('-inf' if v == float('-inf') else v)))
        else:
            out.append(v)
    return out


def source(dtype, shape):
    size = int(np.prod(shape))
    d = np.dtype(dtype)
    if d.kind == 'b':
        return rng.random(size) < 0.7
    if d.kind == 'f':
        return (rng.standard_normal(size) * 4).astype(dtype)
    info = np.iinfo(d)
    low, high = max(info.min, -50), min(info.max, 50)
    return rng.integers(low, high + 1, size).astype(dtype)


def main():
    cases = []
    shapes = [(7,), (3, 4), (2, 3, 5), (4, 1, 3, 2), (300,), (33, 65), (5000,)]
    views = ['', '::-1', '::2', 'T']
    for op in OPS:
        for dtype in DTYPES:
            if op == 'prod' and dtype.startswith('float16'):
                continue
            for shape in shapes:
                for view in views:
                    data = source(dtype, shape)
                    a = data.reshape(shape)
                    if view == 'T':
                        v = a.T
                    elif view:
                        v = a[slice(None, None, -1) if view == '::-1' else slice(None, None, 2)]
                    else:
                        v = a
                    axis_options = [None] + list(range(-v.ndim, v.ndim)) + ([tuple(range(0, v.ndim, 2))] if v.ndim > 2 else [])
                    for axis in axis_options:
                        if op in ('argmin', 'argmax') and isinstance(axis, tuple):
                            continue
                        keepdims = bool(rng.random() < 0.3) and op not in ('argmin', 'argmax')
                        if v.size == 0:
                            continue
                        kwargs = {'axis': axis, 'keepdims': keepdims} if op not in ('argmin', 'argmax') else {'axis': axis}
                        if op in ('sum', 'prod'):
                            wide = {'u': np.uint64, 'i': np.int64, 'b': np.int64}.get(np.dtype(dtype).kind)
                            r = getattr(np, op)(v, dtype=wide, **kwargs) if wide else getattr(np, op)(v, **kwargs)
                        else:
                            r = getattr(np, op)(v, **kwargs)
                        rd = ndgpu_result_dtype(op, dtype)
                        with np.errstate(all='ignore'):
                            r = np.asarray(r).astype(rd) if np.asarray(r).dtype.kind in 'iub' or rd in ('float16', 'float32') else np.asarray(r)
                        cases.append({
                            'op': op, 'dtype': dtype, 'shape': list(shape), 'data': encode(data), 'view': view,
                            'axis': list(axis) if isinstance(axis, tuple) else axis, 'keepdims': keepdims,
                            'resultDtype': rd, 'resultShape': list(np.shape(r)), 'expected': encode(r),
                        })
    # Keep the file small: a deterministic sample of the big cases.
    small = [c for c in cases if len(c['data']) <= 300][::7]
    big = [c for c in cases if len(c['data']) > 300][::40]
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'reductions.json')
    with open(path, 'w') as f:
        json.dump({'numpy': np.__version__, 'cases': small + big}, f)
    print(f'wrote {len(small) + len(big)} reduction cases')


if __name__ == '__main__':
    main()
