#!/usr/bin/env python3
"""Golden fixtures for ndgpu's numerics (test/fixtures/numerics.json), computed by NumPy 2; replayed by
test/numerics.test.ts on every backend.

Sections:
- "ufuncs": every ufunc of issue #18 over every dtype it accepts (binary ones with themselves and with a
  few mixed partners), values inside each function's domain plus its special cases (signed zeros, NaN,
  infinities, out-of-range shift counts). The expected dtype is NumPy's narrowed by ndgpu's 32-bit rule
  (int32 -> float32 for float functions, int32 with uint32 -> int32); the values are NumPy's computed in
  that narrowed loop dtype (inputs cast first). `approx` marks float results of transcendental functions
  (a few ULP on the GPU); `gpu64` cases compute in a 64-bit dtype, which WebGPU refuses. NumPy's errors
  (bitwise operations on floats, sign of bools) are kept with class and message.
- "views": inputs that are strided, reversed, transposed or broadcast views, `out` into views (also
  overlapping the inputs), `round(decimals)` with and without `out`, and errors.
- "reductions": var/std (ddof, keepdims), ptp, count_nonzero, over dtypes, views and axes. For integer
  and bool inputs NumPy computes var in float64; ndgpu in float32 (its 32-bit rule), so the expectation is
  NumPy's algorithm run in float32 (`ndgpu`) with NumPy's float64 answer beside it (`numpy`).
- "means": integer and bool means, NumPy's float64 mean rounded to float32, where a float32 sum differs.
- "creation": linspace, eye, identity, *_like, meshgrid, indices.
- "closeness": isclose, allclose, array_equal.
- "large": integer sum and mean over 2^24-element arrays (and a few smaller ones) in several layouts. The data is not stored: element i
  (C order) is (i * mul + add) % mod + low, which the test computes the same way; the expected values are
  NumPy's exact int64 sum (wrapped to the 32-bit result dtype) and its float64 mean (the exact sum divided
  once, which NumPy's own float64 sum equals below 2^53) rounded to float32.

Values: numbers; "nan", "inf", "-inf", "-0" for what JSON cannot hold; 64-bit integers as numbers when
exact, else as strings.
Run: python3 scripts/gen-numerics-fixtures.py
"""
import json
import os
import warnings
from fractions import Fraction

import numpy as np
from fixture_common import encode as encode_value, narrow

warnings.simplefilter('ignore')

GPU_DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float16', 'float32']
WIDE_DTYPES = ['float64', 'int64', 'uint64']
DTYPES = GPU_DTYPES + WIDE_DTYPES
INTEGER_DTYPES = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']

UNARY = ['floor', 'ceil', 'trunc', 'rint', 'sign', 'square', 'reciprocal', 'exp2', 'expm1', 'log2', 'log10', 'log1p',
         'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'arcsinh', 'arccosh', 'arctanh', 'isnan', 'isinf',
         'isfinite', 'signbit', 'invert']
BINARY = ['arctan2', 'hypot', 'fmod', 'copysign', 'fmax', 'fmin', 'logical_xor', 'bitwise_and', 'bitwise_or',
          'bitwise_xor', 'left_shift', 'right_shift']
APPROX = {'exp2', 'expm1', 'log2', 'log10', 'log1p', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'arcsinh',
          'arccosh', 'arctanh', 'arctan2', 'hypot'}
# Binary operations' mixed partners (each promotion kind once).
MIXED = [('int8', 'uint8'), ('int32', 'uint32'), ('bool', 'int8'), ('uint8', 'int16'), ('int16', 'float32'),
         ('uint8', 'float16'), ('float16', 'float32'), ('int32', 'int64')]

INF = float('inf')
NAN = float('nan')

# Unary inputs per function family and kind ('f' floats, 'i' signed, 'u' unsigned, 'b' bool).
ROUNDING_F = [0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.7, -3.7, 1000.25, -7.5, NAN, INF, -INF]
UNARY_VALUES = {
    'rounding': {'f': ROUNDING_F, 'i': [0, 1, -1, 2, -3, 5, 7, -8, 12, -12, 100], 'u': [0, 1, 2, 3, 5, 7, 8, 12, 100, 200]},
    'reciprocal': {'f': [0.0, -0.0, 0.5, -0.25, 3.0, 7.0, -1.0, 1e-3, NAN, INF, -INF],
                   'i': [1, -1, 2, -3, 5, 7, -8, 100], 'u': [1, 2, 3, 5, 7, 8, 100, 200]},
    'exp': {'f': [0.0, -0.0, 0.5, -1.25, 2.0, 3.5, -4.0, 10.0, 1e-3, -1e-3, 1e-6, 8.5, -9.5, NAN, INF, -INF],
            'i': [0, 1, -1, 2, -3, 5, 7, -8, 3], 'u': [0, 1, 2, 3, 5, 7, 8, 9, 3]},
    'log': {'f': [0.0, -0.0, 0.5, 1.0, 1.0009765625, 0.99951171875, 2.0, 3.5, 10.0, 1000.0, 1e-3, -0.5, -0.99, 6e4,
                  -1.0, -2.0, NAN, INF],
            'i': [0, 1, 2, 3, 5, 7, 8, 9, 100], 'u': [0, 1, 2, 3, 5, 7, 8, 9, 100]},
    'trig': {'f': [0.0, -0.0, 0.5, -1.25, 1.5, 3.0, -4.0, 10.0, 100.0, 1e-3, NAN, INF, -INF],
             'i': [0, 1, -1, 2, -3, 5, 7, -8, 100], 'u': [0, 1, 2, 3, 5, 7, 8, 9, 100]},
    'inverse': {'f': [0.0, -0.0, 0.5, -0.5, 0.875, -0.99, 1.0, -1.0, 1e-3, 1.5, NAN, INF],
                'i': [0, 1, -1, 2], 'u': [0, 1, 2]},
    'hyperbolic': {'f': [0.0, -0.0, 0.5, -1.25, 2.0, 8.0, -9.5, 1e-3, 1e-5, NAN, INF, -INF],
                   'i': [0, 1, -1, 2, -3, 5, 7, -8, 3], 'u': [0, 1, 2, 3, 5, 7, 8, 9, 3]},
    'arccosh': {'f': [1.0, 1.0009765625, 1.5, 2.0, 10.0, 1000.0, 0.5, -1.0, NAN, INF], 'i': [0, 1, 2, 3, 5, 100],
                'u': [0, 1, 2, 3, 5, 100]},
    'classify': {'f': [0.0, -0.0, 1.5, -2.0, 65504.0, NAN, INF, -INF], 'i': [0, 1, -1, 100], 'u': [0, 1, 200]},
    'invert': {'i': [0, 1, -1, 2, -3, 5, 100, -100], 'u': [0, 1, 2, 3, 100, 200]},
}
FAMILY = {'floor': 'rounding', 'ceil': 'rounding', 'trunc': 'rounding', 'rint': 'rounding', 'sign': 'rounding',
          'square': 'rounding', 'reciprocal': 'reciprocal', 'exp2': 'exp', 'expm1': 'exp', 'log2': 'log',
          'log10': 'log', 'log1p': 'log', 'tan': 'trig', 'arcsin': 'inverse', 'arccos': 'inverse', 'arctan': 'trig',
          'arctanh': 'inverse', 'sinh': 'hyperbolic', 'cosh': 'hyperbolic', 'arcsinh': 'hyperbolic',
          'arccosh': 'arccosh', 'isnan': 'classify', 'isinf': 'classify', 'isfinite': 'classify',
          'signbit': 'classify', 'invert': 'invert'}
