#!/usr/bin/env python3
"""Golden fixtures for ndgpu's elementwise operations (test/fixtures/ufuncs.json), computed by NumPy 2.

Three sections, replayed by test/ufuncs.test.ts on every backend:

- "table": every operation over every pair (or single / triple) of ndgpu's dtypes, small values that do
  not overflow (unsigned subtraction wraps modulo 2^bits, as in NumPy). The expected result dtype is
  NumPy's, narrowed by ndgpu's 32-bit rule: where NumPy resolves a 64-bit loop although no array operand
  is 64-bit, ndgpu uses the 32-bit type of that kind (int32 + float32 -> float32, int8 / int8 -> float32,
  sqrt(int32) -> float32). Expected values are NumPy's, computed in the narrowed loop dtype (inputs cast
  to it first); a signed array against a uint32 array compares exactly, as NumPy's int64 loop does (the
  small values here agree either way; test/compute.test.ts covers the wrap). `gpu64` marks cases that compute in a 64-bit dtype: the
  WebGPU backend must refuse them with a TypeError (WGSL has no 64-bit types); the CPU backend computes.
- "scalars": arrays with JavaScript numbers/booleans (weak scalars, NEP 50). NumPy 2 treats Python scalars
  the same way; ndgpu's defaults are int32/float32 where NumPy's are int64/float64 (bool array + 3 ->
  int32, int8 array + 2.5 -> float32; NumPy: int64, float64), which is again the 32-bit narrowing of
  NumPy's result. Out-of-range integers raise NumPy's OverflowError, except where NumPy 2 does not:
  comparisons (answered as if exact, also beyond 64 bits), clip bounds that cannot bind (dropped), and
  where's scalars (wrapped as C converts them). Where nothing narrows, NumPy's own result is expected.
- "cases": small programs over named arrays: inputs that are views (strided, negative strides,
  transposed, broadcast), `out` into views (including overlapping the inputs: the expectation is computed
  on copies, "as if the inputs were copied first"), and NumPy's errors (class and message).

Values: numbers; floats that JSON cannot hold as strings "nan", "inf", "-inf", "-0".
`approx` marks results a GPU computes with bounded (not correctly rounded) error: exp, log, sin, cos,
tanh and float power. Everything else must match bit for bit (NaN equals NaN, the sign of zero counts).

Run: python3 scripts/gen-ufunc-fixtures.py
"""
import json
import math
import os
import warnings

import numpy as np
from fixture_common import encode, narrow

warnings.simplefilter('ignore')  # division by zero, invalid values: NumPy's results are what we want

GPU_DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float16', 'float32']
WIDE_DTYPES = ['float64', 'int64', 'uint64']
DTYPES = GPU_DTYPES + WIDE_DTYPES

BINARY = ['add', 'subtract', 'multiply', 'divide', 'floor_divide', 'remainder', 'power', 'maximum', 'minimum',
          'equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal', 'logical_and', 'logical_or']
UNARY = ['negative', 'absolute', 'sqrt', 'exp', 'log', 'sin', 'cos', 'tanh', 'logical_not']
APPROX = {'exp', 'log', 'sin', 'cos', 'tanh', 'power'}
UFUNC = {name: getattr(np, name) for name in BINARY + UNARY}

N = 12
VALUES = {
    # (first operand, second operand)
    'bool': ([False, True, True, False, True, False, True, True, False, False, True, True],
             [True, True, False, False, True, False, False, True, True, False, True, False]),
    'i': ([0, 1, -1, 2, -3, 5, 7, -8, 3, -5, 6, 4],
          [1, 2, 3, -1, 2, -2, 3, 5, 0, 3, -4, -7]),
    'u': ([0, 1, 9, 2, 3, 5, 7, 8, 3, 5, 6, 4],
          [1, 2, 3, 1, 2, 7, 3, 5, 0, 3, 4, 10]),
    'f': ([0.0, -0.0, 1.5, -2.25, 3.0, 0.1, float('nan'), float('inf'), float('-inf'), 7.0, -5.0, 100.0],
          [2.0, -1.5, 0.0, 0.5, -3.0, 3.0, 1.0, 2.0, float('inf'), -2.0, 0.25, -7.0]),
}
# power: integer exponents stay small and non-negative (NumPy raises for negative integer powers).
POWER = {
    'bool': VALUES['bool'],
    'i': ([0, 1, -1, 2, -3, 3, -2, 4, 1, -1, 2, -4], [0, 1, 2, 3, 2, 1, 0, 3, 2, 1, 2, 3]),
    'u': ([0, 1, 1, 2, 3, 3, 2, 4, 1, 5, 2, 4], [0, 1, 2, 3, 2, 1, 0, 3, 2, 1, 2, 3]),
    'f': ([0.0, 1.0, -1.0, 2.0, -3.0, 0.5, 4.0, -2.0, 1.5, 3.0, 2.0, 10.0],
          [0.0, 2.5, 3.0, -1.0, 2.0, 0.5, -0.5, 3.0, 2.0, 0.25, 10.0, 1.0]),
}
# Unary functions: values inside every function's comfortable range, with the special cases.
UNARY_VALUES = {
    'bool': [False, True, True, False],
    'i': [0, 1, -1, 2, -3, 5, 7, -8, 3],
    'u': [0, 1, 9, 2, 3, 5, 7, 8, 3],
    'f': [0.0, -0.0, 0.5, -1.25, 2.0, 3.5, -4.0, 10.0, 0.001, float('nan'), float('inf'), float('-inf')],
}
# Clip bounds (lo, hi) per kind of the bound dtype; the last pair has lo > hi (NumPy then gives hi).
CLIP_BOUNDS = {
    'bool': ([False, True, False, False, True, False, True, True, False, False, True, True],
             [True, True, False, True, True, True, True, True, True, False, True, True]),
    'i': ([-1, 0, 2, -3, -5, 0, 1, -2, 2, -6, 0, 5], [1, 4, 3, 0, -1, 6, 6, 2, 5, -4, 9, 1]),
    'u': ([0, 0, 2, 1, 2, 0, 1, 3, 2, 6, 0, 5], [1, 4, 3, 5, 2, 6, 6, 9, 5, 7, 9, 1]),
    'f': ([-1.0, 0.0, 0.5, -3.0, -5.0, float('nan'), 1.0, -2.0, 2.0, -6.0, 0.0, 5.0],
          [1.0, 4.0, 3.0, 0.0, -1.0, 6.0, 6.0, 2.0, 5.0, -4.0, float('inf'), 1.0]),
}
WHERE_COND = [True, False, True, True, False, False, True, False, True, False, False, True]


