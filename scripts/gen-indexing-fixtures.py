#!/usr/bin/env python3
"""Golden fixtures for ndgpu's advanced indexing and its routines (test/fixtures/indexing.json), by NumPy 2.

Replayed by test/indexing.test.ts on every backend. Each case is a small program over named arrays:

- "arrays": the owners, {dtype, shape, values} (values C order, encoded as below);
- "target": the array indexed or passed first: {"ref": name, "ops": [view ops]}, view ops being
  ["get", basic index string], ["T"], ["transpose", perm], ["flip", axis], ["broadcastTo", shape]
  (made writeable for a set: NumPy's own broadcast views are read-only, so only gets use them);
- get/set cases: "index" is a list of items — an integer, null (newaxis), "..." (Ellipsis),
  {"slice": [start, stop, step]}, {"bool": b} (Python's True/False), or an index array
  {"list": nested values, "dtype": index dtype, "array": name?, "ops": [view ops]?}: the test replays each
  index array as nested JS arrays, and again as an NDArray (made from the list in `dtype`, or the named
  array's view when "array" is given: transposed, reversed and broadcast index arrays); "string" is the
  same index in NumPy's syntax where it has one; set cases have "value": {"scalar": v},
  {"nested": nested} or {"ref": name, "ops": [...]} (a view, possibly of the target's own memory);
- routine cases: "routine" (take, put, nonzero, flatnonzero, argwhere, compress, extract, putmask,
  copyto, cumsum, cumprod), "args" (operands: {"ref"...}, {"scalar": v}, {"nested": ...}, {"list": ...} with
  an optional "dtype" to replay as an NDArray too) and "options";
- the outcome: "expect" {dtype, shape, values} (a list of them for nonzero), "after" {name: values} (the
  owners after a write), or "error" {type, message}. Result dtypes are NumPy's narrowed by ndgpu's 32-bit
  rule (int64 positions and sums become int32, uint64 sums uint32, when no operand is 64-bit).
  "gpu64" marks routines that compute in a 64-bit dtype (WebGPU refuses them with a TypeError).
  "approx" marks float scans longer than one chunk (128 elements): ndgpu's defined order (see
  src/ndarray/core/scan-plan.ts) differs from NumPy's one-at-a-time order in rounding only.

Values: numbers and booleans; floats JSON cannot hold as "nan", "inf", "-inf", "-0"; 64-bit integers as
numbers (small here).

Run: python3 scripts/gen-indexing-fixtures.py
"""
import json
import math
import os

import numpy as np
from fixture_common import encode

DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float16', 'float32', 'float64', 'int64', 'uint64']
INDEX_DTYPES = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']


def enc_values(a):
    return [encode(v) for v in np.asarray(a).reshape(-1).tolist()]


def enc_array(a):
    a = np.asarray(a)
    return {'dtype': a.dtype.name, 'shape': list(a.shape), 'values': enc_values(a)}


def narrow(dtype, inputs):
    dt = np.dtype(dtype)
    if dt.itemsize < 8 or any(np.dtype(d).itemsize == 8 for d in inputs):
        return dt.name
    return {'f': 'float32', 'i': 'int32', 'u': 'uint32'}[dt.kind]


def sample(dtype, shape, seed=0):
    """Distinct, recognisable values of `dtype` (floats with a NaN and a -0 where there is room)."""
    n = int(np.prod(shape))
    dt = np.dtype(dtype)
    if dt.kind == 'b':
        return ((np.arange(n) * 7 + seed) % 3 == 1).reshape(shape)
    base = np.arange(n) + 1 + seed
    if dt.kind == 'u':
        v = (base * 5) % (min(200, np.iinfo(dt).max) + 1)
    elif dt.kind == 'i':
        v = ((base * 5) % 201) - 100
        if dt == np.int8:
            v = ((base * 5) % 201) - 100
    else:
        v = (base * 1.25) - 3.5 * (base % 3)
    a = np.asarray(v).astype(dtype).reshape(shape)
    if dt.kind == 'f' and n >= 4:
        flat = a.reshape(-1)
        flat[1] = np.nan
        flat[2] = -0.0
    return a


# ------------------------------------------------------------------------------------------------
# Applying view ops and indexes in NumPy

def parse_basic(text):
    """A basic index string (the harness's 'get' op) as a NumPy index."""
    items = []
    for part in [p.strip() for p in text.split(',')] if text.strip() else []:
        if part == '...':
            items.append(Ellipsis)
        elif part == 'None':
            items.append(None)
        elif ':' in part:
            bounds = [int(b) if b.strip() else None for b in part.split(':')]
            items.append(slice(*bounds))
        else:
            items.append(int(part))
    return tuple(items)


def apply_ops(a, ops, writeable=False):
    for op in ops:
        if op[0] == 'get':
            a = a[parse_basic(op[1])]
        elif op[0] == 'T':
            a = a.T
        elif op[0] == 'transpose':
            a = a.transpose(op[1])
        elif op[0] == 'flip':
            a = np.flip(a, op[1])
        elif op[0] == 'broadcastTo':
            a = np.broadcast_to(a, op[1])
            if writeable:
                a.flags.writeable = True  # NumPy warns; the harness does the same with ndgpu
        else:
            raise ValueError(op)
    return a


