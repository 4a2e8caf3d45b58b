#!/usr/bin/env python3
"""Golden fixtures for test/hardening.test.ts (test/fixtures/hardening.json): what NumPy raises (class and
message) for bad input ndgpu must refuse the same way, and the values of reductions into `out`.
Each case is keyed by an id that test/hardening.test.ts maps to the same call in ndgpu.
Run: python3 scripts/gen-hardening-fixtures.py
"""
import json
import os
import sys

import numpy as np

sys.setrecursionlimit(10000)


def nested(depth):
    value = [0]
    for _ in range(depth - 1):
        value = [value]
    return value


def cyclic():
    x = []
    x.append(x)
    return x


def setitem(a, index, value):
    a[index] = value
    return a


f32 = lambda *shape: np.zeros(shape, np.float32)
a234 = np.ones((2, 3, 4), np.float32)

ERRORS = {
    # 1. nesting: NumPy's dimension limit, for deep, cyclic and too-deep-for-the-target data
    'nest-65': lambda: np.array(nested(65)),
    'nest-100000': lambda: np.array(nested(100000)),
    'nest-cycle': lambda: np.array(cyclic()),
    'set-cycle': lambda: setitem(f32(3), slice(None), cyclic()),
    'add-cycle': lambda: np.add(f32(3), cyclic()),
    'set-too-deep': lambda: setitem(f32(3), slice(None), [[1, 2, 3]]),
    # 6. Python ints too large for a float
    'set-bigint': lambda: setitem(f32(3), 0, 10**400),
    'set-bigint-nested': lambda: setitem(f32(3), slice(None), [10**400, 1]),
    'add-bigint': lambda: np.add(f32(3), 10**400),
    'array-bigint-f32': lambda: np.array([10**400], dtype=np.float32),
    'full-bigint-f32': lambda: np.full((2,), 10**400, dtype=np.float32),
    # 7, 8. the 64-dimension limit on every path
    'reshape-65-copy': lambda: f32(2, 2).T.reshape([1] * 64 + [4]),
    'reshape-65-view': lambda: f32(1).reshape([1] * 65),
    'reshape-65-floats': lambda: f32(3).reshape([2.5] * 65),
    'expand-65': lambda: np.expand_dims(np.zeros([1] * 64, np.float32), 0),
    'broadcast-65': lambda: np.broadcast_to(f32(1), [1] * 65),
    'zeros-65': lambda: np.zeros([1] * 65, np.float32),
    'index-65': lambda: np.zeros([], np.float32)[(None,) * 65],
    'index-65-from-64': lambda: np.zeros([1] * 64, np.float32)[None],
    # 9. exact sizes
    'zeros-too-big': lambda: np.zeros([0, 2**62, 2**62], np.float32),
    'zeros-dim-past-intp': lambda: np.zeros([2**63], np.float32),
    'broadcast-too-big': lambda: np.broadcast_to(np.ones([1], np.float32), [2**62, 2**62]),
    'broadcast-too-big-0': lambda: np.broadcast_to(np.ones([1], np.float32), [0, 2**62, 2**62]),
    'reshape-overflow': lambda: f32(0).reshape(2**53, 2**53, 0),
    'add-iterator-too-big': lambda: np.add(
        np.broadcast_to(np.ones(1, np.float32), (2**40, 1)), np.broadcast_to(np.ones(1, np.float32), (1, 2**40))
    ),
    'add-array-too-big': lambda: np.add(
        np.broadcast_to(np.ones(1, np.float32), (2**31, 1)), np.broadcast_to(np.ones(1, np.float32), (1, 2**31))
    ),
    # 10. wording
    'index-2p53': lambda: f32(3)[9007199254740993],
    'index-2p53-axis1': lambda: f32(3, 4)[0, 9007199254740993],
    'index-neg-2p53': lambda: f32(3)[-9007199254740993],
    'index-int64-max': lambda: f32(3)[9223372036854775807],
    'index-2p63': lambda: f32(3)[2**63],
    'index-2p64': lambda: f32(3)[2**64],
    'index-huge': lambda: f32(3)[99999999999999999999],
    'index-huge-second': lambda: f32(3)[0, 99999999999999999999],
    'reshape-float': lambda: f32(3).reshape(2.5, 1),
    'reshape-none': lambda: f32(3).reshape(3, None),
    'reshape-str': lambda: f32(3).reshape('3'),
    'sum-axis-str': lambda: f32(2, 3).sum('0'),
    'sum-axis-float': lambda: f32(2, 3).sum(0.5),
    'argmax-axis-str': lambda: f32(2, 3).argmax('0'),
    'ufunc-out-three-shapes': lambda: np.add(np.ones(3, np.float32), np.ones(4, np.float32), out=np.ones(5, np.float32)),
    'ufunc-out-inputs-fail': lambda: np.add(np.ones(3, np.float32), np.ones(4, np.float32), out=np.ones(3, np.float32)),
    'ufunc-out-not-broadcastable': lambda: np.add(np.ones((2, 3), np.float32), 1, out=np.ones(3, np.float32)),
    'arange-inf': lambda: np.arange(0, np.inf),
    'arange-nan': lambda: np.arange(0, np.nan),
    'arange-huge': lambda: np.arange(0, 1e300),
    'arange-uint8': lambda: np.arange(-1, 1e8, dtype=np.uint8),
    'arange-bool': lambda: np.arange(3, dtype=bool),
    # 11. reductions into out: NumPy's checks, in its order
    'sum-out-ndim': lambda: np.sum(np.ones(3, np.float32), out=np.zeros((1,), np.float32)),
    'sum-out-ndim-keepdims': lambda: np.sum(a234, 1, keepdims=True, out=np.zeros((2, 4), np.float32)),
    'sum-out-broadcast': lambda: np.sum(np.ones((2, 3), np.float32), 0, out=np.zeros((2,), np.float32)),
    'sum-out-broadcast-newaxis': lambda: np.sum(a234, (0, 2), out=np.zeros((5,), np.float32)),
    'sum-out-broadcast-inner': lambda: np.sum(a234, 1, out=np.zeros((2, 5), np.float32)),
    'sum-out-broadcast-keepdims': lambda: np.sum(a234, 1, keepdims=True, out=np.zeros((5, 3, 4), np.float32)),
    'sum-out-input-broadcast': lambda: np.sum(np.ones((2, 1), np.float32), 0, out=np.zeros((5,), np.float32)),
    'sum-out-setup': lambda: np.sum(a234, 1, keepdims=True, out=np.zeros((1, 3, 4), np.float32)),
    'sum-out-setup-last': lambda: np.sum(a234, None, keepdims=True, out=np.zeros((2, 3, 4), np.float32)),
    'sum-out-not-enabled': lambda: np.sum(a234, 0, out=np.zeros((3, 1), np.float32)),
    'sum-out-not-enabled-last': lambda: np.sum(a234, 0, out=np.zeros((1, 1), np.float32)),
    'sum-out-not-enabled-keepdims': lambda: np.sum(a234, 1, keepdims=True, out=np.zeros((2, 1, 1), np.float32)),
    'min-out-ndim': lambda: np.min(np.ones((2, 3), np.float32), 0, out=np.zeros((2, 3), np.float32)),
    'all-out-ndim': lambda: np.all(np.ones((2, 3), np.float32), 0, out=np.zeros((2, 3), bool)),
    'mean-out-broadcast': lambda: np.mean(a234, 1, out=np.zeros((2, 5), np.float32)),
    'max-empty-out': lambda: np.max(np.zeros((2, 0), np.float32), 1, out=np.zeros((2,), np.float32)),
    'max-empty-bad-out': lambda: np.max(np.zeros((2, 0), np.float32), 1, out=np.zeros((3,), np.float32)),
    'argmax-out-shape': lambda: np.argmax(a234, 0, out=np.zeros((3,), np.int32)),
    'argmin-out-keepdims': lambda: np.argmin(a234, 0, keepdims=True, out=np.zeros((3, 4), np.int32)),
    'argmax-out-float': lambda: np.argmax(a234, 0, out=np.zeros((3, 4), np.float32)),
    'argmax-out-float-0d': lambda: np.argmax(a234, None, out=np.zeros((), np.float32)),
    'argmax-out-uint64': lambda: np.argmax(a234, 0, out=np.zeros((3, 4), np.uint64)),
    'sum-out-list': lambda: np.sum(np.ones(3, np.float32), out=[1]),
    'ufunc-out-list': lambda: np.add(np.ones(3, np.float32), 1, out=[1]),
}

