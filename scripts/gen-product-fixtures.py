#!/usr/bin/env python3
"""Golden fixtures for ndgpu's products (test/fixtures/products.json), computed by NumPy 2.

Two sections, replayed by test/products.test.ts on every backend:

- "table": np.matmul over every pair of ndgpu's dtypes, (2,3) @ (3,2), with values that overflow the
  narrow integer types (their sums wrap, as NumPy's do) and float16 sums that round. The loop dtype is
  NumPy's result type narrowed by ndgpu's 32-bit rule (int32 @ float32 -> float32, int32 @ uint32 ->
  int32); the expected values are NumPy's matmul of the operands cast to it. `gpu64` marks products that
  compute in a 64-bit type: the WebGPU backend must refuse them with a TypeError.
- "cases": small programs over named arrays: matmul, dot, vdot, inner, outer and tensordot on shapes
  (1-D, batched, broadcast, empty, 1x1, primes like 37x53 @ 53x61), on views (transposed, strided,
  reversed, broadcast), into `out` views (overlapping an operand included: the expectation is computed on
  copies, "as if the operands were copied first"), and NumPy's errors (class and message).

Float results carry `k` (the number of terms of each sum) and `scale` (each output's sum of |terms|, in
float64): the tests allow an error of a few float32 roundings per term of that scale, since every
implementation (NumPy's BLAS, the GPU, the CPU backend) adds in an order of its own.

Values: numbers; floats that JSON cannot hold as strings "nan", "inf", "-inf", "-0"; 64-bit integers
as decimal strings.

Run: python3 scripts/gen-product-fixtures.py
"""
import json
import math
import os

import warnings

import numpy as np
from fixture_common import encode, narrow

warnings.simplefilter('ignore')  # integer overflow in matmul: NumPy's wrapped results are what we want

GPU_DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float16', 'float32']
WIDE_DTYPES = ['float64', 'int64', 'uint64']
DTYPES = GPU_DTYPES + WIDE_DTYPES


def enc_array(a):
    a = np.asarray(a)
    if a.dtype in (np.float16, np.float32):
        # The shortest decimal that rounds back to the same float16/float32 (the tests round it so).
        return [encode(float(np.format_float_positional(v, unique=True, trim='-')) if np.isfinite(v) and v != 0 else v)
                for v in a.reshape(-1)]
    if a.dtype in (np.int64, np.uint64):
        return [str(int(v)) for v in a.reshape(-1).tolist()]  # exact past 2**53
    return [encode(v) for v in a.reshape(-1).tolist()]


def is64(dtype):
    return np.dtype(dtype).itemsize == 8


# ------------------------------------------------------------------------------------------------
# The dtype table: (2,3) @ (3,2)

TABLE_VALUES = {
    'bool': ([True, False, True, False, True, True], [True, False, False, True, True, False]),
    'int8': ([100, -50, 7, -128, 127, 3], [90, 2, -100, 5, 60, -7]),
    'uint8': ([200, 3, 17, 255, 1, 90], [250, 2, 4, 100, 255, 9]),
    'int16': ([300, -200, 7, -32768, 1000, 3], [250, 2, -300, 5, 32767, -7]),
    'uint16': ([60000, 3, 17, 65535, 1, 900], [2, 60000, 4, 100, 65535, 9]),
    'int32': ([70000, -2, 7, 2147483647, -100000, 3], [70000, 2, -30000, 5, 3, -7]),
    'uint32': ([4000000000, 3, 17, 65536, 1, 900], [2, 3000000000, 4, 65536, 7, 9]),
    'int64': ([2**40, -2, 7, 2**62, -100000, 3], [2**30, 2, -30000, 5, 3, -7]),
    'uint64': ([2**63, 3, 17, 65536, 1, 900], [2, 2**40, 4, 65536, 7, 9]),
    'float16': ([1.5, 300.0, -2.25, 0.1, 2048.0, -7.0], [3.0, -0.5, 1.0, 0.125, 1.0, 4.0]),
    'float32': ([1.5, 3e5, -2.25, 0.1, 16777216.0, -7.0], [3.0, -0.5, 1.0, 0.125, 1.0, 4.0]),
    'float64': ([1.5, 3e5, -2.25, 0.1, 2.0**60, -7.0], [3.0, -0.5, 1.0, 0.125, 1.0, 4.0]),
}