class Item:
    """An index item: basic, or an index array (its values, dtype, and optional source view)."""

    def __init__(self, value, dtype=None, array=None, ops=None):
        self.value = value
        self.dtype = dtype
        self.array = array
        self.ops = ops or []

    def numpy(self, arrays):
        if self.array is not None:
            return apply_ops(arrays[self.array], self.ops)
        return np.asarray(self.value, dtype=self.dtype) if self.dtype else self.value


def L(values, dtype=None, array=None, ops=None):
    return Item(values, dtype, array, ops)


def enc_item(item, arrays):
    if isinstance(item, Item):
        values = item.numpy(arrays)
        listed = np.asarray(values).tolist() if not isinstance(values, list) else values
        out = {'list': listed}
        dt = np.asarray(values).dtype if item.dtype or item.array else None
        if item.dtype:
            out['dtype'] = np.dtype(item.dtype).name
        elif item.array is not None:
            out['dtype'] = dt.name
        if item.array is not None:
            out['array'] = item.array
            out['ops'] = item.ops
        return out
    if item is None:
        return None
    if item is Ellipsis:
        return '...'
    if isinstance(item, bool):
        return {'bool': item}
    if isinstance(item, int):
        return item
    if isinstance(item, slice):
        return {'slice': [item.start, item.stop, item.step]}
    raise ValueError(item)


def to_numpy_index(items, arrays):
    # Lists stay lists (NumPy converts them as it converts list indices: [] is an integer array).
    return tuple(item.numpy(arrays) if isinstance(item, Item) else item for item in items)


def string_of(items):
    """NumPy's index syntax for the items, or None where there is none (views of arrays)."""
    parts = []
    for item in items:
        if isinstance(item, Item):
            if item.array is not None:
                return None
            parts.append(py_list(item.value))
        elif item is None:
            parts.append('None')
        elif item is Ellipsis:
            parts.append('...')
        elif isinstance(item, bool):
            parts.append('True' if item else 'False')
        elif isinstance(item, int):
            parts.append(str(item))
        elif isinstance(item, slice):
            s = f"{'' if item.start is None else item.start}:{'' if item.stop is None else item.stop}"
            if item.step is not None:
                s += f':{item.step}'
            parts.append(s)
    return ', '.join(parts)


def py_list(v):
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, list):
        return '[' + ', '.join(py_list(x) for x in v) + ']'
    if isinstance(v, bool):
        return 'True' if v else 'False'
    return str(int(v))


def error_of(err):
    kind = type(err).__name__
    if kind == 'AxisError':
        kind = 'ValueError'
    return {'type': kind, 'message': str(err)}


# ------------------------------------------------------------------------------------------------
# Case builders

CASES = []


def arrays_enc(arrays):
    return {name: enc_array(a) for name, a in arrays.items()}


def get_case(title, arrays, target, items, expect_string=True):
    ref, ops = target
    numpy_arrays = {k: v.copy() for k, v in arrays.items()}
    case = {'title': title, 'arrays': arrays_enc(arrays), 'target': {'ref': ref, 'ops': ops}, 'op': 'get',
            'index': [enc_item(i, numpy_arrays) for i in items]}
    s = string_of(items) if expect_string else None
    if s is not None:
        case['string'] = s
    try:
        result = apply_ops(numpy_arrays[ref], ops)[to_numpy_index(items, numpy_arrays)]
        case['expect'] = enc_array(result)
    except Exception as err:  # noqa: BLE001 - NumPy's errors are the expectation
        case['error'] = error_of(err)
    CASES.append(case)


def set_case(title, arrays, target, items, value, expect_string=True):
    ref, ops = target
    numpy_arrays = {k: v.copy() for k, v in arrays.items()}
    case = {'title': title, 'arrays': arrays_enc(arrays), 'target': {'ref': ref, 'ops': ops}, 'op': 'set',
            'index': [enc_item(i, numpy_arrays) for i in items]}
    s = string_of(items) if expect_string else None
    if s is not None:
        case['string'] = s
    if isinstance(value, tuple) and value[0] == 'ref':
        case['value'] = {'ref': value[1], 'ops': value[2]}
    elif isinstance(value, list):
        case['value'] = {'nested': value}
    else:
        case['value'] = {'scalar': encode(value)}
    try:
        t = apply_ops(numpy_arrays[ref], ops, writeable=True)
        index = to_numpy_index(items, numpy_arrays)
        if isinstance(value, tuple):
            v = apply_ops(numpy_arrays[value[1]], value[2]).copy()  # "as if the value were copied first"
        else:
            v = value
        t[index] = v
        case['after'] = {name: enc_values(a) for name, a in numpy_arrays.items()}
    except Exception as err:  # noqa: BLE001
        case['error'] = error_of(err)
    CASES.append(case)


SCAN_CHUNK = 128