BOOL_VALUES = [False, True, True, False]

BINARY_VALUES = {
    'float': {'f': ([0.0, -0.0, 1.0, -1.0, 3.0, -2.5, 0.5, INF, -INF, 7.0, NAN, 2.0, 1e-3, -0.0],
                    [1.0, -1.0, 0.0, -0.0, 4.0, 0.5, -2.5, 2.0, INF, -INF, 1.0, NAN, 3.0, -3.0]),
              'i': ([0, 1, -1, 2, -3, 5, 7, -8, 3, -5, 6, 4], [1, 2, 3, -1, 2, -2, 3, 5, 0, 3, -4, -7]),
              'u': ([0, 1, 9, 2, 3, 5, 7, 8, 3, 5, 6, 4], [1, 2, 3, 1, 2, 7, 3, 5, 0, 3, 4, 10])},
    'fmod': {'f': ([5.5, -5.5, 5.5, -5.5, 7.0, 1.0, INF, 1.0, NAN, 0.0, -0.0, 1e7, 3e38, 0.7],
                   [3.0, 3.0, -3.0, -3.0, 0.5, 0.0, 1.0, INF, 1.0, 2.0, 2.0, 0.3, 1e-3, 0.1]),
             'i': ([5, -5, 5, -5, 0, 7, -8, 100, 3, 6, 1], [3, 3, -3, -3, 3, 0, 3, 7, -1, 4, 1]),
             'u': ([5, 7, 0, 100, 3, 6, 200], [3, 2, 3, 7, 0, 4, 7])},
    'minmax': {'f': ([NAN, 1.0, NAN, -0.0, 2.0, -INF, 3.0, 0.5], [2.0, NAN, NAN, 0.0, -1.0, INF, 3.0, NAN]),
               'i': ([0, 1, -1, 2, -3, 5, 7, -8], [1, 2, 3, -1, 2, -2, 3, 5]),
               'u': ([0, 1, 9, 2, 3, 5, 7, 8], [1, 2, 3, 1, 2, 7, 3, 5])},
    'bitwise': {'i': ([0, 1, -1, 2, -3, 5, 7, -8, 100, -100, 12, 6], [1, 3, 3, -1, 2, -2, 3, 5, 7, 99, -12, 5]),
                'u': ([0, 1, 9, 2, 3, 5, 7, 8, 100, 200, 12, 6], [1, 3, 3, 1, 2, 7, 3, 5, 7, 99, 12, 5])},
    # Shift counts: in range, at and beyond the width, and negative (NumPy: everything shifts out).
    'shift': {'i': ([1, 1, 1, -1, -5, 3, 7, -128, 100, -100, 1, -1, 5, 1],
                    [0, 3, 7, 3, 1, 8, 9, 2, 40, 31, 63, 70, -1, -3]),
              'u': ([1, 1, 1, 255, 200, 3, 7, 128, 100, 1, 5, 1], [0, 3, 7, 3, 1, 8, 9, 2, 40, 63, 70, 31])},
}
BINARY_FAMILY = {'arctan2': 'float', 'hypot': 'float', 'copysign': 'float', 'fmod': 'fmod', 'fmax': 'minmax',
                 'fmin': 'minmax', 'logical_xor': 'minmax', 'bitwise_and': 'bitwise', 'bitwise_or': 'bitwise',
                 'bitwise_xor': 'bitwise', 'left_shift': 'shift', 'right_shift': 'shift'}


def kind(dtype):
    return 'b' if np.dtype(dtype).kind == 'b' else np.dtype(dtype).kind


def encode(v):
    return encode_value(v, big_ints_as_strings=True)


def enc_array(a):
    return [encode(v) for v in np.asarray(a).reshape(-1).tolist()]


def is64(dtype):
    return np.dtype(dtype).itemsize == 8


def make_values(dtype, values):
    k = kind(dtype)
    if k == 'b':
        return np.array([bool(v) for v in values], dtype=bool)
    if k == 'f':
        return np.array(values, dtype=np.float64).astype(dtype)
    info = np.iinfo(dtype)
    return np.array([v for v in values if info.min <= v <= info.max], dtype=dtype)


def error_case(fn, args):
    try:
        fn(*args)
    except (TypeError, ValueError) as err:
        return {'type': 'ValueError' if isinstance(err, ValueError) else 'TypeError', 'message': str(err)}
    return None