def table_values(dtype, which):
    vals = TABLE_VALUES[dtype][which]
    return np.array(vals, dtype=np.float64 if np.dtype(dtype).kind == 'f' else object).astype(dtype)


def float_info(result, x64, y64, fn, k):
    """`k` and the per-output sums of |terms| that scale a float result's tolerance."""
    if np.dtype(result.dtype).kind != 'f':
        return {}
    # Four significant digits, rounded up, are enough for a tolerance (and keep the JSON small).
    scale = [float(f'{x * 1.001:.4g}') for x in np.asarray(fn(np.abs(x64), np.abs(y64)), np.float64).reshape(-1)]
    return {'k': int(k), 'scale': [int(x) if x == int(x) else x for x in scale]}


def section_table():
    cases = []
    for da in DTYPES:
        for db in DTYPES:
            a = table_values(da, 0).reshape(2, 3)
            b = table_values(db, 1).reshape(3, 2)
            loop = narrow(np.result_type(a.dtype, b.dtype), [da, db])
            expected = np.matmul(a.astype(loop), b.astype(loop))
            assert expected.dtype == np.dtype(loop), (da, db, expected.dtype, loop)
            case = {'in': [da, db], 'args': [enc_array(a), enc_array(b)], 'dtype': loop, 'values': enc_array(expected)}
            case.update(float_info(expected, a.astype(np.float64), b.astype(np.float64), np.matmul, 3))
            if is64(loop):
                case['gpu64'] = True
            cases.append(case)
    return cases


# ------------------------------------------------------------------------------------------------
# Programs over views
#
# An operand is {"ref": name, "ops": [...]}: ops are ["get", index text] | ["T"] | ["transpose", [axes]] |
# ["broadcastTo", [shape]] | ["readonly"].


def make(dtype, shape, start=0, step=1):
    n = int(np.prod(shape)) if shape else 1
    vals = (np.arange(n) * step + start)
    if np.dtype(dtype).kind == 'b':
        return (vals % 3 == 0).reshape(shape)
    if np.dtype(dtype).kind == 'u':
        vals = np.abs(vals)
    if np.dtype(dtype).kind == 'f':
        # Eighths in [-4, 4): products and short sums are exact in every float dtype.
        return (((vals * 7 + 3) % 64) / 8.0 - 4).astype(dtype).reshape(shape)
    return (vals % 23 - 11 if np.dtype(dtype).kind == 'i' else vals % 23).astype(dtype).reshape(shape)


def rand(dtype, shape, seed):
    """Random floats in [-2, 2): sums that round."""
    return np.random.default_rng(seed).uniform(-2, 2, shape).astype(dtype)


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


FUNCTIONS = {
    'matmul': np.matmul,
    'dot': np.dot,
    'vdot': np.vdot,
    'inner': np.inner,
    'outer': np.outer,
    'tensordot': np.tensordot,
}


def terms(name, x, y, axes):
    """The number of terms of each output's sum."""
    x = np.asarray(x)
    y = np.asarray(y)
    if name == 'outer' or x.ndim == 0 or y.ndim == 0:
        return 1
    if name == 'vdot':
        return x.size
    if name == 'tensordot':
        if isinstance(axes, int):
            return int(np.prod(y.shape[:axes])) if axes > 0 else 1
        return int(np.prod([x.shape[k] for k in (axes[0] if isinstance(axes[0], list) else [axes[0]])]))
    return x.shape[-1]