def kind(dtype):
    return 'bool' if np.dtype(dtype).kind == 'b' else np.dtype(dtype).kind


def enc_array(a):
    return [encode(v) for v in np.asarray(a).reshape(-1).tolist()]


def is64(dtype):
    return np.dtype(dtype).itemsize == 8


# ------------------------------------------------------------------------------------------------
# Section (a): the dtype table


def values_for(dtype, table, which):
    k = kind(dtype)
    vals = table[k][which]
    return np.array(vals, dtype=np.float64).astype(dtype) if k == 'f' else np.array(vals, dtype=dtype)


def table_binary(name):
    ufunc = UFUNC[name]
    cases = []
    for da in DTYPES:
        for db in DTYPES:
            src = POWER if name == 'power' else VALUES
            a = values_for(da, src, 0)
            b = values_for(db, src, 1)
            try:
                loop = ufunc.resolve_dtypes((np.dtype(da), np.dtype(db), None))
            except TypeError as e:  # boolean subtract
                try:
                    ufunc(a, b)
                except TypeError as err:
                    cases.append({'op': name, 'in': [da, db], 'args': [enc_array(a), enc_array(b)],
                                  'error': {'type': 'TypeError', 'message': str(err)}})
                    continue
                raise e
            ins = [narrow(d, [da, db]) for d in loop[:2]]
            res = narrow(loop[2], [da, db])
            if name.startswith('logical_'):
                ins = ['bool', 'bool']  # ndgpu converts to bool first: the same values
            expected = ufunc(a.astype(ins[0]), b.astype(ins[1]))
            assert expected.dtype == np.dtype(res), (name, da, db, expected.dtype, res)
            case = {'op': name, 'in': [da, db], 'args': [enc_array(a), enc_array(b)], 'dtype': res,
                    'values': enc_array(expected)}
            if name in APPROX and np.dtype(res).kind == 'f':
                case['approx'] = True
            if any(is64(d) for d in ins + [res]):
                case['gpu64'] = True
            cases.append(case)
    return cases


# Float remainders and floor quotients that need an exact fmod: large quotients, tiny divisors, ties.
DIVMOD_EXTRA = ([1.5, 3.0, 7.0, -2.25, 1e7, -1e7, 1e30, 3e38, -3e38, 1e-30, 16777217.0, 0.7, 5.0, -5.0, 1e10, 2.0**-120],
                [0.1, 0.1, 0.1, 0.1, 0.3, 0.3, 3.3, 1e-38, 7.0, 3e-38, 3.0, 0.1, -0.5, 0.5, -7.0, 3.0])


def table_divmod_extra():
    cases = []
    for name in ('remainder', 'floor_divide'):
        for dtype in ('float16', 'float32', 'float64'):
            a = np.array(DIVMOD_EXTRA[0]).astype(dtype)
            b = np.array(DIVMOD_EXTRA[1]).astype(dtype)
            expected = UFUNC[name](a, b)
            case = {'op': name, 'in': [dtype, dtype], 'args': [enc_array(a), enc_array(b)], 'dtype': dtype,
                    'values': enc_array(expected)}
            if dtype == 'float64':
                case['gpu64'] = True
            cases.append(case)
    return cases