_i8 = np.array([100, 100, 3], np.int8)
_f = np.array([1.5, 1.5, 1.5], np.float32)
_u8 = np.array([200, 200], np.uint8)
_half = np.array([0.1] * 2048, np.float16)
_rows = np.arange(12, dtype=np.float32).reshape(3, 4)
VALUES = {
    # reductions into `out` of another dtype: NumPy reduces sum/prod in the promotion of out and input
    'sum-int8-out-int8': lambda: np.sum(_i8, out=np.zeros((), np.int8)),
    'sum-int8-out-int16': lambda: np.sum(_i8, out=np.zeros((), np.int16)),
    'sum-int8-out-float32': lambda: np.sum(_i8, out=np.zeros((), np.float32)),
    'sum-int8-out-bool': lambda: np.sum(_i8, out=np.zeros((), bool)),
    'sum-uint8-out-int8': lambda: np.sum(_u8, out=np.zeros((), np.int8)),
    'sum-float32-out-int32': lambda: np.sum(_f, out=np.zeros((), np.int32)),
    'sum-float16-out-float32': lambda: np.sum(_half, out=np.zeros((), np.float32)),
    'prod-int8-out-uint8': lambda: np.prod(_i8, out=np.zeros((), np.uint8)),
    'max-int8-out-float32': lambda: np.max(_i8, out=np.zeros((), np.float32)),
    'min-float32-out-int8': lambda: np.min(_f, out=np.zeros((), np.int8)),
    'mean-float32-out-float32': lambda: np.mean(_rows, 0, out=np.zeros((4,), np.float32)),
    'mean-float32-out-int32': lambda: np.mean(_rows, 1, out=np.zeros((3,), np.int32)),
    'any-out-float32': lambda: np.any(_rows, 1, out=np.zeros((3,), np.float32)),
    'all-out-int8': lambda: np.all(_rows, 0, keepdims=True, out=np.zeros((1, 4), np.int8)),
    'argmax-out-int8': lambda: np.argmax(_rows, 1, out=np.zeros((3,), np.int8)),
    'argmin-out-uint32': lambda: np.argmin(_rows, 0, out=np.zeros((4,), np.uint32)),
    'sum-out-view': lambda: np.sum(_rows, 0, out=np.zeros((2, 4), np.float32)[1]),
    'sum-out-keepdims': lambda: np.sum(_rows, 1, keepdims=True, out=np.zeros((3, 1), np.float32)),
}


def main():
    errors = {}
    for key, call in ERRORS.items():
        try:
            call()
        except Exception as error:  # noqa: BLE001 - recording whatever NumPy raises is the point
            errors[key] = {'error': type(error).__name__, 'message': str(error)}
        else:
            raise SystemExit(f'{key}: NumPy raised nothing')
    values = {}
    for key, call in VALUES.items():
        result = np.asarray(call())
        values[key] = {'dtype': str(result.dtype), 'shape': list(result.shape), 'value': result.tolist()}
    out = {'numpy': np.__version__, 'errors': errors, 'values': values}
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'hardening.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f'wrote {len(errors)} errors and {len(values)} values to {os.path.normpath(path)}')


if __name__ == '__main__':
    main()