def case_of(title, arrays, name, args, out=None, axes=None):
    fn = FUNCTIONS[name]
    enc_arrays = {k: {'dtype': v.dtype.name, 'shape': list(v.shape), 'values': enc_array(v)} for k, v in arrays.items()}
    case = {'title': title, 'arrays': enc_arrays, 'op': name, 'args': args}
    if out is not None:
        case['out'] = out
    if axes is not None:
        case['axes'] = axes
    kwargs = {} if axes is None else {'axes': axes if isinstance(axes, int) else tuple(axes)}
    # NumPy on the real arrays (overlap included: NumPy itself guarantees copy semantics)...
    work = {k: v.copy() for k, v in arrays.items()}
    operand = lambda spec, env, copy: (lambda v: v.copy() if copy else v)(apply_ops(env[spec['ref']], spec.get('ops', [])))
    try:
        if out is not None:
            kwargs['out'] = operand(out, work, False)
        result = fn(*[operand(a, work, False) for a in args], **kwargs)
    except (ValueError, TypeError, IndexError) as err:
        error_type = type(err).__name__
        case['error'] = {'type': error_type if error_type in ('ValueError', 'IndexError') else 'TypeError', 'message': str(err)}
        return case
    result = np.asarray(result)
    # ... and the expectation computed on copies of the operands, the semantics ndgpu promises.
    ref = {k: v.copy() for k, v in arrays.items()}
    ins = [operand(a, ref, True) for a in args]
    loop = narrow(np.result_type(*ins), [i.dtype for i in ins])
    kwargs.pop('out', None)
    expected = np.asarray(fn(*[i.astype(loop) for i in ins], **kwargs))
    if out is not None:
        target = operand(out, ref, False)
        np.copyto(target, expected, casting='same_kind')
        expected = target
    for k in arrays:
        assert np.array_equal(work[k], ref[k], equal_nan=True), f'{title}: NumPy differs from copy semantics'
    case['expect'] = {'dtype': expected.dtype.name, 'shape': list(expected.shape), 'values': enc_array(expected)}
    wide = [np.asarray(i, np.float64) for i in ins]
    case['expect'].update(float_info(np.asarray(fn(*[i.astype(loop) for i in ins], **kwargs)), wide[0], wide[1],
                                     lambda x, y: np.broadcast_to(fn(x, y, **kwargs), expected.shape), terms(name, ins[0], ins[1], axes)))
    if out is not None:
        case['after'] = {k: enc_array(v) for k, v in ref.items()}
    if is64(loop):
        case['gpu64'] = True
    return case


def R(name, *ops):
    return {'ref': name, 'ops': [list(op) for op in ops]}