def table_unary(name):
    ufunc = UFUNC[name]
    cases = []
    for da in DTYPES:
        k = kind(da)
        vals = UNARY_VALUES[k]
        a = np.array(vals, dtype=np.float64).astype(da) if k == 'f' else np.array(vals, dtype=da)
        try:
            loop = ufunc.resolve_dtypes((np.dtype(da), None))
        except TypeError:
            try:
                ufunc(a)
            except TypeError as err:
                cases.append({'op': name, 'in': [da], 'args': [enc_array(a)], 'error': {'type': 'TypeError', 'message': str(err)}})
                continue
            raise
        ins = [narrow(loop[0], [da])]
        res = narrow(loop[1], [da])
        if name == 'logical_not':
            ins = ['bool']
        expected = ufunc(a.astype(ins[0]))
        assert expected.dtype == np.dtype(res), (name, da, expected.dtype, res)
        case = {'op': name, 'in': [da], 'args': [enc_array(a)], 'dtype': res, 'values': enc_array(expected)}
        if name in APPROX and np.dtype(res).kind == 'f':
            case['approx'] = True
        if any(is64(d) for d in ins + [res]):
            case['gpu64'] = True
        cases.append(case)
    return cases


def table_where():
    cases = []
    cond = np.array(WHERE_COND)
    for dx in DTYPES:
        for dy in DTYPES:
            x = values_for(dx, VALUES, 0)
            y = values_for(dy, VALUES, 1)
            res = narrow(np.result_type(x, y), [dx, dy])
            expected = np.where(cond, x.astype(res), y.astype(res))
            case = {'op': 'where', 'in': ['bool', dx, dy], 'args': [enc_array(cond), enc_array(x), enc_array(y)],
                    'dtype': res, 'values': enc_array(expected)}
            if is64(res):
                case['gpu64'] = True
            cases.append(case)
    # Conditions of other dtypes are truth-tested (NaN is true).
    for dc in ['int8', 'uint16', 'int32', 'float16', 'float32', 'float64', 'int64']:
        c = values_for(dc, VALUES, 0)
        x = values_for('int16', VALUES, 0)
        y = values_for('int16', VALUES, 1)
        expected = np.where(c, x, y)
        cases.append({'op': 'where', 'in': [dc, 'int16', 'int16'], 'args': [enc_array(c), enc_array(x), enc_array(y)],
                      'dtype': 'int16', 'values': enc_array(expected)})
    return cases


def table_clip():
    cases = []
    for da in DTYPES:
        for db in DTYPES:
            a = values_for(da, VALUES, 0)
            lo = values_for(db, CLIP_BOUNDS, 0)
            hi = values_for(db, CLIP_BOUNDS, 1)
            res = narrow(np.result_type(a, lo, hi), [da, db])
            expected = np.clip(a.astype(res), lo.astype(res), hi.astype(res))
            assert expected.dtype == np.dtype(res)
            case = {'op': 'clip', 'in': [da, db, db], 'args': [enc_array(a), enc_array(lo), enc_array(hi)],
                    'dtype': res, 'values': enc_array(expected)}
            if is64(res):
                case['gpu64'] = True
            cases.append(case)
    return cases


# ------------------------------------------------------------------------------------------------
# Section (b): weak scalars

SCALAR_OPS = ['add', 'subtract', 'multiply', 'divide', 'floor_divide', 'remainder', 'power', 'maximum', 'minimum',
              'equal', 'less', 'greater_equal', 'logical_and']


def py_scalar(v):
    return v  # Python bool/int/float: NumPy 2 treats them as weak, like ndgpu treats JS values


def scalar_case(name, args, dtypes):
    """args: arrays (np.ndarray) and Python scalars in call order; dtypes: the arrays' dtypes."""
    fn = {'where': np.where, 'clip': np.clip}.get(name) or UFUNC[name]
    enc_args = [enc_array(a) if isinstance(a, np.ndarray) else {'scalar': encode(a)} for a in args]
    ins = [a.dtype.name if isinstance(a, np.ndarray) else None for a in args]
    case = {'op': name, 'in': ins, 'args': enc_args}
    try:
        wide = fn(*args)
    except (OverflowError, TypeError, ValueError) as err:
        case['error'] = {'type': type(err).__name__ if type(err).__name__ in ('OverflowError', 'ValueError') else 'TypeError',
                         'message': str(err)}
        if any(is64(d) for d in ins if d is not None):
            case['gpu64'] = True  # WebGPU refuses 64-bit operands first, with a TypeError of its own
        return case
    array_dtypes = [d for d in ins if d is not None]
    res = narrow(wide.dtype, array_dtypes)
    if name in ('equal', 'less', 'greater_equal', 'logical_and'):
        try:
            loop = narrow(np.result_type(*[a if isinstance(a, np.ndarray) else a for a in args]), array_dtypes)
        except OverflowError:
            loop = array_dtypes[0]  # a Python int beyond 64 bits: compared in the array's dtype
        if name == 'logical_and':
            loop = 'bool'
    else:
        loop = res
    if np.dtype(res) == wide.dtype:
        # Nothing narrows: NumPy's own result is the answer (also where a Python int beyond the dtype
        # takes part, which no cast below could express).
        return finish_scalar_case(case, name, wide, res, loop)
    cast = [a.astype(loop) if isinstance(a, np.ndarray) else np.array(a).astype(loop) for a in args]
    if name == 'where':
        cast[0] = args[0]
    expected = fn(*cast)
    if expected.dtype != np.dtype(res):
        expected = expected.astype(res)
    return finish_scalar_case(case, name, expected, res, loop)


def finish_scalar_case(case, name, expected, res, loop):
    case['dtype'] = res
    case['values'] = enc_array(expected)
    if name in APPROX and np.dtype(res).kind == 'f':
        case['approx'] = True
    if is64(loop) or is64(res):
        case['gpu64'] = True
    return case


