#!/usr/bin/env python3
"""Golden fixtures for casts between every pair of ndgpu's dtypes (test/fixtures/casts.json).

For each source dtype: values chosen to expose conversion mistakes (bounds, ties, subnormals, NaN,
infinities, signed zeros, values just past an integer dtype's range). For each target dtype: NumPy's
result where NumPy defines one; where C leaves it undefined (NaN or an out-of-range float into an
integer), ndgpu's documented rule instead: truncate, saturate at the target's bounds, NaN -> 0.
Floats NaN results are ndgpu's canonical quiet NaN (NumPy may keep a payload; ndgpu defines the bits).
Everything is stored as little-endian hex bytes so that JSON holds every bit pattern.
Run: python3 scripts/gen-cast-fixtures.py
"""
import json
import math
import os
import warnings

import numpy as np

DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float16', 'float32', 'float64', 'int64', 'uint64']
CANONICAL_NAN = {'float16': 0x7E00, 'float32': 0x7FC00000, 'float64': 0x7FF8000000000000}
rng = np.random.default_rng(20261126)


def source_values(dtype):
    dt = np.dtype(dtype)
    if dt.kind == 'b':
        return np.array([False, True], dtype=dt)
    if dt.kind in 'iu':
        info = np.iinfo(dt)
        candidates = [0, 1, -1, 2, 3, 7, 100, 127, 128, 129, 200, 255, 256, 257, 1000, 32767, 32768, 32769, 65504, 65519, 65520,
                      65535, 65536, 2**24 - 1, 2**24, 2**24 + 1, 2**24 + 3, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**53 - 1, 2**53 + 1,
                      2**53 + 3, 2**62 + 2**40 + 1, 2**63 - 1, 2**64 - 1]
        values = set()
        for c in candidates:
            for v in (c, -c, info.min, info.max, info.min + 1, info.max - 1):
                if info.min <= v <= info.max:
                    values.add(int(v))
        width = min(info.bits, 62)
        for _ in range(24):
            v = int(rng.integers(0, 2**width)) + info.min if info.min < 0 else int(rng.integers(0, 2**width))
            if info.min <= v <= info.max:
                values.add(v)
        return np.array(sorted(values), dtype=dt)
    finfo = np.finfo(dt)
    specials = [0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.1, 1 / 3, 1.0, -1.0, 127.9, 128.0, -128.9, -129.0, 255.5, 256.0,
                -1e-3, 32767.5, 32768.0, -32768.9, 65504.0, 65519.0, 65520.0, 1e5, 2147483520.0, 2147483648.0, -2147483904.0,
                4294967040.0, 4294967296.0, 1e10, -1e10, 9.2e18, 1.9e19, 1e20, 3e38, 1e300, 5e-324, 1e-310, 2.0**-24, 2.0**-25,
                2.0**-126, 2.0**-149, 1 + 2.0**-11, 1 + 3 * 2.0**-11, 1 + 2.0**-24, 1 + 2.0**-23 + 2.0**-24, 2049.0, 2051.0,
                16777217.0, float('inf'), float('-inf'), float('nan')]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        values = [np.array(v, dtype=np.float64).astype(dt) for v in specials]
        for scale in (1e-6, 1e-2, 1.0, 1e2, 1e4, 1e6, 1e9, 1e12):
            values += list((rng.standard_normal(3) * scale).astype(dt))
        values.append(finfo.max)
        values.append(-finfo.max)
        values.append(finfo.tiny)
        values.append(np.array(finfo.smallest_subnormal, dtype=dt))
    out = []
    seen = set()
    for v in values:
        key = np.array(v, dtype=dt).tobytes()
        if key not in seen:
            seen.add(key)
            out.append(v)
    return np.array(out, dtype=dt)


def expected(values, source, target):
    src, dst = np.dtype(source), np.dtype(target)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        result = values.astype(dst)
    if src.kind == 'f' and dst.kind in 'iu':
        info = np.iinfo(dst)
        fixed = []
        for v, r in zip(values, result):
            x = float(v)
            if math.isnan(x):
                fixed.append(0)
            elif math.isinf(x) or not (info.min <= math.trunc(x) <= info.max):
                fixed.append(info.max if x > 0 else info.min)
            else:
                fixed.append(int(r))
        result = np.array(fixed, dtype=dst)
    if dst.kind == 'f':
        bits = result.view(f'u{dst.itemsize}').copy()
        bits[np.isnan(result)] = CANONICAL_NAN[target]
        result = bits.view(dst)
    return result


def main():
    cases = []
    for source in DTYPES:
        values = source_values(source)
        for target in DTYPES:
            cases.append({
                'from': source,
                'to': target,
                'source': values.tobytes().hex(),
                'expected': expected(values, source, target).tobytes().hex(),
            })
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'casts.json')
    with open(path, 'w') as f:
        json.dump({'numpy': np.__version__, 'cases': cases}, f, indent=0)
    print(f'wrote {len(cases)} dtype pairs to {os.path.normpath(path)}')


if __name__ == '__main__':
    main()