# ------------------------------------------------------------------------------------------------
# ufuncs


def unary_cases(name):
    fn = getattr(np, name)
    cases = []
    for dtype in DTYPES:
        k = kind(dtype)
        family = UNARY_VALUES[FAMILY[name]]
        if k == 'b':
            a = np.array(BOOL_VALUES)
        elif k not in family:
            a = make_values(dtype, UNARY_VALUES['rounding'][k])
        else:
            a = make_values(dtype, family[k])
        try:
            loop = fn.resolve_dtypes((np.dtype(dtype), None))
        except TypeError:
            err = error_case(fn, [a])
            assert err, (name, dtype)
            cases.append({'op': name, 'in': [dtype], 'args': [enc_array(a)], 'error': err})
            continue
        ins = [narrow(loop[0], [dtype])]
        res = narrow(loop[1], [dtype])
        expected = fn(a.astype(ins[0]))
        assert expected.dtype == np.dtype(res), (name, dtype, expected.dtype, res)
        case = {'op': name, 'in': [dtype], 'args': [enc_array(a)], 'dtype': res, 'values': enc_array(expected)}
        if name in APPROX and np.dtype(res).kind == 'f':
            case['approx'] = True
        if any(is64(d) for d in ins + [res]):
            case['gpu64'] = True
        cases.append(case)
    return cases


def binary_operands(name, da, db):
    family = BINARY_VALUES[BINARY_FAMILY[name]]

    def side(dtype, which):
        k = kind(dtype)
        if k == 'b':
            return np.array([bool(i % 3) for i in range(8)]) if which == 0 else np.array([bool(i % 2) for i in range(8)])
        source = family.get(k) or BINARY_VALUES['minmax'][k] if k != 'f' else family.get('f', BINARY_VALUES['minmax']['f'])
        return make_values(dtype, source[which])
    a, b = side(da, 0), side(db, 1)
    n = min(len(a), len(b))
    return a[:n], b[:n]


def binary_cases(name):
    fn = getattr(np, name)
    cases = []
    pairs = [(d, d) for d in DTYPES] + MIXED
    for da, db in pairs:
        a, b = binary_operands(name, da, db)
        try:
            loop = fn.resolve_dtypes((np.dtype(da), np.dtype(db), None))
        except TypeError:
            err = error_case(fn, [a, b])
            assert err, (name, da, db)
            cases.append({'op': name, 'in': [da, db], 'args': [enc_array(a), enc_array(b)], 'error': err})
            continue
        ins = [narrow(d, [da, db]) for d in loop[:2]]
        res = narrow(loop[2], [da, db])
        if name == 'logical_xor':
            ins = ['bool', 'bool']
        expected = fn(a.astype(ins[0]), b.astype(ins[1]))
        assert expected.dtype == np.dtype(res), (name, da, db, expected.dtype, res)
        case = {'op': name, 'in': [da, db], 'args': [enc_array(a), enc_array(b)], 'dtype': res,
                'values': enc_array(expected)}
        if name in APPROX and np.dtype(res).kind == 'f':
            case['approx'] = True
        if any(is64(d) for d in ins + [res]):
            case['gpu64'] = True
        cases.append(case)
    return cases


def scalar_cases():
    """Weak JS scalars with the new operations (NEP 50 with ndgpu's 32-bit defaults)."""
    cases = []
    specs = [('bitwise_and', 'uint8', 6), ('bitwise_or', 'int16', -2), ('bitwise_xor', 'bool', True),
             ('left_shift', 'int16', 3), ('right_shift', 'uint32', 4), ('fmax', 'float32', NAN),
             ('fmin', 'float16', 0.5), ('fmod', 'int8', 3), ('copysign', 'float32', -1.0),
             ('arctan2', 'float32', 2.0), ('hypot', 'float16', 4.0), ('logical_xor', 'int8', True)]
    for name, dtype, s in specs:
        a, _ = binary_operands(name, dtype, dtype)
        fn = getattr(np, name)
        wide = fn(a, s)
        res = narrow(wide.dtype, [dtype])
        expected = fn(a.astype(res) if name not in ('logical_xor',) else a, s) if res != wide.dtype.name else wide
        case = {'op': name, 'in': [dtype, None], 'args': [enc_array(a), {'scalar': encode(s)}], 'dtype': res,
                'values': enc_array(expected.astype(res))}
        if name in APPROX:
            case['approx'] = True
        cases.append(case)
    # An integer array with a float scalar computes in float32 (NumPy: float64): exact here.
    a = make_values('int16', [3, -4, 5, 0])
    cases.append({'op': 'hypot', 'in': ['int16', None], 'args': [enc_array(a), {'scalar': 4}], 'dtype': 'float32',
                  'values': enc_array(np.hypot(a.astype(np.float32), np.float32(4))), 'approx': True})
    for name, s in [('bitwise_and', 1.5), ('left_shift', 2.5)]:
        a = make_values('int32', [1, 2, 3])
        cases.append({'op': name, 'in': ['int32', None], 'args': [enc_array(a), {'scalar': s}],
                      'error': error_case(getattr(np, name), [a, s])})
    return cases


# ------------------------------------------------------------------------------------------------
# Views, out and round


def apply_ops(a, ops):
    for op in ops:
        if op[0] == 'get':
            a = eval(f'a[{op[1]}]', {'a': a})
        elif op[0] == 'T':
            a = a.T
        elif op[0] == 'broadcastTo':
            a = np.broadcast_to(a, op[1])
        else:
            raise ValueError(op)
    return a


def R(ref, *ops):
    return {'ref': ref, 'ops': [list(o) for o in ops]}


def S(v):
    return {'scalar': encode(v)}