def section_scalars():
    cases = []
    for dtype in DTYPES:
        k = kind(dtype)
        for name in SCALAR_OPS:
            src = POWER if name == 'power' else VALUES
            a = values_for(dtype, src, 0)
            scalars = [3, 2.5, True] if name != 'power' else [2, 0.5, True]
            if k != 'u' and name != 'power':
                scalars.append(-2)
            if k == 'f' and name != 'power':
                scalars += [0.1, float('nan'), float('inf')]
            for s in scalars:
                cases.append(scalar_case(name, [a, py_scalar(s)], [dtype]))
            # The scalar first (reflected operators).
            if name in ('subtract', 'divide', 'power', 'less', 'floor_divide', 'remainder'):
                s = 2 if name == 'power' else 7
                b = values_for(dtype, src, 1)
                cases.append(scalar_case(name, [py_scalar(s), b], [dtype]))
                cases.append(scalar_case(name, [py_scalar(1.5), b], [dtype]))
    # float16 + a float that overflows float16: the scalar becomes inf (no error), as in NumPy.
    cases.append(scalar_case('add', [np.array([1.0, -2.0], np.float16), 70000.0], ['float16']))
    # Unary-shaped uses: where and clip with scalars.
    cond = np.array(WHERE_COND)
    for dtype in GPU_DTYPES + ['float64', 'int64']:
        x = values_for(dtype, VALUES, 0)
        cases.append(scalar_case('where', [cond, x, 5], [dtype]))
        cases.append(scalar_case('where', [cond, 2.5, x], [dtype]))
        if kind(dtype) != 'bool':
            lo, hi = (1, 6) if kind(dtype) == 'u' else (-2, 4)
            cases.append(scalar_case('clip', [x, lo, hi], [dtype]))
        cases.append(scalar_case('clip', [x, 0.5, 3.5], [dtype]))
    cases.append(scalar_case('where', [cond, 1, 2.5], []))
    cases.append(scalar_case('where', [cond, 1, 2], []))
    cases.append(scalar_case('where', [cond, True, False], []))
    # Out-of-range integers in arithmetic: NumPy's OverflowError and message.
    # Python ints the dtype cannot hold where NumPy does not raise: comparisons answer as if exact, clip
    # drops a bound that cannot bind (and raises for one that would), where wraps its scalars as C does
    # (and raises beyond 64 bits). Scalars here are exact as JavaScript numbers.
    for dtype, name, s in [('int64', 'less', 2**70), ('int64', 'equal', 2**63), ('int64', 'greater_equal', -2**70),
                           ('uint64', 'greater_equal', -1), ('uint64', 'less', 2**64), ('int32', 'less', 2**70),
                           ('uint64', 'equal', -2**70)]:
        cases.append(scalar_case(name, [values_for(dtype, VALUES, 0), s], [dtype]))
    for dtype, lo, hi in [('int8', 0, 1000), ('int8', -1000, 5), ('int8', 200, 300), ('int8', -300, -200),
                          ('int8', -2**70, 5), ('int8', 2**70, 5), ('int8', 0, -2**70), ('uint8', -5, 100),
                          ('uint8', -5, -1), ('int16', -40000, 40000), ('uint32', -1, 2**40),
                          ('int64', -2**70, 2**70), ('uint64', -1, 5), ('int64', 2**64, 2**65)]:
        cases.append(scalar_case('clip', [values_for(dtype, VALUES, 0), lo, hi], [dtype]))
    for dtype, s in [('int8', 1000), ('int8', -129), ('uint8', -1), ('int16', 2**40), ('uint32', -1),
                     ('int32', 2**31), ('int64', 2**63), ('uint64', -1), ('uint64', 2**64), ('int8', 2**70)]:
        x = values_for(dtype, VALUES, 0)
        cases.append(scalar_case('where', [cond, x, s], [dtype]))
        cases.append(scalar_case('where', [cond, s, x], [dtype]))
    for dtype, name, s in [('uint8', 'add', 300), ('uint8', 'add', -1), ('int8', 'add', -129), ('int8', 'multiply', 128),
                           ('uint8', 'subtract', 256), ('int16', 'multiply', 40000), ('uint16', 'maximum', -1),
                           ('uint32', 'add', -1), ('int32', 'add', 2**31), ('uint32', 'floor_divide', 2**32),
                           ('int8', 'power', 200), ('bool', 'add', 3), ('uint8', 'divide', 1000)]:
        a = values_for(dtype, POWER if name == 'power' else VALUES, 0)
        cases.append(scalar_case(name, [a, s], [dtype]))
    return cases


# ------------------------------------------------------------------------------------------------
# Section (c): views, out, overlap, errors
#
# A case: {"arrays": {name: {dtype, shape, values}}, "op", "args": [operand...], "out"?: operand,
#          "expect"?: {dtype, shape, values}, "after"?: {name: values}, "error"?: {type, message}}
# operand: {"ref": name, "ops": [op...]} or {"scalar": v}; op: ["get", "<index>"] | ["T"] |
#          ["transpose", [axes]] | ["broadcastTo", [shape]] | ["readonly"]