def section_cases():
    cases = []
    f32 = lambda shape, start=0, step=1: make('float32', shape, start, step)
    i32 = lambda shape, start=0, step=1: make('int32', shape, start, step)
    C = lambda *a, **k: cases.append(case_of(*a, **k))
    # matmul shapes
    C('(2,3) @ (3,4)', {'a': f32((2, 3)), 'b': f32((3, 4), 5)}, 'matmul', [R('a'), R('b')])
    C('1x1 @ 1x1', {'a': f32((1, 1), 3), 'b': f32((1, 1), 9)}, 'matmul', [R('a'), R('b')])
    C('1-D @ 1-D', {'a': i32((5,)), 'b': i32((5,), 2)}, 'matmul', [R('a'), R('b')])
    C('2-D @ 1-D', {'a': f32((4, 3)), 'b': f32((3,), 1)}, 'matmul', [R('a'), R('b')])
    C('1-D @ 2-D', {'a': f32((3,), 2), 'b': f32((3, 5), 1)}, 'matmul', [R('a'), R('b')])
    C('1-D @ batched', {'a': i32((3,)), 'b': i32((4, 3, 2), 1)}, 'matmul', [R('a'), R('b')])
    C('batched @ 1-D', {'a': i32((2, 4, 3), 5), 'b': i32((3,), 1)}, 'matmul', [R('a'), R('b')])
    C('batched (4,3,5) @ (4,5,2)', {'a': i32((4, 3, 5)), 'b': i32((4, 5, 2), 3)}, 'matmul', [R('a'), R('b')])
    C('broadcast (2,1,3,4) @ (5,4,2)', {'a': f32((2, 1, 3, 4)), 'b': f32((5, 4, 2), 7)}, 'matmul', [R('a'), R('b')])
    C('broadcast (3,4) @ (2,4,5)', {'a': i32((3, 4), 1), 'b': i32((2, 4, 5), 2)}, 'matmul', [R('a'), R('b')])
    C('broadcast (6,1,2,3) @ (1,4,3,2)', {'a': i32((6, 1, 2, 3)), 'b': i32((1, 4, 3, 2), 9)}, 'matmul', [R('a'), R('b')])
    C('stack of x @ w (folds into one product)', {'x': f32((5, 6, 7)), 'w': f32((7, 3), 2)}, 'matmul', [R('x'), R('w')])
    C('empty (0,3) @ (3,4)', {'a': np.zeros((0, 3), np.float32), 'b': f32((3, 4))}, 'matmul', [R('a'), R('b')])
    C('empty batch (0,2,3) @ (3,4)', {'a': np.zeros((0, 2, 3), np.int32), 'b': i32((3, 4))}, 'matmul', [R('a'), R('b')])
    C('empty sum (2,0) @ (0,3)', {'a': np.zeros((2, 0), np.float32), 'b': np.zeros((0, 3), np.float32)}, 'matmul', [R('a'), R('b')])
    C('empty sum (0,) @ (0,)', {'a': np.zeros((0,), np.int16), 'b': np.zeros((0,), np.int16)}, 'matmul', [R('a'), R('b')])
    C('primes 37x53 @ 53x61 (random float32)', {'a': rand('float32', (37, 53), 1), 'b': rand('float32', (53, 61), 2)}, 'matmul', [R('a'), R('b')])
    C('primes 37x53 @ 53x61 (transposed operands)', {'a': f32((53, 37), 3), 'b': f32((61, 53), 4)}, 'matmul',
      [R('a', ('T',)), R('b', ('T',))])
    C('long sum 2x600 @ 600x2 (random float32)', {'a': rand('float32', (2, 600), 5), 'b': rand('float32', (600, 2), 6)}, 'matmul', [R('a'), R('b')])
    C('float16 (random) 7x40 @ 40x5', {'a': rand('float16', (7, 40), 7), 'b': rand('float16', (40, 5), 8)}, 'matmul', [R('a'), R('b')])
    C('int8 @ int8 wraps', {'a': make('int8', (3, 9), 90, 37), 'b': make('int8', (9, 4), -100, 41)}, 'matmul', [R('a'), R('b')])
    C('bool @ bool', {'a': make('bool', (4, 5)), 'b': make('bool', (5, 3), 1)}, 'matmul', [R('a'), R('b')])
    C('uint8 @ int16 -> int16', {'a': make('uint8', (3, 4), 200, 9), 'b': make('int16', (4, 2), -7)}, 'matmul', [R('a'), R('b')])
    C('float16 @ float32 -> float32', {'a': make('float16', (2, 5)), 'b': f32((5, 3), 4)}, 'matmul', [R('a'), R('b')])
    C('int32 @ uint32 -> int32 (ndgpu narrows)', {'a': i32((2, 3), -5), 'b': make('uint32', (3, 2), 4)}, 'matmul', [R('a'), R('b')])
    C('float64 @ float32 (cpu)', {'a': make('float64', (2, 3)), 'b': f32((3, 2))}, 'matmul', [R('a'), R('b')])
    C('int64 @ int32 (cpu)', {'a': make('int64', (2, 3), 2**33, 2**31), 'b': i32((3, 2), 5)}, 'matmul', [R('a'), R('b')])
    # Views as operands
    C('a.T @ b', {'a': f32((3, 4)), 'b': f32((3, 2), 1)}, 'matmul', [R('a', ('T',)), R('b')])
    C('a @ b.T', {'a': f32((4, 6)), 'b': f32((5, 6), 3)}, 'matmul', [R('a'), R('b', ('T',))])
    C('a[::2, 1::3] @ b[::-1]', {'a': i32((6, 9)), 'b': i32((3, 4), 2)}, 'matmul', [R('a', ('get', '::2, 1::3')), R('b', ('get', '::-1'))])
    C('a[:, ::-1] @ b[::-2, ::3]', {'a': f32((3, 4), 1), 'b': f32((8, 7), 5)}, 'matmul', [R('a', ('get', ':, ::-1')), R('b', ('get', '::-2, ::3'))])
    C('batched transposes a.transpose(0,2,1) @ b.transpose(2,0,1)', {'a': i32((2, 5, 3)), 'b': i32((4, 2, 5), 3)}, 'matmul',
      [R('a', ('transpose', [0, 2, 1])), R('b', ('transpose', [1, 2, 0]))])
    C('broadcast_to operand (stride 0)', {'a': f32((1, 3)), 'b': f32((3, 4), 2)}, 'matmul', [R('a', ('broadcastTo', [5, 3])), R('b')])
    C('broadcast_to batch (stride 0 batch axis)', {'a': i32((2, 3)), 'b': i32((3, 2), 1)}, 'matmul',
      [R('a', ('broadcastTo', [4, 2, 3])), R('b')])
    C('column of a matrix @ matrix', {'a': f32((5, 4)), 'b': f32((5, 3), 1)}, 'matmul', [R('a', ('get', ':, 1')), R('b', ('get', '::-1'))])
    C('a @ a.T (one buffer)', {'a': i32((4, 3), -5)}, 'matmul', [R('a'), R('a', ('T',))])
    C('int16 strided @ uint8 transposed', {'a': make('int16', (6, 4), -9, 5), 'b': make('uint8', (5, 4), 7, 11)}, 'matmul',
      [R('a', ('get', '::2')), R('b', ('T',))])
    C('float16 reversed @ float16 strided', {'a': make('float16', (3, 4), 2), 'b': make('float16', (8, 2), 5)}, 'matmul',
      [R('a', ('get', '::-1, ::-1')), R('b', ('get', '1::2'))])
    # Outputs into views
    C('out = o[::2, 1:]', {'a': f32((2, 3)), 'b': f32((3, 4), 1), 'o': np.full((4, 5), -1, np.float32)}, 'matmul', [R('a'), R('b')],
      out=R('o', ('get', '::2, 1:')))
    C('out = o.T', {'a': i32((3, 2)), 'b': i32((2, 4), 1), 'o': np.full((4, 3), 7, np.int32)}, 'matmul', [R('a'), R('b')], out=R('o', ('T',)))
    C('out = o[::-1] (batched)', {'a': i32((2, 2, 3)), 'b': i32((2, 3, 2), 1), 'o': np.zeros((2, 2, 2), np.int32)}, 'matmul', [R('a'), R('b')],
      out=R('o', ('get', '::-1')))
    C('out float32 -> float16', {'a': f32((2, 3)), 'b': f32((3, 2), 1), 'o': np.zeros((2, 2), np.float16)}, 'matmul', [R('a'), R('b')], out=R('o'))
    C('out int8 -> float32 (same_kind)', {'a': make('int8', (2, 3), 100, 9), 'b': make('int8', (3, 2), 50, 7), 'o': np.zeros((2, 2), np.float32)},
      'matmul', [R('a'), R('b')], out=R('o'))
    C('out int16 -> int8 (wraps)', {'a': make('int16', (2, 3), 100, 9), 'b': make('int16', (3, 2), 50, 7), 'o': np.zeros((2, 4), np.int8)},
      'matmul', [R('a'), R('b')], out=R('o', ('get', ':, ::2')))
    C('out with extra loop axes (inputs broadcast)', {'a': f32((2, 3)), 'b': f32((3, 4), 1), 'o': np.zeros((3, 2, 4), np.float32)},
      'matmul', [R('a'), R('b')], out=R('o'))
    C('1-D @ 1-D into a 0-d view', {'a': i32((4,)), 'b': i32((4,), 1), 'o': np.zeros((3,), np.int32)}, 'matmul', [R('a'), R('b')],
      out=R('o', ('get', '1, ...')))
    # Overlapping out: as if the operands were copied first
    C('matmul(x, x, out=x)', {'x': i32((3, 3), -4)}, 'matmul', [R('x'), R('x')], out=R('x'))
    C('matmul(x, y, out=x) float32', {'x': f32((4, 4)), 'y': f32((4, 4), 3)}, 'matmul', [R('x'), R('y')], out=R('x'))
    C('matmul(x.T, y, out=x)', {'x': f32((3, 3), 1), 'y': f32((3, 3), 2)}, 'matmul', [R('x', ('T',)), R('y')], out=R('x'))
    C('matmul(x[:2], y, out=x[1:])', {'x': i32((3, 3), 2), 'y': i32((3, 3), -3)}, 'matmul', [R('x', ('get', ':2')), R('y')],
      out=R('x', ('get', '1:')))
    C('out apart in the same buffer: x[1] = x[0] @ y', {'x': f32((2, 3, 3)), 'y': f32((3, 3), 1)}, 'matmul', [R('x', ('get', '0')), R('y')],
      out=R('x', ('get', '1')))
    C('out apart, interleaved: x[:, ::2] = x[:, 1::2] @ y', {'x': i32((3, 4)), 'y': i32((2, 2), 5)}, 'matmul',
      [R('x', ('get', ':, 1::2')), R('y')], out=R('x', ('get', ':, ::2')))
    C('int8 out overlapping (sub-word)', {'x': make('int8', (4, 4), 3), 'y': make('int8', (4, 4), -2)}, 'matmul', [R('x'), R('y')],
      out=R('x', ('T',)))
    # dot, vdot, inner, outer, tensordot
    C('dot 1-D . 1-D', {'a': f32((6,)), 'b': f32((6,), 3)}, 'dot', [R('a'), R('b')])
    C('dot 2-D . 2-D', {'a': i32((3, 4)), 'b': i32((4, 2), 1)}, 'dot', [R('a'), R('b')])
    C('dot N-D . 1-D', {'a': i32((2, 3, 4)), 'b': i32((4,), 1)}, 'dot', [R('a'), R('b')])
    C('dot 1-D . N-D', {'a': f32((3,)), 'b': f32((2, 3, 4), 1)}, 'dot', [R('a'), R('b')])
    C('dot N-D . M-D', {'a': i32((2, 3, 4)), 'b': i32((5, 4, 2), 7)}, 'dot', [R('a'), R('b')])
    C('dot of transposed views', {'a': f32((4, 3)), 'b': f32((2, 4), 1)}, 'dot', [R('a', ('T',)), R('b', ('T',))])
    C('dot with a 0-d operand multiplies', {'a': np.array(3, np.int32), 'b': i32((2, 3), 1)}, 'dot', [R('a'), R('b')])
    C('vdot 1-D', {'a': f32((5,)), 'b': f32((5,), 2)}, 'vdot', [R('a'), R('b')])
    C('vdot of a non-contiguous 2-D view', {'a': i32((4, 6)), 'b': i32((3, 2), 1)}, 'vdot', [R('a', ('get', '::2, ::2')), R('b', ('T',))])
    C('inner 1-D', {'a': i32((4,)), 'b': i32((4,), 3)}, 'inner', [R('a'), R('b')])
    C('inner 2-D, 3-D', {'a': f32((2, 3)), 'b': f32((4, 2, 3), 1)}, 'inner', [R('a'), R('b')])
    C('inner of views', {'a': i32((3, 6)), 'b': i32((3, 5), 2)}, 'inner', [R('a', ('get', ':, ::2')), R('b', ('get', '::-1, 1:4'))])
    C('outer', {'a': f32((3,)), 'b': f32((4,), 1)}, 'outer', [R('a'), R('b')])
    C('outer flattens 2-D views', {'a': i32((2, 3)), 'b': i32((2, 2), 5)}, 'outer', [R('a', ('T',)), R('b', ('get', '::-1'))])
    C('outer keeps -0.0', {'a': np.array([-0.0, 1.5], np.float32), 'b': np.array([1.0, -0.0], np.float32)}, 'outer', [R('a'), R('b')])
    C('outer bool', {'a': make('bool', (4,)), 'b': make('bool', (3,), 1)}, 'outer', [R('a'), R('b')])
    C('tensordot axes=2', {'a': i32((2, 3, 4)), 'b': i32((3, 4, 5), 1)}, 'tensordot', [R('a'), R('b')], axes=2)
    C('tensordot axes=1', {'a': f32((2, 3)), 'b': f32((3, 4), 2)}, 'tensordot', [R('a'), R('b')], axes=1)
    C('tensordot axes=0 (outer)', {'a': i32((2, 2)), 'b': i32((3,), 1)}, 'tensordot', [R('a'), R('b')], axes=0)
    C('tensordot listed axes', {'a': i32((3, 4, 5)), 'b': i32((4, 3, 2), 2)}, 'tensordot', [R('a'), R('b')], axes=[[1, 0], [0, 1]])
    C('tensordot axes apart (gathered)', {'a': i32((3, 2, 4)), 'b': i32((4, 5, 3), 1)}, 'tensordot', [R('a'), R('b')], axes=[[0, 2], [2, 0]])
    C('tensordot single axes as ints', {'a': f32((3, 4)), 'b': f32((5, 3), 1)}, 'tensordot', [R('a'), R('b')], axes=[0, 1])
    C('tensordot of views', {'a': i32((4, 6)), 'b': i32((3, 5), 2)}, 'tensordot', [R('a', ('get', '::2, ::2')), R('b', ('T',))], axes=[[1], [1]])
    # Errors
    f = lambda shape: f32(shape)
    C('matmul 0-d operand', {'a': np.array(2, np.float32), 'b': f((3,))}, 'matmul', [R('a'), R('b')])
    C('matmul 0-d second operand', {'a': f((3,)), 'b': np.array(2, np.float32)}, 'matmul', [R('a'), R('b')])
    C('matmul core mismatch', {'a': f((2, 3)), 'b': f((4, 5))}, 'matmul', [R('a'), R('b')])
    C('matmul core mismatch 1-D', {'a': f((3,)), 'b': f((4,))}, 'matmul', [R('a'), R('b')])
    C('matmul batch mismatch', {'a': f((2, 2, 3)), 'b': f((3, 3, 4))}, 'matmul', [R('a'), R('b')])
    C('matmul out loop mismatch, 1-D operand', {'a': f((3,)), 'b': f((5, 3, 4)), 'o': f((6, 4))}, 'matmul', [R('a'), R('b')], out=R('o'))
    C('matmul batch mismatch, ranks differ', {'a': f((5, 2, 3)), 'b': f((2, 7, 3, 4))}, 'matmul', [R('a'), R('b')])
    C('matmul out core mismatch', {'a': f((2, 3)), 'b': f((3, 4)), 'o': f((2, 5))}, 'matmul', [R('a'), R('b')], out=R('o'))
    C('matmul out core mismatch (vector)', {'a': f((2, 3)), 'b': f((3,)), 'o': f((4,))}, 'matmul', [R('a'), R('b')], out=R('o'))
    C('matmul out too few dimensions', {'a': f((2, 3)), 'b': f((3, 4)), 'o': f((4,))}, 'matmul', [R('a'), R('b')], out=R('o'))
    C('matmul out loop mismatch', {'a': f((5, 2, 3)), 'b': f((3, 4)), 'o': f((6, 2, 4))}, 'matmul', [R('a'), R('b')], out=R('o'))
    C('matmul out loop too small', {'a': f((4, 2, 3)), 'b': f((4, 3, 2)), 'o': f((1, 2, 2))}, 'matmul', [R('a'), R('b')], out=R('o'))
    C('matmul out dtype (same_kind)', {'a': f((2, 3)), 'b': f((3, 2)), 'o': i32((2, 2))}, 'matmul', [R('a'), R('b')], out=R('o'))
    C('matmul out read-only', {'a': f((2, 3)), 'b': f((3, 2)), 'o': f((2, 2))}, 'matmul', [R('a'), R('b')], out=R('o', ('readonly',)))
    C('dot not aligned', {'a': f((2, 3)), 'b': f((4, 5))}, 'dot', [R('a'), R('b')])
    C('dot not aligned 1-D', {'a': f((3,)), 'b': f((4,))}, 'dot', [R('a'), R('b')])
    C('dot not aligned N-D', {'a': f((2, 3)), 'b': f((6, 4, 5))}, 'dot', [R('a'), R('b')])
    C('inner not aligned', {'a': f((2, 3)), 'b': f((4, 5))}, 'inner', [R('a'), R('b')])
    C('inner not aligned 3-D', {'a': f((2, 3, 7)), 'b': f((6, 4, 5))}, 'inner', [R('a'), R('b')])
    C('vdot sizes differ', {'a': f((3,)), 'b': f((2, 2))}, 'vdot', [R('a'), R('b')])
    C('tensordot shape mismatch', {'a': f((2, 3)), 'b': f((4, 5))}, 'tensordot', [R('a'), R('b')], axes=1)
    C('tensordot axes counts differ', {'a': f((2, 3)), 'b': f((3, 2))}, 'tensordot', [R('a'), R('b')], axes=[[0], [1, 0]])
    C('tensordot axis out of range', {'a': f((2, 3)), 'b': f((3, 2))}, 'tensordot', [R('a'), R('b')], axes=[[5], [0]])
    C('tensordot too many axes', {'a': f((2, 3)), 'b': f((2, 3))}, 'tensordot', [R('a'), R('b')], axes=3)
    C('tensordot duplicate axes', {'a': f((2, 2)), 'b': f((2, 2))}, 'tensordot', [R('a'), R('b')], axes=[[0, 0], [1, 1]])
    return cases


def main():
    fixtures = {'numpy': np.__version__, 'table': section_table(), 'cases': section_cases()}
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'products.json')
    with open(path, 'w') as f:
        json.dump(fixtures, f, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print(f"wrote {path}: {len(fixtures['table'])} table cases, {len(fixtures['cases'])} cases, {os.path.getsize(path)} bytes")


if __name__ == '__main__':
    main()