def make(dtype, shape, start=0, step=1, scale=1.0):
    n = int(np.prod(shape)) if shape else 1
    vals = np.arange(n) * step + start
    if kind(dtype) == 'b':
        return (vals % 3 == 0).reshape(shape)
    if kind(dtype) == 'f':
        return (vals * scale).astype(dtype).reshape(shape)
    if kind(dtype) == 'u':
        vals = np.abs(vals)
    return vals.astype(dtype).reshape(shape)


def view_case(title, arrays, name, args, out=None, kwargs=None):
    """NumPy on copies of the inputs (ndgpu's "as if copied first"), checked against NumPy in place."""
    kwargs = kwargs or {}
    fn = getattr(np, name)
    enc_arrays = {k: {'dtype': v.dtype.name, 'shape': list(v.shape), 'values': enc_array(v)} for k, v in arrays.items()}
    case = {'title': title, 'arrays': enc_arrays, 'op': name, 'args': args, 'kwargs': kwargs}
    if out is not None:
        case['out'] = out

    def operand(spec, env, copy):
        if 'scalar' in spec:
            return spec['scalar']
        view = apply_ops(env[spec['ref']], spec['ops'])
        return view.copy() if copy else view
    work = {k: v.copy() for k, v in arrays.items()}
    try:
        extra = dict(kwargs)
        if out is not None:
            extra['out'] = operand(out, work, False)
        fn(*[operand(a, work, False) for a in args], **extra)
    except (ValueError, TypeError) as err:
        message = str(err)
        if name == 'round' and not any(is64(v.dtype) for v in arrays.values()):
            message = message.replace("dtype('float64')", "dtype('float32')")  # the 32-bit rule's step dtype
        case['error'] = {'type': 'ValueError' if isinstance(err, ValueError) else 'TypeError', 'message': message}
        return case
    ref = {k: v.copy() for k, v in arrays.items()}
    extra = dict(kwargs)
    if out is not None:
        extra['out'] = operand(out, ref, False)
    expected = fn(*[operand(a, ref, True) for a in args], **extra)
    case['expect'] = {'dtype': expected.dtype.name, 'shape': list(expected.shape), 'values': enc_array(expected)}
    if out is not None:
        case['after'] = {out['ref']: enc_array(ref[out['ref']])}
    # WebGPU refuses 64-bit arithmetic (rounding 64-bit integers to decimals >= 0 is a copy).
    wide = any(is64(v.dtype) for v in arrays.values())
    copy_only = name == 'round' and kind(expected.dtype) in 'iu' and kwargs.get('decimals', 0) >= 0
    if wide and not copy_only:
        case['gpu64'] = True
    if name in APPROX and expected.dtype.kind == 'f':
        case['approx'] = True
    return case