def make(dtype, shape, start=0, step=1):
    n = int(np.prod(shape)) if shape else 1
    vals = (np.arange(n) * step + start)
    if np.dtype(dtype).kind == 'b':
        return (vals % 3 == 0).reshape(shape)
    if np.dtype(dtype).kind == 'u':
        vals = np.abs(vals)
    return vals.astype(dtype).reshape(shape)


def apply_ops(a, ops):
    for op in ops:
        if op[0] == 'get':
            a = eval(f'a[{op[1]}]', {'a': a})
        elif op[0] == 'T':
            a = a.T
        elif op[0] == 'transpose':
            a = a.transpose(op[1])
        elif op[0] == 'broadcastTo':
            a = np.broadcast_to(a, op[1])
        elif op[0] == 'readonly':
            a = a.view()
            a.flags.writeable = False
        else:
            raise ValueError(op)
    return a


def np_where(c, x, y, out=None):
    # np.where has no `out`; ndgpu's does what np.copyto(out, np.where(...), casting='same_kind') does.
    result = np.where(c, x, y)
    if out is None:
        return result
    np.copyto(out, result, casting='same_kind')
    return out


NP_FN = {'where': np_where, 'clip': np.clip}


def view_case(title, arrays, name, args, out=None, gpu64=False):
    fn = NP_FN.get(name) or UFUNC[name]
    enc_arrays = {k: {'dtype': v.dtype.name, 'shape': list(v.shape), 'values': enc_array(v)} for k, v in arrays.items()}
    case = {'title': title, 'arrays': enc_arrays, 'op': name, 'args': args}
    if out is not None:
        case['out'] = out
    # NumPy on the real arrays (overlap included: NumPy itself guarantees copy semantics)...
    work = {k: v.copy() for k, v in arrays.items()}

    def operand(spec, env, copy):
        if 'scalar' in spec:
            return spec['scalar']
        view = apply_ops(env[spec['ref']], spec.get('ops', []))
        return view.copy() if copy else view
    try:
        kwargs = {}
        if out is not None:
            kwargs['out'] = operand(out, work, False)
        result = fn(*[operand(a, work, False) for a in args], **kwargs)
    except (ValueError, TypeError, OverflowError) as err:
        case['error'] = {'type': type(err).__name__ if type(err).__name__ in ('ValueError', 'OverflowError') else 'TypeError',
                         'message': str(err)}
        return case
    # ... and the expectation computed on copies of the inputs, the semantics ndgpu promises.
    ref = {k: v.copy() for k, v in arrays.items()}
    ins = [operand(a, ref, True) for a in args]
    kwargs = {}
    if out is not None:
        kwargs['out'] = operand(out, ref, False)
    expected = fn(*ins, **kwargs)
    for k in arrays:
        assert np.array_equal(work[k], ref[k], equal_nan=True), f'{title}: NumPy differs from copy semantics'
    array_dtypes = [operand(a, ref, False).dtype.name for a in args if 'scalar' not in a]
    assert narrow(result.dtype, array_dtypes) == result.dtype.name, f'{title}: pick dtypes without narrowing'
    case['expect'] = {'dtype': expected.dtype.name, 'shape': list(expected.shape), 'values': enc_array(expected)}
    if name in APPROX and expected.dtype.kind == 'f':
        case['approx'] = True
    if out is not None:
        case['after'] = {k: enc_array(v) for k, v in ref.items()}
    if gpu64:
        case['gpu64'] = True
    return case


def R(name, *ops):
    return {'ref': name, 'ops': [list(op) for op in ops]}


def S(v):
    return {'scalar': v}