def ndgpu_scan_row(x, op, dtype):
    """One row scanned in ndgpu's defined order (src/ndarray/core/scan-plan.ts), in its float arithmetic."""
    f32 = np.float32

    def combine(a, b):
        r = f32(a) + f32(b) if op == 'cumsum' else f32(a) * f32(b)
        return np.float16(r) if dtype == 'float16' else f32(r)

    def scan(values):
        n = len(values)
        out = list(values)
        if n == 0:
            return out
        if n <= SCAN_CHUNK:
            for i in range(1, n):
                out[i] = combine(out[i - 1], values[i])
            return out
        chunks = (n + SCAN_CHUNK - 1) // SCAN_CHUNK
        totals = []
        for k in range(chunks):
            start, end = k * SCAN_CHUNK, min((k + 1) * SCAN_CHUNK, n)
            for i in range(start + 1, end):
                out[i] = combine(out[i - 1], values[i])
            totals.append(out[end - 1])
        carry = scan(totals)
        for k in range(1, chunks):
            for i in range(k * SCAN_CHUNK, min((k + 1) * SCAN_CHUNK, n)):
                out[i] = combine(carry[k - 1], out[i])
        return out

    return np.array(scan([np.dtype(dtype).type(v) for v in x]), dtype=dtype)


def ndgpu_scan(x, op, axis):
    x = np.asarray(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    moved = np.moveaxis(x, axis, -1)
    out = np.empty_like(moved)
    for index in np.ndindex(moved.shape[:-1]):
        out[index] = ndgpu_scan_row(moved[index], op, x.dtype.name)
    return np.moveaxis(out, -1, axis)


def routine_case(title, arrays, routine, args, options=None, gpu64=False, approx=False, narrow_to=None):
    numpy_arrays = {k: v.copy() for k, v in arrays.items()}
    case = {'title': title, 'arrays': arrays_enc(arrays), 'routine': routine, 'args': [], 'options': options or {}}

    def operand(arg):
        if isinstance(arg, tuple) and arg[0] == 'ref':
            case['args'].append({'ref': arg[1], 'ops': arg[2]})
            return apply_ops(numpy_arrays[arg[1]], arg[2])
        if isinstance(arg, Item):
            v = arg.numpy(numpy_arrays)
            enc = {'list': np.asarray(v).tolist() if isinstance(v, np.ndarray) else v}
            if arg.dtype:
                enc['dtype'] = np.dtype(arg.dtype).name
            case['args'].append(enc)
            return np.asarray(v, dtype=arg.dtype) if arg.dtype else v
        if isinstance(arg, list):
            case['args'].append({'nested': arg})
            return arg
        case['args'].append({'scalar': encode(arg)})
        return arg

    values = [operand(a) for a in args]
    opts = dict(options or {})
    in_dtypes = [np.asarray(v).dtype.name for v in values if isinstance(v, np.ndarray)]
    try:
        if routine in ('put', 'putmask', 'copyto'):
            fn = getattr(np, routine)
            fn(*values, **opts)
            case['after'] = {name: enc_values(a) for name, a in numpy_arrays.items()}
        else:
            fn = getattr(np, routine)
            result = fn(*values, **opts)
            # Positions are int32 whatever the operand (ndgpu's 32-bit rule; NumPy's are int64).
            if routine == 'nonzero':
                case['expect'] = [narrowed(r, in_dtypes, 'int32') for r in result]
            else:
                positions = 'int32' if routine in ('flatnonzero', 'argwhere') else narrow_to
                case['expect'] = narrowed(result, in_dtypes, positions)
            if approx:
                # The order ndgpu defines, exactly; NumPy's result within 1e-6 of the largest partial sum
                # of magnitudes (the two orders differ in rounding only).
                ordered = ndgpu_scan(values[0], routine, opts.get('axis'))
                case['ordered'] = enc_array(ordered)
                magnitudes = np.cumsum(np.abs(np.asarray(values[0], dtype=np.float64)), axis=opts.get('axis'))
                case['tolerance'] = float(1e-6 * np.max(magnitudes))
    except Exception as err:  # noqa: BLE001
        case['error'] = error_of(err)
    if gpu64:
        case['gpu64'] = True
    if approx:
        case['approx'] = True
    CASES.append(case)


def narrowed(result, in_dtypes, to=None):
    r = np.asarray(result)
    name = to or narrow(r.dtype.name, in_dtypes)
    return enc_array(r.astype(name))


# ------------------------------------------------------------------------------------------------
# get

def gets():
    a = {'a': np.arange(24, dtype=np.int32).reshape(2, 3, 4)}
    a1 = {'v': np.arange(10, dtype=np.int32) * 10}
    m = {'m': np.arange(20, dtype=np.int32).reshape(4, 5)}
    t = ('a', [])
    get_case('1-D: a list index', a1, ('v', []), [L([0, 2, 9])])
    get_case('1-D: negative and repeated indices', a1, ('v', []), [L([-1, 3, 3, -10, 0, 3])])
    get_case('1-D: an empty list', a1, ('v', []), [L([])])
    get_case('1-D: a 2-d index array', a1, ('v', []), [L([[1, 2], [3, 4], [9, 0]])])
    get_case('1-D: a 0-d index array', a1, ('v', []), [L(7, 'int32')], expect_string=False)
    get_case('a list index on the first axis', a, t, [L([1, 0, 1])])
    get_case('a list index, then a slice', a, t, [L([1, 0]), slice(1, None)])
    get_case('a slice, then a list index', m, ('m', []), [slice(1, None), L([0, 4, 2])])
    get_case('ellipsis, then a list index', a, t, [Ellipsis, L([3, 0])])
    get_case('newaxis, then a list index', a, t, [None, L([1])])
    get_case('two arrays with a slice between: broadcast axes first', a, t, [L([0, 1]), slice(None), L([0, 3])])
    get_case('two adjacent arrays: broadcast axes in place', a, t, [slice(None), L([0, 2]), L([3, 1])])
    get_case('an integer and an array separated by a slice', a, t, [0, slice(None), L([1, 2])])
    get_case('an integer and an array adjacent', a, t, [slice(None), 0, L([1, 2])])
    get_case('arrays separated by newaxis', a, t, [L([0, 1]), None, L([0, 1])])
    get_case('arrays separated by an ellipsis of no axes', m, ('m', []), [L([0, 1]), Ellipsis, L([2, 3])])
    get_case('index arrays broadcast together', a, t, [L([[0], [1]]), L([0, 2, 1])])
    get_case('three arrays, one a column', a, t, [L([[1], [0]]), L([2, 0]), L([3, 3])])
    get_case('an array between slices', a, t, [slice(None, None, -1), L([2, 0]), slice(1, 3)])
    get_case('a boolean list', a1, ('v', []), [L([True, False, True, False, False, True, True, False, False, True])])
    get_case('a boolean list selecting nothing', a1, ('v', []), [L([False] * 10)])
    get_case('a 2-d boolean mask over two axes', m, ('m', []), [L((np.arange(20).reshape(4, 5) % 3 == 0).tolist())])
    get_case('a boolean mask over the last axis', a, t, [Ellipsis, L([True, False, True, True])])
    get_case('a boolean mask and an integer array', a, t, [L([True, False]), slice(None), L([1, 3])])
    get_case('a 2-d mask and an array', a, t, [L([[True, False, True], [False, True, False]]), L([0, 1, 3])])
    get_case('True adds an axis', a, t, [True])
    get_case('False selects nothing', a, t, [False])
    get_case('True beside an array', a, t, [True, 0, L([0, 1])])
    get_case('a list of booleans and integers is integers', a1, ('v', []), [L([True, 2])])
    # Views as the target
    get_case('a transposed target', m, ('m', [['T']]), [L([4, 0]), L([1, 3])])
    get_case('a reversed, strided target', m, ('m', [['get', '::-1, ::2']]), [L([0, 3]), slice(None)])
    get_case('a broadcast target', {'r': np.arange(5, dtype=np.int16)}, ('r', [['broadcastTo', [4, 5]]]), [L([3, 0, 3]), L([4, 4, 1])])
    get_case('a 3-d permuted target', a, ('a', [['transpose', [2, 0, 1]]]), [slice(None), L([1, 1]), L([2, 0])])
    # Views as the index array
    idx = {'m': np.arange(20, dtype=np.int32).reshape(4, 5), 'i': np.array([[0, 1, 2], [3, 2, 1]], dtype=np.int32)}
    get_case('a transposed index array', idx, ('m', []), [L(None, array='i', ops=[['T']])])
    get_case('a reversed index array', idx, ('m', []), [slice(None), L(None, array='i', ops=[['get', '0, ::-1']])])
    get_case('a broadcast index array', idx, ('m', []), [L(None, array='i', ops=[['get', '1'], ['broadcastTo', [2, 3]]]), L([0, 4, 2])])
    # Every dtype as the target (bits move unchanged), every integer dtype as the index
    for dtype in DTYPES:
        get_case(f'{dtype} target', {'x': sample(dtype, [3, 4])}, ('x', []), [L([2, 0, 2]), L([[1], [3]])])
    for dtype in INDEX_DTYPES:
        get_case(f'{dtype} index array', {'x': sample('float32', [6])}, ('x', []), [L([5, 1, 0, 3], dtype)])
    get_case('int8 negative indices', {'x': sample('uint16', [6])}, ('x', []), [L([-1, -6, 2], 'int8')])
    # Empty selections
    get_case('an empty index on an empty axis', {'z': np.zeros((0, 3), np.float32)}, ('z', []), [L([])])
    get_case('an index into a zero-length trailing axis', {'z': np.zeros((3, 0), np.float32)}, ('z', []), [L([2, 0])])
    # Errors
    get_case('out of range', a1, ('v', []), [L([1, 10])])
    get_case('out of range, negative', a1, ('v', []), [L([0, -11])])
    get_case('out of range on a later axis', a, t, [slice(None), L([0, 3])])
    get_case('out of range in int8', {'x': sample('float32', [6])}, ('x', []), [L([0, 100], 'int8')])
    get_case('out of range in uint64', {'x': sample('float32', [6])}, ('x', []), [L([0, 7], 'uint64')])
    get_case('the first bad array is reported', a, t, [L([0, 5]), L([9, 1])])
    get_case('out of range into an empty axis', {'z': np.zeros((0, 3), np.float32)}, ('z', []), [L([0])])
    get_case('too many indices', a1, ('v', []), [L([0]), L([0])])
    get_case('a mask of the wrong length', a, t, [L([True, False, True])])
    get_case('a 2-d mask of the wrong shape', m, ('m', []), [L([[True]])])
    get_case('index arrays that do not broadcast', a, t, [L([0, 1, 0]), L([0, 1])])
    get_case('a mask that does not broadcast with an array', a, t, [L([[True, False, True], [False, True, False]]), L([0, 1])])
    get_case('an integer out of range beside an array', a, t, [L([0]), 5])


# ------------------------------------------------------------------------------------------------
# set

def sets():
    v = {'v': np.arange(10, dtype=np.int32) * 10}
    m = {'m': np.arange(20, dtype=np.float32).reshape(4, 5)}
    set_case('a scalar through a list', v, ('v', []), [L([1, 3, 5])], 7)
    set_case('a list through a list', v, ('v', []), [L([9, 0, 4])], [1, 2, 3])
    set_case('repeated indices: the last value wins', v, ('v', []), [L([2, 5, 2, 2, 5])], [1, 2, 3, 4, 5])
    set_case('repeated indices with a scalar', v, ('v', []), [L([4, 4, -6])], -1)
    set_case('a value broadcast along the selection', m, ('m', []), [L([2, 0])], [1, 2, 3, 4, 5])
    set_case('rows through a list, a column of values', m, ('m', []), [L([3, 1])], [[7], [8]])
    set_case('repeated rows: the last row wins', m, ('m', []), [L([1, 1, 0, 1])], [[1] * 5, [2] * 5, [3] * 5, [4] * 5])
    set_case('a list index and a slice', m, ('m', []), [L([0, 2]), slice(1, None)], [[1, 2, 3, 4]])
    set_case('a slice and a list index', m, ('m', []), [slice(None), L([4, 1])], [[9, 8]])
    set_case('two arrays (points)', m, ('m', []), [L([0, 3, 0]), L([4, 0, 4])], [1, 2, 3])
    set_case('two arrays broadcast', m, ('m', []), [L([[0], [3]]), L([1, 2])], [[1, 2], [3, 4]])
    set_case('a boolean mask, scalar', m, ('m', []), [L((np.arange(20).reshape(4, 5) % 4 == 1).tolist())], -1)
    set_case('a boolean mask, one value per selected element', v, ('v', []), [L([True, False, False, True] + [False] * 5 + [True])], [7, 8, 9])
    set_case('a boolean mask, the wrong number of values', v, ('v', []), [L([True, False, False, True] + [False] * 6)], [7, 8, 9])
    set_case('a boolean mask, a 2-d value', v, ('v', []), [L([True] * 2 + [False] * 8)], [[7, 8]])
    set_case('a mask over the first axis and a slice', m, ('m', []), [L([True, False, True, False]), slice(2, None)], [[5, 6, 7]])
    set_case('a mask over rows, values per row', m, ('m', []), [L([False, True, True, False])], [[1], [2]])
    set_case('a mask over rows, the wrong number of rows', m, ('m', []), [L([False, True, True, False])], [[1], [2], [3]])
    set_case('True then an array', v, ('v', []), [True, L([1, 2])], [[5, 6]])
    set_case('an empty selection', v, ('v', []), [L([])], 5)
    set_case('an empty selection, an empty value', v, ('v', []), [L([])], [])
    # Overlap: the value is a view of the target's memory
    set_case('the value overlaps the target', v, ('v', []), [L([0, 1, 2, 3])], ('ref', 'v', [['get', '2:6']]))
    set_case('the value is the target reversed', v, ('v', []), [L([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])], ('ref', 'v', []))
    set_case('rows from the same array', m, ('m', []), [L([0, 3])], ('ref', 'm', [['get', '1:3']]))
    # Targets that are views
    set_case('a transposed target', m, ('m', [['T']]), [L([4, 0]), L([1, 3])], [10, 20])
    set_case('a reversed target', v, ('v', [['get', '::-1']]), [L([0, 2])], [1, 2])
    set_case('a strided target, repeated', v, ('v', [['get', '1::3']]), [L([2, 0, 2])], [4, 5, 6])
    # Index arrays that are views
    idx = {'m': np.arange(20, dtype=np.float32).reshape(4, 5), 'i': np.array([[0, 1, 2], [3, 2, 1]], dtype=np.int32)}
    set_case('a transposed index array', idx, ('m', []), [L(None, array='i', ops=[['T']]), L([0, 4])], -1)
    set_case('a reversed index array with repeats', idx, ('m', []), [slice(None), L(None, array='i', ops=[['get', '1, ::-1']])], [[1, 2, 3]])
    set_case('a broadcast index array, repeated', idx, ('m', []), [L(None, array='i', ops=[['get', '0'], ['broadcastTo', [2, 3]]]), 0], [[1, 2, 3], [4, 5, 6]])
    # The index array in the target's own memory
    own = {'w': np.array([3, 0, 1, 2, 7, 5, 6, 4], dtype=np.int32)}
    set_case('the index array is the target itself', own, ('w', []), [L(None, array='w', ops=[['get', '::2']])], [9, 8, 7, 6])
    # Every dtype as the target, casts of the value
    for dtype in DTYPES:
        x = {'x': sample(dtype, [3, 4])}
        set_case(f'{dtype} target, repeated rows', x, ('x', []), [L([2, 0, 2])], ('ref', 'y', []) if False else [[1], [0], [1]])
    for dtype in INDEX_DTYPES:
        set_case(f'{dtype} index array', {'x': sample('int16', [6])}, ('x', []), [L([5, 1, 5, 3], dtype)], [1, 2, 3, 4])
    set_case('float values into an integer target truncate', v, ('v', []), [L([0, 1])], [1.7, -2.7])
    set_case('an int16 array into a float16 target', {'h': sample('float16', [5]), 'k': np.array([300, -7], np.int16)}, ('h', []), [L([4, 0])], ('ref', 'k', []))
    # Errors: nothing is written
    set_case('out of range', v, ('v', []), [L([1, 10])], 5)
    set_case('out of range with values', v, ('v', []), [L([1, -11, 2])], [1, 2, 3])
    set_case('out of range on the second array', m, ('m', []), [L([0, 1]), L([0, 5])], 1)
    set_case('a value that does not broadcast', m, ('m', []), [L([0, 1])], [[1, 2, 3], [4, 5, 6]])
    set_case('a value with too many values', v, ('v', []), [L([1, 2])], [1, 2, 3])
    set_case('an out-of-range Python integer', {'b': np.zeros(4, np.uint8)}, ('b', []), [L([1, 2])], 300)


# ------------------------------------------------------------------------------------------------
# routines

def routines():
    a = {'a': np.arange(12, dtype=np.int32).reshape(3, 4) * 3}
    f = {'f': np.array([[0.0, 1.5, -0.0], [np.nan, 0.0, 2.0]], dtype=np.float32)}
    ref = lambda name, ops=None: ('ref', name, ops or [])  # noqa: E731
    # take
    routine_case('take, flattened', a, 'take', [ref('a'), L([11, 0, -1], 'int32')])
    routine_case('take along axis 1', a, 'take', [ref('a'), L([[3, 0], [1, 1]], 'int32')], {'axis': 1})
    routine_case('take along axis 0 of a transposed view', a, 'take', [ref('a', [['T']]), L([2, 0], 'int32')], {'axis': 0})
    routine_case('take a scalar index', a, 'take', [ref('a'), 5])
    routine_case('take a scalar index along an axis', a, 'take', [ref('a'), -1], {'axis': 0})
    routine_case('take with booleans counts them as integers', a, 'take', [ref('a'), L([True, False], 'bool')], {'axis': 1})
    routine_case('take out of range, flattened', a, 'take', [ref('a'), L([12], 'int32')])
    routine_case('take out of range along an axis', a, 'take', [ref('a'), L([0, 4], 'int32')], {'axis': 1})
    routine_case('take along a bad axis', a, 'take', [ref('a'), L([0], 'int32')], {'axis': 2})
    # put
    routine_case('put', {'p': np.arange(6, dtype=np.int32)}, 'put', [ref('p'), L([0, 5], 'int32'), [9, 8]])
    routine_case('put repeats values cyclically', {'p': np.arange(6, dtype=np.int32)}, 'put', [ref('p'), L([0, 1, 2, 0], 'int32'), [7, 8]])
    routine_case('put a scalar', {'p': np.arange(6, dtype=np.float32)}, 'put', [ref('p'), L([[1], [4]], 'int32'), 2.5])
    routine_case('put into a 2-d array by flat index', a, 'put', [ref('a'), L([11, -12, 5], 'int32'), [1, 2, 3]])
    routine_case('put into a view by flat index', a, 'put', [ref('a', [['T']]), L([1, 4], 'int32'), [-1, -2]])
    routine_case('put with no values', {'p': np.arange(6, dtype=np.int32)}, 'put', [ref('p'), L([0, 1], 'int32'), []])
    routine_case('put out of range', {'p': np.arange(6, dtype=np.int32)}, 'put', [ref('p'), L([1, 6], 'int32'), 9])
    # nonzero, flatnonzero, argwhere
    for dtype in ['bool', 'int8', 'uint16', 'int32', 'float16', 'float32', 'float64', 'int64']:
        x = {'x': sample(dtype, [3, 4], seed=2)}
        if np.dtype(dtype).kind != 'b':
            x['x'].reshape(-1)[::3] = 0
        routine_case(f'nonzero of {dtype}', x, 'nonzero', [ref('x')])
    routine_case('nonzero of a float with NaN and -0', f, 'nonzero', [ref('f')])
    routine_case('nonzero of a transposed view', f, 'nonzero', [ref('f', [['T']])])
    routine_case('nonzero of a 3-d view', {'c': (np.arange(24).reshape(2, 3, 4) % 5 == 0)}, 'nonzero', [ref('c', [['get', ':, ::-1']])])
    routine_case('nonzero of nothing nonzero', {'z': np.zeros(5, np.int32)}, 'nonzero', [ref('z')])
    routine_case('nonzero of an empty array', {'z': np.zeros((0, 2), np.int32)}, 'nonzero', [ref('z')])
    routine_case('nonzero of a 0-d array', {'s': np.array(3, np.int32)}, 'nonzero', [ref('s')])
    routine_case('flatnonzero', f, 'flatnonzero', [ref('f')])
    routine_case('flatnonzero of a view', a, 'flatnonzero', [ref('a', [['get', '::-1, 1:']])])
    routine_case('flatnonzero of a 0-d array', {'s': np.array(3, np.int32)}, 'flatnonzero', [ref('s')])
    routine_case('argwhere', f, 'argwhere', [ref('f')])
    routine_case('argwhere of a 1-D array', {'b': np.array([0, 2, 0, 1], np.uint8)}, 'argwhere', [ref('b')])
    routine_case('argwhere of a 0-d array', {'s': np.array(0, np.int32)}, 'argwhere', [ref('s')])
    routine_case('argwhere of a 0-d nonzero array', {'s': np.array(3, np.int32)}, 'argwhere', [ref('s')])
    # compress, extract
    routine_case('compress along axis 0', a, 'compress', [L([False, True, True], 'bool'), ref('a')], {'axis': 0})
    routine_case('compress along axis 1, a short condition', a, 'compress', [L([1, 0, 1], 'int32'), ref('a')], {'axis': 1})
    routine_case('compress flattened', a, 'compress', [L([0, 1, 1, 0, 0, 1], 'uint8'), ref('a')])
    routine_case('compress a long condition with trailing falses', a, 'compress', [L([True, False, True, False, False], 'bool'), ref('a')], {'axis': 1})
    routine_case('compress a long condition selecting beyond', a, 'compress', [L([True, False, True, False, True], 'bool'), ref('a')], {'axis': 1})
    routine_case('compress a transposed view', a, 'compress', [L([1.5, 0.0, -1.0], 'float32'), ref('a', [['T']])], {'axis': 1})
    routine_case('compress with a 2-d condition', a, 'compress', [L([[True]], 'bool'), ref('a')])
    routine_case('extract', a, 'extract', [L([[True, False, False, True]] * 3, 'bool'), ref('a')])
    routine_case('extract with a condition of another shape', a, 'extract', [L([0, 1, 2, 0, 3], 'int32'), ref('a')])
    routine_case('extract a condition beyond the array', {'e': np.arange(6, dtype=np.int32)}, 'extract', [L([0, 1, 1, 1, 0, 0, 1], 'int32'), ref('e')])
    # putmask, copyto
    routine_case('putmask, cyclic values', {'p': np.arange(6, dtype=np.int32)}, 'putmask', [ref('p'), L([0, 0, 1, 1, 1, 0], 'bool'), [10, 20]])
    routine_case('putmask, a float scalar into integers', {'p': np.arange(6, dtype=np.int32)}, 'putmask', [ref('p'), L([1, 0, 0, 1, 0, 0], 'bool'), 1.5])
    routine_case('putmask, values of the same size', {'p': np.arange(6, dtype=np.float32).reshape(2, 3)}, 'putmask',
                 [ref('p'), L([[1, 0, 1], [0, 1, 0]], 'bool'), [[6, 5, 4], [3, 2, 1]]])
    routine_case('putmask into a view', {'p': np.arange(6, dtype=np.float32).reshape(2, 3)}, 'putmask',
                 [ref('p', [['T']]), L([[1, 0], [0, 1], [1, 1]], 'bool'), [-1, -2, -3]])
    routine_case('putmask, a mask of another shape', {'p': np.arange(6, dtype=np.int32)}, 'putmask', [ref('p'), L([True, False], 'bool'), 1])
    routine_case('putmask, no values', {'p': np.arange(6, dtype=np.int32)}, 'putmask', [ref('p'), L([1, 0, 0, 1, 0, 0], 'bool'), []])
    routine_case('copyto where', {'c': np.arange(6, dtype=np.int32)}, 'copyto', [ref('c'), [9]], {'where': [False, False, False, True, True, True]})
    routine_case('copyto where, broadcast rows', {'c': np.arange(6, dtype=np.float32).reshape(2, 3)}, 'copyto', [ref('c'), [[7, 8, 9]]],
                 {'where': [[True, False, True], [False, True, False]]})
    routine_case('copyto where, an array source', {'c': np.arange(6, dtype=np.float32), 's': np.array([1.5, -1.5, 2.5, -2.5, 3.5, -3.5], np.float32)},
                 'copyto', [ref('c'), ref('s', [['get', '::-1']])], {'where': [True, True, False, False, True, True]})
    routine_case('copyto a float scalar into integers', {'c': np.arange(3, dtype=np.int8)}, 'copyto', [ref('c'), 1.5])
    routine_case('copyto an out-of-range integer', {'c': np.arange(3, dtype=np.int8)}, 'copyto', [ref('c'), 1000])
    routine_case('copyto a wider array wraps', {'c': np.arange(3, dtype=np.int8), 's': np.array([1000], np.int32)}, 'copyto', [ref('c'), ref('s')])
    routine_case('copyto where of the wrong shape', {'c': np.arange(3, dtype=np.int8)}, 'copyto', [ref('c'), 1], {'where': [True, False]})
    routine_case('copyto a source of the wrong shape', {'c': np.arange(3, dtype=np.int8)}, 'copyto', [ref('c'), [1, 2]], {'where': [True, False, True]})
    # cumsum, cumprod
    for dtype in ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float16', 'float32', 'float64', 'int64', 'uint64']:
        x = {'x': sample(dtype, [3, 5], seed=1)}
        if np.dtype(dtype).kind == 'f':
            x['x'] = (np.arange(15).reshape(3, 5) * 0.75 - 4).astype(dtype)
        gpu64 = np.dtype(dtype).itemsize == 8
        for axis in [None, 0, 1]:
            opts = {} if axis is None else {'axis': axis}
            routine_case(f'cumsum of {dtype}, axis {axis}', x, 'cumsum', [ref('x')], opts, gpu64=gpu64)
            routine_case(f'cumprod of {dtype}, axis {axis}', x, 'cumprod', [ref('x')], opts, gpu64=gpu64)
    w = {'w': np.array([100, 200, 50, 7, -3], np.int32) * 10000000}
    routine_case('cumsum wraps in int32', w, 'cumsum', [ref('w')], narrow_to='int32')
    routine_case('cumprod wraps in int32', w, 'cumprod', [ref('w')], narrow_to='int32')
    v3 = {'v': np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8}
    routine_case('cumsum along the middle axis of a view', v3, 'cumsum', [ref('v', [['get', ':, ::-1, 1:']])], {'axis': 1})
    routine_case('cumsum along axis -1 of a transposed view', v3, 'cumsum', [ref('v', [['transpose', [2, 0, 1]]])], {'axis': -1})
    routine_case('cumsum of a broadcast view', {'r': np.arange(4, dtype=np.int16)}, 'cumsum', [ref('r', [['broadcastTo', [3, 4]]])], {'axis': 0})
    routine_case('cumsum of a 0-d array', {'s': np.array(5, np.int32)}, 'cumsum', [ref('s')])
    routine_case('cumsum of a 0-d array along axis 0', {'s': np.array(5, np.int32)}, 'cumsum', [ref('s')], {'axis': 0})
    routine_case('cumsum of an empty array', {'z': np.zeros((2, 0), np.float32)}, 'cumsum', [ref('z')], {'axis': 1})
    routine_case('cumsum along a bad axis', {'z': np.zeros((2, 3), np.float32)}, 'cumsum', [ref('z')], {'axis': 2})
    routine_case('cumsum with a dtype', {'i': np.array([100, 100, 100], np.int32)}, 'cumsum', [ref('i')], {'dtype': 'int8'})
    routine_case('cumprod of float16 rounds every step', {'h': np.array([1.1, 1.3, 1.7, 2.9, 1.01, 3.3], np.float16)}, 'cumprod', [ref('h')])
    routine_case('cumsum of float16 rounds every step', {'h': (np.arange(100) * 0.37 + 1).astype(np.float16)}, 'cumsum', [ref('h')])
    # Rows longer than one chunk: exact in integers, within rounding in floats.
    long_i = {'l': ((np.arange(1000) * 7919) % 1001 - 500).astype(np.int32)}
    routine_case('cumsum of 1000 int32 along a row', long_i, 'cumsum', [ref('l')])
    long_f = {'l': (np.sin(np.arange(3000)) * 10).astype(np.float32)}
    routine_case('cumsum of 3000 float32', long_f, 'cumsum', [ref('l')], approx=True)
    routine_case('cumsum of 3000 float32, reversed', long_f, 'cumsum', [ref('l', [['get', '::-1']])], approx=True)
    col = {'c': (np.cos(np.arange(600)).reshape(300, 2) * 3).astype(np.float32)}
    routine_case('cumsum down 300-long columns', col, 'cumsum', [ref('c')], {'axis': 0}, approx=True)
    routine_case('cumsum of 130 float32 (just over one chunk)', {'l': (np.arange(130) * 0.1).astype(np.float32)}, 'cumsum', [ref('l')], approx=True)
    routine_case('cumsum of 128 float32 (one chunk: NumPy\'s order)', {'l': (np.arange(128) * 0.1).astype(np.float32)}, 'cumsum', [ref('l')])


def main():
    gets()
    sets()
    routines()
    out = {'numpy': np.__version__, 'cases': CASES}
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'indexing.json')
    with open(path, 'w') as fh:
        json.dump(out, fh, separators=(',', ':'))
        fh.write('\n')
    print(f'wrote {len(CASES)} cases to {os.path.relpath(path)}')


if __name__ == '__main__':
    main()