def section_views():
    f32 = lambda shape, start=0, scale=0.25: make('float32', shape, start, 1, scale)
    cases = [
        view_case('floor of a transposed view', {'a': f32((3, 4), -5, 0.7)}, 'floor', [R('a', ('T',))]),
        view_case('rint of a reversed strided view', {'a': f32((12,), -6, 0.5)}, 'rint', [R('a', ('get', '::-2'))]),
        view_case('trunc into a strided out', {'a': f32((6,), -3, 0.6), 'o': np.zeros(12, np.float32)}, 'trunc',
                  [R('a')], out=R('o', ('get', '::2'))),
        view_case('ceil in place', {'a': f32((2, 5), -4, 0.45)}, 'ceil', [R('a')], out=R('a')),
        view_case('arctan2 of broadcast views', {'y': f32((3, 1), -1, 0.5), 'x': f32((4,), -2, 0.75)}, 'arctan2',
                  [R('y'), R('x', ('get', '::-1'))]),
        view_case('hypot(x, x.T, out=x)', {'x': f32((3, 3), -4, 0.5)}, 'hypot', [R('x'), R('x', ('T',))], out=R('x')),
        view_case('fmod(x[1:], x[:-1], out=x[:-1])', {'x': make('int16', (9,), -7, 3)}, 'fmod',
                  [R('x', ('get', '1:')), R('x', ('get', ':-1'))], out=R('x', ('get', ':-1'))),
        view_case('left_shift of a column', {'a': make('uint8', (4, 3), 1), 'n': make('uint8', (4,), 0, 3)},
                  'left_shift', [R('a', ('get', ':, 1')), R('n')]),
        view_case('bitwise_xor into int16 out', {'a': make('int8', (6,), -3, 5), 'b': make('int8', (6,), 7, -2),
                                                 'o': np.zeros(6, np.int16)}, 'bitwise_xor', [R('a'), R('b')], out=R('o')),
        view_case('invert of a transposed bool', {'a': make('bool', (2, 3))}, 'invert', [R('a', ('T',))]),
        view_case('isnan of a strided float16 view', {'a': np.array([0, np.nan, 1, np.inf, np.nan, -0.0], np.float16)},
                  'isnan', [R('a', ('get', '1::2'))]),
        view_case('signbit into a bool view', {'a': f32((6,), -3, 1.0), 'o': np.zeros(8, bool)}, 'signbit', [R('a')],
                  out=R('o', ('get', '1:7'))),
        view_case('fmax with a scalar into a view', {'a': np.array([np.nan, 1, -2, 5], np.float32),
                                                     'o': np.zeros((2, 4), np.float32)}, 'fmax', [R('a'), S(0.5)],
                  out=R('o', ('get', '1'))),
        view_case('expm1 of a broadcast view', {'a': f32((3,), -1, 0.01)}, 'expm1', [R('a', ('broadcastTo', [2, 3]))]),
        view_case('sign of bools', {'a': make('bool', (3,))}, 'sign', [R('a')]),
        view_case('bitwise_and of floats', {'a': f32((3,)), 'b': f32((3,))}, 'bitwise_and', [R('a'), R('b')]),
        view_case('right_shift of floats', {'a': f32((3,))}, 'right_shift', [R('a'), S(1)]),
        view_case('invert of floats', {'a': f32((3,))}, 'invert', [R('a')]),
        view_case('floor into an int out (same_kind)', {'a': f32((3,)), 'o': np.zeros(3, np.int32)}, 'floor', [R('a')],
                  out=R('o')),
        view_case('square into a read-only view', {'a': f32((3,))}, 'square', [R('a')], out=R('a', ('broadcastTo', [3]))),
        view_case('copysign out of broadcast shape', {'a': f32((3,)), 'o': np.zeros(4, np.float32)}, 'copysign',
                  [R('a'), S(-1.0)], out=R('o')),
    ]
    # round(decimals) over every dtype, views and out
    for dtype in DTYPES:
        if kind(dtype) == 'b':
            continue
        if kind(dtype) == 'f':
            a = np.array([1.25, -2.675, 0.5, 1.5, 2.5, -0.04, 123.456, 1e-3, 1234.5, -0.0, np.nan, np.inf], np.float64).astype(dtype)
        else:
            a = make_values(dtype, [0, 5, 15, 25, -15, 125, -125, 115, 1234, -1234, 99, 100])
        for decimals in [0, 1, 2, -1, -2]:
            cases.append(view_case(f'round({dtype}, {decimals})', {'a': a}, 'round', [R('a')], kwargs={'decimals': decimals}))
    cases.append(view_case('round of a reversed view', {'a': f32((8,), -3, 0.35)}, 'round', [R('a', ('get', '::-1'))],
                           kwargs={'decimals': 1}))
    cases.append(view_case('round into a float16 out', {'a': np.array([1.234, 2.5, -0.75], np.float32),
                                                         'o': np.zeros(3, np.float16)}, 'round', [R('a')], out=R('o'),
                           kwargs={'decimals': 1}))
    cases.append(view_case('round in place on a strided view', {'a': f32((10,), -5, 0.33)}, 'round',
                           [R('a', ('get', '::2'))], out=R('a', ('get', '::2')), kwargs={'decimals': 1}))
    cases.append(view_case('round of ints with negative decimals into a view', {'a': make('int16', (6,), -40, 17),
                                                                                'o': np.zeros((2, 6), np.int16)},
                           'round', [R('a')], out=R('o', ('get', '1')), kwargs={'decimals': -1}))
    cases.append(view_case('round of ints with negative decimals into a float out', {'a': make('int16', (6,), -40, 17),
                                                                                     'o': np.zeros(6, np.float32)},
                           'round', [R('a')], out=R('o'), kwargs={'decimals': -1}))
    cases.append(view_case('round of bools into a float out', {'a': make('bool', (3,)), 'o': np.zeros(3, np.float32)},
                           'round', [R('a')], out=R('o'), kwargs={'decimals': 2}))
    cases.append(view_case('round of bools, 0 decimals', {'a': make('bool', (3,))}, 'round', [R('a')], kwargs={'decimals': 0}))
    cases.append(view_case('round of ints into a float out', {'a': make('int32', (4,), 3), 'o': np.zeros(4, np.float32)},
                           'round', [R('a')], out=R('o'), kwargs={'decimals': 0}))
    cases.append(view_case('round of bools', {'a': make('bool', (3,))}, 'round', [R('a')], kwargs={'decimals': 1}))
    cases.append(view_case('round into an int out', {'a': f32((3,)), 'o': np.zeros(3, np.int32)}, 'round', [R('a')],
                           out=R('o'), kwargs={'decimals': 0}))
    for c in cases:
        if c['op'] == 'round' and 'expect' in c and 'error' not in c:
            # ndgpu keeps NumPy's dtype for round; nothing narrows.
            pass
    return cases


# ------------------------------------------------------------------------------------------------
# var, std, ptp, count_nonzero


def f32_var(x, axis, ddof, keepdims):
    """NumPy's _var run in float32 for an integer/bool array (ndgpu's 32-bit rule)."""
    axes = tuple(range(x.ndim)) if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
    n = int(np.prod([x.shape[k] for k in axes])) if axes else 1
    total = x.astype(np.int64).sum(axis=axes, keepdims=True)
    mean = np.vectorize(lambda s: np.float32(float(Fraction(int(s), n)) if n else np.nan))(total).astype(np.float32)
    dev = x.astype(np.float32) - mean
    dev = dev * dev
    s = dev.sum(axis=axes, keepdims=keepdims, dtype=np.float32)
    return (s / np.float32(max(n - ddof, 0))).astype(np.float32)