def section_views():
    cases = []
    f32 = lambda shape, start=0, step=1: make('float32', shape, start, step) * np.float32(0.5)
    # Broadcasting
    cases.append(view_case('(3,1) + (4,)', {'a': f32((3, 1)), 'b': f32((4,), 1)}, 'add', [R('a'), R('b')]))
    cases.append(view_case('(2,1,4) * (3,1)', {'a': make('int16', (2, 1, 4), -3), 'b': make('int16', (3, 1), 1)}, 'multiply', [R('a'), R('b')]))
    cases.append(view_case('0-d + (3,)', {'a': np.array(7, np.int32), 'b': make('int32', (3,))}, 'subtract', [R('a'), R('b')]))
    cases.append(view_case('0-d + 0-d', {'a': np.array(7, np.float32), 'b': np.array(2, np.float32)}, 'divide', [R('a'), R('b')]))
    cases.append(view_case('(0,3) + (3,)', {'a': np.zeros((0, 3), np.float32), 'b': f32((3,))}, 'add', [R('a'), R('b')]))
    cases.append(view_case('(1,0) + (3,1)', {'a': np.zeros((1, 0), np.int8), 'b': make('int8', (3, 1))}, 'maximum', [R('a'), R('b')]))
    cases.append(view_case('(4,1,1) < (3,1)', {'a': make('uint8', (4, 1, 1)), 'b': make('uint8', (3, 1), 1)}, 'less', [R('a'), R('b')]))
    cases.append(view_case('where (2,1) (1,3) (2,3)', {'c': np.array([[True], [False]]), 'x': make('int8', (1, 3), 1), 'y': make('int8', (2, 3), -5)},
                           'where', [R('c'), R('x'), R('y')]))
    cases.append(view_case('clip (3,4) (4,) (3,1)', {'a': f32((3, 4), -6), 'lo': f32((4,), -2), 'hi': f32((3, 1), 1)}, 'clip', [R('a'), R('lo'), R('hi')]))
    # Strided, negative-stride, transposed inputs
    cases.append(view_case('a[::2] + b[1::3]', {'a': f32((12,)), 'b': f32((18,), 3)}, 'add', [R('a', ('get', '::2')), R('b', ('get', '1::3'))]))
    cases.append(view_case('a[::-1] - b', {'a': make('int32', (7,), 2, 3), 'b': make('int32', (7,))}, 'subtract', [R('a', ('get', '::-1')), R('b')]))
    cases.append(view_case('a[::-2, 1:] * b.T', {'a': make('int16', (5, 4), -7), 'b': make('int16', (3, 3), 2)}, 'multiply',
                           [R('a', ('get', '::-2, 1:')), R('b', ('T',))]))
    cases.append(view_case('a.T + b (3,2)+(2,)', {'a': f32((2, 3)), 'b': f32((2,), 10)}, 'add', [R('a', ('T',)), R('b')]))
    cases.append(view_case('a.transpose(2,0,1) / b[::-1]', {'a': f32((2, 3, 4), 1), 'b': f32((3,), 1)}, 'divide',
                           [R('a', ('transpose', [2, 0, 1])), R('b', ('get', '::-1'))]))
    cases.append(view_case('a[1] ** b[:, 0]', {'a': make('int32', (2, 3)), 'b': make('int32', (3, 2), 1)}, 'power',
                           [R('a', ('get', '1')), R('b', ('get', ':, 0'))]))
    cases.append(view_case('sqrt(a[::-1, ::2].T)', {'a': f32((4, 6), 1)}, 'sqrt', [R('a', ('get', '::-1, ::2'), ('T',))]))
    cases.append(view_case('negative(a[:, ::-3])', {'a': make('int8', (3, 7), -9)}, 'negative', [R('a', ('get', ':, ::-3'))]))
    cases.append(view_case('maximum(broadcast_to, strided)', {'a': make('uint16', (3,), 2), 'b': make('uint16', (4, 6))},
                           'maximum', [R('a', ('broadcastTo', [4, 3])), R('b', ('get', ':, 1::2'))]))
    cases.append(view_case('uint8 strided + int8 transposed -> int16', {'a': make('uint8', (4, 6), 250, -1), 'b': make('int8', (3, 4), -6)},
                           'add', [R('a', ('get', '::-1, ::2')), R('b', ('T',))]))
    cases.append(view_case('float16 view / float32 view', {'a': make('float16', (6,), 1), 'b': f32((6,), -3)},
                           'divide', [R('a', ('get', '::-1')), R('b', ('get', '::1'))]))
    cases.append(view_case('floor_divide strided ints', {'a': make('int32', (12,), -20, 5), 'b': make('int32', (12,), -4)},
                           'floor_divide', [R('a', ('get', '::3')), R('b', ('get', '1::3'))]))
    cases.append(view_case('remainder strided floats', {'a': f32((12,), -11, 3), 'b': f32((12,), -4)},
                           'remainder', [R('a', ('get', '::-3')), R('b', ('get', '1::3'))]))
    cases.append(view_case('equal with transposed self', {'a': make('int32', (3, 3)) % 4}, 'equal', [R('a'), R('a', ('T',))]))
    cases.append(view_case('logical_or of views', {'a': make('bool', (4, 4)), 'b': make('bool', (4, 4), 1)}, 'logical_or',
                           [R('a', ('get', '::-1')), R('b', ('T',))]))
    cases.append(view_case('where with transposed condition and scalar', {'c': make('bool', (3, 2)), 'x': f32((2, 3))}, 'where',
                           [R('c', ('T',)), R('x'), S(-1)]))
    cases.append(view_case('scalar - strided', {'a': make('int16', (9,))}, 'subtract', [S(100), R('a', ('get', '::4'))]))
    cases.append(view_case('int64 strided + int8 (cpu)', {'a': make('int64', (6,), -3), 'b': make('int8', (3,))}, 'add',
                           [R('a', ('get', '::2')), R('b', ('get', '::-1'))], gpu64=True))
    # Outputs into views
    cases.append(view_case('out = o[::2]', {'a': f32((3,)), 'b': f32((3,), 1), 'o': np.full((6,), -1, np.float32)},
                           'add', [R('a'), R('b')], out=R('o', ('get', '::2'))))
    cases.append(view_case('out = o[::-1, 1::2] (2-D)', {'a': make('int32', (3, 2)), 'b': make('int32', (2,), 5), 'o': np.full((3, 5), 9, np.int32)},
                           'multiply', [R('a'), R('b')], out=R('o', ('get', '::-1, 1::2'))))
    cases.append(view_case('out = o.T', {'a': f32((2, 3)), 'o': np.zeros((3, 2), np.float32)}, 'exp', [R('a')], out=R('o', ('T',))))
    cases.append(view_case('out broadcasts the inputs', {'a': make('int16', (3,)), 'b': make('int16', (3,), 4), 'o': np.zeros((2, 3), np.int16)},
                           'subtract', [R('a'), R('b')], out=R('o')))
    cases.append(view_case('out int8 -> float32 (same_kind)', {'a': make('int8', (4,), 120), 'b': make('int8', (4,), 5), 'o': np.zeros((8,), np.float32)},
                           'add', [R('a'), R('b')], out=R('o', ('get', '1::2'))))
    cases.append(view_case('out float32 -> float16', {'a': f32((5,), 1), 'b': f32((5,), 3), 'o': np.zeros((5,), np.float16)},
                           'divide', [R('a'), R('b')], out=R('o', ('get', '::-1'))))
    cases.append(view_case('out uint8 -> int16', {'a': make('uint8', (4,), 200), 'b': make('uint8', (4,), 100), 'o': np.zeros((4,), np.int16)},
                           'add', [R('a'), R('b')], out=R('o')))
    cases.append(view_case('out bool -> uint8 (comparison)', {'a': make('int32', (6,)), 'o': np.full((6,), 7, np.uint8)},
                           'less', [R('a'), S(3)], out=R('o')))
    cases.append(view_case('out bool -> float32 (logical_not)', {'a': make('float32', (6,)), 'o': np.full((2, 6), 7, np.float32)},
                           'logical_not', [R('a')], out=R('o', ('get', '1'))))
    cases.append(view_case('out = 0-d view', {'a': np.array(3, np.float32), 'b': np.array(4, np.float32), 'o': np.zeros((2, 2), np.float32)},
                           'maximum', [R('a'), R('b')], out=R('o', ('get', '1, 0, ...'))))
    cases.append(view_case('out for where', {'c': make('bool', (5,)), 'x': make('int32', (5,)), 'o': np.zeros((10,), np.int32)},
                           'where', [R('c'), R('x'), S(-7)], out=R('o', ('get', '::2'))))
    cases.append(view_case('out for clip', {'a': f32((6,), -3), 'o': np.zeros((6,), np.float32)}, 'clip', [R('a'), S(-0.5), S(1)], out=R('o', ('get', '::-1'))))
    cases.append(view_case('out on empty', {'a': np.zeros((0,), np.float32), 'o': np.zeros((0,), np.float32)}, 'sin', [R('a')], out=R('o')))
    # Overlapping out: the result is as if the inputs were copied first
    cases.append(view_case('add(x[:-1], x[1:], out=x[1:])', {'x': f32((8,), 1)}, 'add', [R('x', ('get', ':-1')), R('x', ('get', '1:'))], out=R('x', ('get', '1:'))))
    cases.append(view_case('add(x[1:], x[:-1], out=x[:-1])', {'x': make('int32', (8,), 1)}, 'add', [R('x', ('get', '1:')), R('x', ('get', ':-1'))], out=R('x', ('get', ':-1'))))
    cases.append(view_case('negative(x[::-1], out=x)', {'x': make('int16', (7,), -3)}, 'negative', [R('x', ('get', '::-1'))], out=R('x')))
    cases.append(view_case('multiply(x, x.T, out=x)', {'x': make('int32', (4, 4), -5)}, 'multiply', [R('x'), R('x', ('T',))], out=R('x')))
    cases.append(view_case('subtract(x, x.T, out=x.T)', {'x': f32((3, 3), -2)}, 'subtract', [R('x'), R('x', ('T',))], out=R('x', ('T',))))
    cases.append(view_case('in place add(x, 1, out=x)', {'x': make('uint8', (2, 5))}, 'add', [R('x'), S(1)], out=R('x')))
    cases.append(view_case('in place on a strided view', {'x': f32((10,))}, 'multiply', [R('x', ('get', '::2')), S(3)], out=R('x', ('get', '::2'))))
    cases.append(view_case('out = x[1::2] from x[::2] (same memory, disjoint)', {'x': make('int8', (10,), -5)}, 'subtract',
                           [R('x', ('get', '::2')), S(1)], out=R('x', ('get', '1::2'))))
    cases.append(view_case('power(x, x[::-1], out=x)', {'x': make('int32', (6,))}, 'power', [R('x'), R('x', ('get', '::-1'))], out=R('x')))
    cases.append(view_case('where(x > 0 copy, x[::-1], x, out=x)', {'c': make('bool', (6,)), 'x': f32((6,), -2)}, 'where',
                           [R('c'), R('x', ('get', '::-1')), R('x')], out=R('x')))
    cases.append(view_case('clip(x, x[::-1], x[2:3], out=x)', {'x': make('int16', (6,), -3, 2)}, 'clip',
                           [R('x'), R('x', ('get', '::-1')), R('x', ('get', '2:3'))], out=R('x')))
    cases.append(view_case('maximum(x[:, ::-1], x[::-1], out=x) 2-D', {'x': make('float32', (3, 4), -6)}, 'maximum',
                           [R('x', ('get', ':, ::-1')), R('x', ('get', '::-1'))], out=R('x')))
    cases.append(view_case('uint8 out overlapping int8 input bytes (sub-word)', {'x': make('uint8', (9,), 1, 7)}, 'add',
                           [R('x', ('get', ':-1')), R('x', ('get', '1:'))], out=R('x', ('get', '1:'))))
    cases.append(view_case('float16 x[::2] + x[1::2] -> x[:5]', {'x': make('float16', (10,), -3)}, 'add',
                           [R('x', ('get', '::2')), R('x', ('get', '1::2'))], out=R('x', ('get', ':5'))))
    # Errors
    cases.append(view_case('broadcast mismatch', {'a': f32((2, 3)), 'b': f32((4,))}, 'add', [R('a'), R('b')]))
    cases.append(view_case('broadcast mismatch (views)', {'a': f32((4, 6)), 'b': f32((3,))}, 'multiply', [R('a', ('get', '::2, ::2')), R('b', ('get', ':2'))]))
    cases.append(view_case('broadcast mismatch, 3 operands', {'c': make('bool', (2,)), 'x': f32((3,)), 'y': f32((2,))}, 'where', [R('c'), R('x'), R('y')]))
    cases.append(view_case('broadcast mismatch (1-D)', {'a': f32((2, 3)), 'b': f32((2,))}, 'less', [R('a'), R('b')]))
    cases.append(view_case('broadcast mismatch with a scalar', {'c': make('bool', (2,)), 'y': f32((3,))}, 'where', [R('c'), S(1), R('y')]))
    cases.append(view_case('broadcast mismatch with scalars (clip)', {'a': f32((3,)), 'hi': f32((2,))}, 'clip', [R('a'), S(0), R('hi')]))
    cases.append(view_case('out does not broadcast with the inputs', {'a': f32((3,)), 'o': f32((4,))}, 'add', [R('a'), S(1)], out=R('o')))
    cases.append(view_case('out does not broadcast (2-D)', {'a': f32((3,)), 'o': f32((2, 4))}, 'negative', [R('a')], out=R('o')))
    cases.append(view_case('read-only out (broadcast view)', {'a': f32((3,)), 'o': f32((3,))}, 'add', [R('a'), S(1)], out=R('o', ('broadcastTo', [3]))))
    cases.append(view_case('read-only out (flag cleared)', {'a': f32((3,)), 'o': f32((3,))}, 'sqrt', [R('a')], out=R('o', ('readonly',))))
    cases.append(view_case('out shape mismatch', {'a': f32((2, 3)), 'o': f32((3,))}, 'add', [R('a'), S(1)], out=R('o')))
    cases.append(view_case('out shape mismatch (bigger)', {'a': f32((3,)), 'o': f32((4,))}, 'negative', [R('a')], out=R('o')))
    cases.append(view_case('out shape mismatch (out would broadcast)', {'a': f32((3,)), 'o': f32((4, 1))}, 'add', [R('a'), R('a')], out=R('o')))
    cases.append(view_case('out shape mismatch (transposed)', {'a': f32((2, 3)), 'o': f32((2, 3))}, 'exp', [R('a')], out=R('o', ('T',))))
    cases.append(view_case('same_kind: float32 -> int32', {'a': f32((3,)), 'o': make('int32', (3,))}, 'add', [R('a'), R('a')], out=R('o')))
    cases.append(view_case('same_kind: int8 -> uint8', {'a': make('int8', (3,)), 'o': make('uint8', (3,))}, 'multiply', [R('a'), R('a')], out=R('o')))
    cases.append(view_case('same_kind: float16 -> bool', {'a': make('float16', (3,)), 'o': make('bool', (3,))}, 'maximum', [R('a'), R('a')], out=R('o')))
    cases.append(view_case('same_kind: int16 -> bool', {'a': make('int16', (3,)), 'o': make('bool', (3,))}, 'negative', [R('a')], out=R('o')))
    cases.append(view_case('same_kind: where float32 -> int8', {'c': make('bool', (3,)), 'a': f32((3,)), 'o': make('int8', (3,))},
                           'clip', [R('a'), S(0), S(1)], out=R('o')))
    cases.append(view_case('boolean subtract', {'a': make('bool', (3,)), 'b': make('bool', (3,), 1)}, 'subtract', [R('a'), R('b')]))
    cases.append(view_case('boolean subtract with a bool scalar', {'a': make('bool', (3,))}, 'subtract', [R('a'), S(True)]))
    cases.append(view_case('boolean negative', {'a': make('bool', (3,))}, 'negative', [R('a')]))
    cases.append(view_case('boolean negative of a view', {'a': make('bool', (3, 2))}, 'negative', [R('a', ('T',))]))
    return cases


def main():
    table = []
    for name in BINARY:
        table += table_binary(name)
    table += table_divmod_extra()
    for name in UNARY:
        table += table_unary(name)
    table += table_where()
    table += table_clip()
    fixtures = {
        'numpy': np.__version__,
        'table': table,
        'scalars': section_scalars(),
        'cases': section_views(),
    }
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'ufuncs.json')
    with open(path, 'w') as f:
        json.dump(fixtures, f, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print(f"wrote {path}: {len(table)} table cases, {len(fixtures['scalars'])} scalar cases, "
          f"{len(fixtures['cases'])} view/out/error cases, {os.path.getsize(path)} bytes")


if __name__ == '__main__':
    main()