def section_reductions():
    rng = np.random.default_rng(20261201)
    cases = []

    def add(op, a, view, axis, keepdims=False, ddof=0):
        v = apply_ops(a, [['get', view]] if view not in ('', 'T') else ([['T']] if view == 'T' else []))
        ax = tuple(axis) if isinstance(axis, list) else axis
        case = {'op': op, 'dtype': a.dtype.name, 'shape': list(a.shape), 'data': enc_array(a), 'view': view,
                'axis': axis, 'keepdims': keepdims, 'ddof': ddof}
        try:
            if op in ('var', 'std'):
                numpy_value = getattr(np, op)(v, axis=ax, ddof=ddof, keepdims=keepdims)
                if a.dtype.kind in 'biu' and a.dtype.itemsize < 8:
                    value = f32_var(v, ax, ddof, keepdims)
                    if op == 'std':
                        value = np.sqrt(value)
                else:
                    value = numpy_value
                case['numpy'] = enc_array(numpy_value)
            elif op == 'ptp':
                value = np.ptp(v, axis=ax, keepdims=keepdims)
            else:
                value = np.count_nonzero(v, axis=ax, keepdims=keepdims)
                value = np.asarray(value).astype(np.int32)
        except (TypeError, ValueError) as err:
            case['error'] = {'type': 'ValueError' if isinstance(err, ValueError) else 'TypeError', 'message': str(err)}
            cases.append(case)
            return
        value = np.asarray(value)
        case['resultDtype'] = narrow(value.dtype, [a.dtype.name])
        case['resultShape'] = list(value.shape)
        case['expected'] = enc_array(value.astype(case['resultDtype']))
        # The CPU follows NumPy's order of float additions where the deviations are C-ordered like NumPy's.
        case['exact'] = a.dtype.kind == 'f' and view == ''
        if is64(a.dtype) and op != 'count_nonzero':  # counting casts to bool first: no 64-bit arithmetic
            case['gpu64'] = True
        cases.append(case)

    for dtype in DTYPES:
        k = kind(dtype)
        if k == 'b':
            a = rng.random((3, 4, 5)) < 0.4
        elif k == 'f':
            a = (rng.standard_normal((3, 4, 5)) * 3 + 1).astype(dtype)
        else:
            info = np.iinfo(dtype)
            a = rng.integers(max(info.min, -100), min(info.max, 100) + 1, (3, 4, 5)).astype(dtype)
        for op in ('var', 'std', 'ptp', 'count_nonzero'):
            for view, axis, keepdims, ddof in [('', None, False, 0), ('', 1, False, 1), ('', [0, 2], True, 0),
                                               ('T', 0, False, 0), ('::-1, :, ::2', -1, True, 2)]:
                if op in ('ptp', 'count_nonzero') and ddof:
                    ddof = 0
                add(op, a, view, axis, keepdims, ddof)
    # Large integers: a float32 mean would drift; the variance of values near 1e6 stays exact-ish.
    big = (np.arange(3000, dtype=np.int64) * 7919 % 1000003 + 10 ** 6).astype(np.int32).reshape(30, 100)
    for op in ('var', 'std'):
        add(op, big, '', None)
        add(op, big, '', 1, False, 1)
    # ddof beyond the count: NumPy divides by 0.
    add('var', np.arange(4, dtype=np.float32).reshape(2, 2), '', 0, False, 3)
    return cases


def section_means():
    """Integer means where float32 summation would be off: NumPy's float64 mean, rounded to float32. Data by
    formula, as in "large"; `float32Differs` says whether NumPy's own float32 mean (dtype=float32) differs."""
    cases = []
    rows = [
        ('uint8', [64, 96, 4], (0, 255, 256, 0), [None, [0, 1], 2]),
        ('int32', [60, 100], (104729, 0, 2 ** 31, -(2 ** 30)), [None, 0, 1]),
        ('uint32', [64, 64], (2654435761, 0, 2 ** 32, 0), [None, 0, 1]),
        ('int16', [5000], (7, 0, 65536, -32768), [None]),
        ('bool', [3001], (1, 0, 3, 0), [None]),
        ('int8', [10, 100], (1, 0, 256, -128), [None, 0, 1]),
    ]
    for dtype, shape, (mul, add, mod, low), axes in rows:
        a = formula(int(np.prod(shape)), mul, add, mod, low, dtype)
        a = (a == 0) if dtype == 'bool' else a.astype(dtype)
        a = a.reshape(shape)
        for axis in axes:
            ax = tuple(axis) if isinstance(axis, list) else axis
            total = a.astype(np.int64).sum(axis=ax)
            n = a.size // max(np.asarray(total).size, 1)
            expected = np.vectorize(lambda s: np.float32(float(Fraction(int(s), n))))(np.asarray(total)).astype(np.float32)
            numpy_mean = np.mean(a, axis=ax).astype(np.float32)
            assert np.array_equal(expected, numpy_mean), (dtype, axis)  # NumPy's float64 sums are exact here
            f32_pairwise = np.mean(a, axis=ax, dtype=np.float32)
            cases.append({'dtype': dtype, 'shape': shape, 'formula': [mul, add, mod, low], 'axis': axis,
                          'expected': enc_array(expected),
                          'float32Differs': bool(not np.array_equal(f32_pairwise, expected))})
    return cases


# ------------------------------------------------------------------------------------------------
# Creation and closeness


def creation_case(call, args, kwargs, value):
    value = np.asarray(value) if not isinstance(value, tuple) else value
    if isinstance(value, tuple):
        out = [{'dtype': narrow(v.dtype, []), 'shape': list(v.shape), 'values': enc_array(v)} for v in value]
        return {'call': call, 'args': args, 'kwargs': kwargs, 'results': out}
    dtype = narrow(value.dtype, []) if 'dtype' not in kwargs else value.dtype.name
    return {'call': call, 'args': args, 'kwargs': kwargs, 'results': [
        {'dtype': dtype, 'shape': list(value.shape), 'values': enc_array(value.astype(dtype)),
         'strides': [s // value.itemsize * np.dtype(dtype).itemsize for s in value.strides]}]}


def section_creation():
    cases = []
    for args, kwargs in [((0, 1, 5), {}), ((0, 1), {}), ((2, 3, 1), {}), ((2, 3, 0), {}), ((-1.5, 7.25, 13), {}),
                         ((0, 10, 4), {'endpoint': False}), ((0, 10, 4), {'endpoint': False, 'dtype': 'int32'}),
                         ((-5, 5, 7), {'dtype': 'int16'}), ((1, 0, 6), {'dtype': 'float16'}),
                         ((0, 1, 7), {'dtype': 'float64'}), ((0, 1e-300, 3), {'dtype': 'float64'}),
                         ((3, 3, 4), {}), ((0, 255, 9), {'dtype': 'uint8'}), ((0.1, 0.7, 11), {})]:
        value = np.linspace(*args, **kwargs)
        if 'dtype' not in kwargs:
            value = value.astype(np.float32)
        cases.append(creation_case('linspace', list(args), kwargs, value))
    cases.append({'call': 'linspace', 'args': [0, 1, -1], 'kwargs': {},
                  'error': {'type': 'ValueError', 'message': 'Number of samples, -1, must be non-negative.'}})
    for args, kwargs in [((3,), {}), ((3, 4), {}), ((3, 4, 1), {}), ((4, 3, -2), {'dtype': 'int8'}),
                         ((2, 5, 7), {}), ((3, 3, 0), {'dtype': 'bool'}), ((0,), {})]:
        value = np.eye(*args, **kwargs)
        if 'dtype' not in kwargs:
            value = value.astype(np.float32)
        cases.append(creation_case('eye', list(args), kwargs, value))
    cases.append(creation_case('identity', [3], {'dtype': 'uint16'}, np.identity(3, dtype=np.uint16)))
    cases.append({'call': 'eye', 'args': [-1], 'kwargs': {}, 'error': {'type': 'ValueError', 'message': 'negative dimensions are not allowed'}})
    base = np.arange(6, dtype=np.float32).reshape(2, 3)
    for call, extra in [('zeros_like', []), ('ones_like', []), ('full_like', [7])]:
        for view, kwargs in [('', {}), ('T', {}), ('T', {'dtype': 'int16'}), ('::-1, ::2', {'dtype': 'uint8'})]:
            v = apply_ops(base, [['T']] if view == 'T' else ([['get', view]] if view else []))
            value = getattr(np, call)(v, *extra, **kwargs)
            case = creation_case(call, extra, kwargs, value)
            case['source'] = {'view': view}
            cases.append(case)
    v = base.T
    value = np.empty_like(v, dtype=np.int32)
    case = creation_case('empty_like', [], {'dtype': 'int32'}, value)
    case['source'] = {'view': 'T'}
    del case['results'][0]['values']
    cases.append(case)
    for arrays, kwargs in [([3, 2], {}), ([3, 2], {'indexing': 'ij'}), ([3, 2, 4], {}), ([3, 2, 4], {'indexing': 'ij'}),
                           ([5], {}), ([2, 0], {})]:
        ins = [np.arange(n, dtype=np.int32) * (k + 1) for k, n in enumerate(arrays)]
        value = np.meshgrid(*ins, **kwargs)
        cases.append({'call': 'meshgrid', 'args': [{'arange': n, 'times': k + 1} for k, n in enumerate(arrays)],
                      'kwargs': kwargs,
                      'results': [{'dtype': 'int32', 'shape': list(x.shape), 'values': enc_array(x)} for x in value]})
    cases.append({'call': 'meshgrid', 'args': [{'arange': 3, 'times': 1}], 'kwargs': {'indexing': 'yx'},
                  'error': {'type': 'ValueError', 'message': "Valid values for `indexing` are 'xy' and 'ij'."}})
    for dims, kwargs in [([2, 3], {}), ([3], {}), ([2, 1, 3], {'dtype': 'uint8'}), ([], {}), ([2, 0], {})]:
        value = np.indices(dims, **kwargs)
        if 'dtype' not in kwargs:
            value = value.astype(np.int32)
        cases.append(creation_case('indices', [dims], kwargs, value))
    return cases


def section_closeness():
    cases = []
    f = np.float32
    pairs = [
        ('float32', [1.0, 1e10, 1e-8, 0.0, np.nan, np.inf, -np.inf, 1.0, 100.0],
         'float32', [1.00001, 1.00001e10, 1e-9, 1e-9, np.nan, np.inf, np.inf, 1.000011, 100.002]),
        ('float16', [1.0, 2.0, np.nan, 0.0], 'float16', [1.0009765625, 2.002, np.nan, -0.0]),
        ('int32', [1, 2, 100000, -5], 'int32', [1, 3, 100001, -5]),
        ('int8', [1, 2, 3, -128], 'float32', [1.00001, 2.5, 3.0, -128.0]),
        ('float32', [0.5, 1.5, 2.5], 'int16', [0, 1, 2]),
        ('bool', [True, False, True], 'bool', [True, True, False]),
    ]
    for da, a, db, b in pairs:
        x = np.array(a, dtype=da)
        y = np.array(b, dtype=db)
        for kwargs in [{}, {'equal_nan': True}, {'rtol': 1e-3, 'atol': 0.1}, {'rtol': 0.0, 'atol': 0.0}]:
            js = {{'equal_nan': 'equalNan'}.get(k, k): v for k, v in kwargs.items()}
            cases.append({'op': 'isclose', 'a': {'dtype': da, 'values': enc_array(x)}, 'b': {'dtype': db, 'values': enc_array(y)},
                          'kwargs': js, 'expected': enc_array(np.isclose(x, y, **kwargs))})
            cases.append({'op': 'allclose', 'a': {'dtype': da, 'values': enc_array(x)}, 'b': {'dtype': db, 'values': enc_array(y)},
                          'kwargs': js, 'expected': bool(np.allclose(x, y, **kwargs))})
    # Scalars on either side (NumPy makes an int y a float).
    for da, a, s in [('float32', [1.0, 1.00001, 2.0, np.nan], 1), ('int8', [1, 2, 3], 2), ('float32', [np.inf, 1.0], np.inf),
                     ('float32', [np.nan, 1.0], np.nan), ('int32', [16777217, 16777216], 16777217)]:
        x = np.array(a, dtype=da)
        for kwargs in [{}, {'equal_nan': True}]:
            js = {{'equal_nan': 'equalNan'}.get(k, k): v for k, v in kwargs.items()}
            expected = np.isclose(x, s, **kwargs)
            if da == 'int32':
                # ndgpu subtracts in float32 (NumPy: float64); the equality term is exact in both.
                expected = np.isclose(x.astype(np.float32), np.float32(s), **kwargs) | (x == s)
            cases.append({'op': 'isclose', 'a': {'dtype': da, 'values': enc_array(x)}, 'b': {'scalar': encode(s)},
                          'kwargs': js, 'expected': enc_array(expected)})
    for a, b, expected in [([[1, 2], [3, 4]], [[1, 2], [3, 4]], True), ([[1, 2]], [[1, 2], [1, 2]], False),
                           ([1.0, np.nan], [1.0, np.nan], False), ([1, 2, 3], [1, 2, 4], False), ([], [], True)]:
        assert np.array_equal(a, b) == expected
        cases.append({'op': 'array_equal', 'a': {'dtype': 'float32', 'values': a}, 'b': {'dtype': 'float32', 'values': b},
                      'kwargs': {}, 'expected': expected})
    for c in cases:
        for side in ('a', 'b'):
            v = c[side]
            if 'values' in v and v['values'] and isinstance(v['values'][0], list):
                v['shape'] = list(np.array(v['values']).shape)
                v['values'] = enc_array(np.array(v['values'], dtype=v['dtype']))
            elif 'values' in v:
                v['values'] = [encode(e) for e in np.array(v['values'], dtype=v['dtype']).reshape(-1).tolist()]
                v['shape'] = [len(v['values'])]
    return cases


# ------------------------------------------------------------------------------------------------
# Large integer reductions, data by formula


def fnv1a(values):
    """FNV-1a (32-bit) over the 32-bit words of `values` in C order (little-endian bytes)."""
    h = 0x811C9DC5
    for byte in np.ascontiguousarray(values).astype(values.dtype.newbyteorder('<')).tobytes():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def formula(n, mul, add, mod, low, dtype):
    i = np.arange(n, dtype=np.uint64)
    return ((i * np.uint64(mul) + np.uint64(add)) % np.uint64(mod)).astype(np.int64) + low


def section_large():
    cases = []
    specs = [
        # name, dtype, shape, formula (mul, add, mod, low), layouts: (view, axis) or (reshape, view, axis)
        ('uint8 image', 'uint8', [4096, 4096], (2654435761, 12345, 251, 3),
         [('', None), ('', 0), ('T', 0), ([256, 256, 256], '', [0, 2]), ([256, 256, 256], '::-1, :, ::2', [1, 2])]),
        ('int16 columns', 'int16', [65536, 256], (7919, 3, 65536, -32768), [('', None), ('', 0), ('::3', 1)]),
        ('int32 rows', 'int32', [1024, 4096], (104729, 17, 2 ** 31 - 1, -(2 ** 30)), [('', None), ('', 1)]),
        # The image: a float32 mean of a full uint8 image went above 255.
        ('uint8 full image', 'uint8', [512, 768, 4], (0, 255, 256, 0), [('', [0, 1])]),
    ]
    for name, dtype, shape, (mul, add, mod, low), layouts in specs:
        n = int(np.prod(shape))
        a = formula(n, mul, add, mod, low, dtype).astype(dtype).reshape(shape)
        for layout in layouts:
            reshape, view, axis = layout if len(layout) == 3 else (None, *layout)
            v = apply_ops(a.reshape(reshape) if reshape else a, [['T']] if view == 'T' else ([['get', view]] if view else []))
            ax = tuple(axis) if isinstance(axis, list) else axis
            total = v.astype(np.int64).sum(axis=ax)
            count = v.size // max(np.asarray(total).size, 1)
            sum_dtype = 'uint32' if kind(dtype) == 'u' else 'int32'
            mean = np.vectorize(lambda s: np.float32(float(Fraction(int(s), count))))(np.asarray(total)).astype(np.float32)
            if np.max(np.abs(np.asarray(total))) < 2 ** 53:
                assert np.array_equal(mean, np.mean(v, axis=ax).astype(np.float32))
            f32_mean = np.mean(v, axis=ax, dtype=np.float32)
            sums = np.asarray(total).astype(sum_dtype)
            cases.append({'name': name, 'dtype': dtype, 'shape': shape, 'formula': [mul, add, mod, low],
                          **({'reshape': reshape} if reshape else {}), 'view': view,
                          'axis': axis, 'sumDtype': sum_dtype, 'outputs': int(sums.size),
                          'sum': enc_array(sums.reshape(-1)[:8]), 'sumHash': fnv1a(sums),
                          'mean': enc_array(mean.reshape(-1)[:8]), 'meanHash': fnv1a(mean),
                          'float32MeanDiffers': bool(not np.array_equal(f32_mean, mean)),
                          'sumPasses2to32': bool(np.max(np.abs(np.asarray(total))) >= 2 ** 32)})
    # A tie for float32 after float64 rounding: 2^22 + 1 uint32 elements at 2^31 + 128 (halfway between two
    # float32 values) and one at 2^31 + 129. The exact mean is 2^31 + 128 + 1/n, which float64 rounds to the
    # tie and float32 then to even (2^31); rounded once, it would go up (2^31 + 256).
    n = 2 ** 22 + 1
    tie = 2 ** 31 + 128
    total = tie * n + 1
    mean64 = float(Fraction(total, n))
    assert mean64 == tie and Fraction(total, n) > tie  # above the float32 midpoint: once rounded, 2^31 + 256
    sums = np.array([total % 2 ** 32], np.uint32)
    means = np.array([mean64], np.float32)
    cases.append({'name': 'float32 tie after float64', 'dtype': 'uint32', 'shape': [n], 'constant': tie, 'bump': [7, tie + 1],
                  'view': '', 'axis': None, 'sumDtype': 'uint32', 'outputs': 1, 'sum': enc_array(sums), 'sumHash': fnv1a(sums),
                  'mean': enc_array(means), 'meanHash': fnv1a(means),
                  'float32MeanDiffers': True, 'sumPasses2to32': True, 'onceRounded': tie + 128})
    return cases


def main():
    ufuncs = []
    for name in UNARY:
        ufuncs += unary_cases(name)
    for name in BINARY:
        ufuncs += binary_cases(name)
    fixtures = {
        'numpy': np.__version__,
        'ufuncs': ufuncs,
        'scalars': scalar_cases(),
        'views': section_views(),
        'reductions': section_reductions(),
        'means': section_means(),
        'creation': section_creation(),
        'closeness': section_closeness(),
        'large': section_large(),
    }
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'numerics.json')
    with open(path, 'w') as f:
        json.dump(fixtures, f, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print(f'wrote {path}: ' + ', '.join(f'{len(v)} {k}' for k, v in fixtures.items() if isinstance(v, list)) +
          f', {os.path.getsize(path)} bytes')


if __name__ == '__main__':
    main()
