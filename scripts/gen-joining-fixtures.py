#!/usr/bin/env python3
"""Generates test/fixtures/joining.json: NumPy's joining, splitting and rearranging routines, replayed by
test/joining.test.ts on every ndgpu backend.

Run from the repository root with NumPy 2.4 installed:  python3 scripts/gen-joining-fixtures.py
The output is deterministic (no randomness, no timestamps).

Format: {"numpy": version, "counts": {family: n}, "cases": [case, ...]}. A case:

    {
      "id": "concatenate/0012", "family": "concatenate",
      "desc": "np.concatenate([a, b.T], axis=1) int8",              # Python spelling
      "arrays": {"a": {"dtype": "int8", "shape": [2, 3], "values": [...flat C order...]}},
      "views": [{"name": "v", "src": "a", "ops": [["T"], ["get", "::-1"]]}],
      "call": {"fn": "concatenate", "args": [[{"$": "a"}, {"$": "v"}]], "options": {"axis": 1}},
      "expect": {"list": false, "arrays": [ArrayExpect]},            # or absent when an error is expected
      "after": {"a": [...]},                                         # owners' values after the call
      "error": {"type": "ValueError", "message": "..."}              # or {"type", "contains"} (ndgpu's own)
    }

`arrays` are fresh C-ordered owners (`np.array(values, {dtype, shape})` in ndgpu). `views` derive named views
in order; ops: ["T"], ["get", index string], ["transpose", axes], ["broadcastTo", shape], ["readonly"]
(a view with writeable False). Call arguments are JSON, where {"$": name} stands for a named array; options
use ndgpu's names (constantValues for NumPy's constant_values). `fn` is NumPy's name.

An ArrayExpect is {dtype, shape, strides, offset, values (tolist()), c, f, owndata, writeable, base, same}:
strides and offset in bytes (offset: data pointer minus the owner's), `base` the name of the array owning
the memory (null for an owner), `same` the name of the argument the result IS (NumPy returns some inputs
themselves), else null.

Values: floats JSON cannot hold are "nan", "inf", "-inf", "-0"; 64-bit integers are decimal strings.

Where ndgpu deliberately differs from NumPy (README), the expectation is ndgpu's, derived here by rule:
  - the copying routines' results own their memory (base null, owndata true), also where NumPy's result
    is a view of a hidden temporary (`roll` without an axis, `tile` with every repetition 1) or of the
    input (`tile` of an empty array);
  - `broadcast_arrays` results that are broadcast are read-only (NumPy: writeable with a warning);
  - `sliding_window_view` and `as_strided` results have the input's owner as base (NumPy: an internal
    DummyArray object);
  - `as_strided` views reaching outside the memory, or with strides that are not whole items, are a
    ValueError (NumPy reads arbitrary memory);
  - `split(a, 0)` is a ValueError ('number sections must be larger than 0.'; NumPy: ZeroDivisionError);
  - pad's constant values follow Python's scalar rules, as every JS scalar in ndgpu (300 into uint8 is an
    OverflowError; NumPy wraps it when given one or two values);
  - an error leaves `out` untouched (NumPy's concatenate writes the inputs before the one that fails).
"""

import json
import math
import os
import warnings

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

assert np.__version__.startswith("2."), f"expected NumPy 2.x, got {np.__version__}"
warnings.simplefilter("ignore")

CASES = []
COUNTS = {}

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "float16", "float32", "float64", "int64"]
COPY_FNS = {"concatenate", "stack", "vstack", "hstack", "dstack", "column_stack", "tile", "repeat", "repeat_method", "roll", "pad"}

# ------------------------------------------------------------------------------------------------
# Encoding


def enc_scalar(v, dtype):
    if dtype in ("int64", "uint64"):
        return str(int(v))
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 and math.copysign(1.0, v) < 0:
        return "-0"
    if v == int(v) and abs(v) < 2**53:
        return int(v)
    return v


def enc_nested(x, dtype):
    if isinstance(x, list):
        return [enc_nested(y, dtype) for y in x]
    return enc_scalar(x, dtype)


def values_for(n, dtype, salt=0):
    """Distinct values exercising every byte of an item; floats include -0 and nan and inf now and then."""
    i = np.arange(n, dtype=np.int64) + salt * 7
    if dtype == "bool":
        return ((i * 7 + 3) % 5 < 2).tolist()
    if dtype == "int8":
        return (((i * 37 + 100) % 256) - 128).astype(np.int8).tolist()
    if dtype == "uint8":
        return ((i * 37 + 200) % 256).astype(np.uint8).tolist()
    if dtype == "int16":
        return (((i * 4099 + 30000) % 65536) - 32768).astype(np.int16).tolist()
    if dtype == "uint16":
        return ((i * 4099 + 60000) % 65536).astype(np.uint16).tolist()
    if dtype == "int32":
        return (i * 100003 - 50000 * salt).astype(np.int32).tolist()
    if dtype == "uint32":
        return ((i * 16777259 + 4000000000) % 2**32).astype(np.uint32).tolist()
    if dtype == "int64":
        return (i * 3000000019 - 2**40).tolist()
    if dtype == "uint64":
        return (i * 3000000019 + 2**63).astype(np.uint64).tolist()
    f = (i.astype(np.float64) * 1.3 - 4.1 - salt).astype(dtype)
    if n >= 5:
        f[1] = -0.0
        f[3] = np.nan
        f[4] = np.inf
    return f.tolist()


def arange_values(n, dtype):
    if dtype == "bool":
        return [bool(k % 3) for k in range(n)]
    return np.arange(n).astype(dtype).tolist()


# ------------------------------------------------------------------------------------------------
# Building a case


class Env:
    def __init__(self):
        self.arrays = {}  # name -> spec
        self.np = {}  # name -> numpy array (owners and views)
        self.owners = {}  # name -> owner array
        self.views = []

    def owner(self, name, shape, dtype, values=None, salt=0):
        n = int(np.prod(shape)) if len(shape) else 1
        vals = values_for(n, dtype, salt) if values is None else values
        a = np.array(vals, dtype=dtype).reshape(shape).copy()
        assert a.base is None
        self.arrays[name] = {"dtype": dtype, "shape": list(shape), "values": [enc_scalar(v, dtype) for v in np.ravel(a).tolist()]}
        self.np[name] = a
        self.owners[name] = a
        return name

    def view(self, name, src, ops):
        v = self.np[src]
        for op in ops:
            if op[0] == "T":
                v = v.T
            elif op[0] == "get":
                v = eval(f"v[{op[1]}]")
                if not isinstance(v, np.ndarray):
                    raise ValueError("a view op gave a scalar")
            elif op[0] == "transpose":
                v = v.transpose(op[1])
            elif op[0] == "broadcastTo":
                v = np.broadcast_to(v, op[1])
            elif op[0] == "readonly":
                v = v.view()
                v.flags.writeable = False
            else:
                raise ValueError(op)
        self.np[name] = v
        self.views.append({"name": name, "src": src, "ops": [list(o) for o in ops]})
        return name


def enc_arg(x):
    """Call arguments for JSON: NaN and the infinities spelled as strings (as values are)."""
    if isinstance(x, dict):
        return {k: enc_arg(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [enc_arg(v) for v in x]
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return enc_scalar(x, "float64")
    return x


def ref(name):
    return {"$": name}


def resolve(x, env):
    if isinstance(x, dict) and "$" in x:
        return env.np[x["$"]]
    if isinstance(x, list):
        return [resolve(y, env) for y in x]
    if isinstance(x, tuple):
        return tuple(resolve(y, env) for y in x)
    return x


JOIN_FNS = {"concatenate", "stack", "vstack", "hstack", "dstack", "column_stack"}


def ndgpu_array(x):
    """A nested list or scalar as ndgpu converts it: int32 for integers, float32 otherwise, bool."""
    flat = np.ravel(np.array(x, dtype=object)) if isinstance(x, list) else [x]
    if all(isinstance(v, bool) for v in flat) and len(flat) > 0:
        return np.array(x, dtype=bool)
    if all(isinstance(v, (int, bool)) for v in flat):
        return np.array(x, dtype=np.int32)
    return np.array(x, dtype=np.float32)


def narrowed(result, inputs):
    """ndgpu's 32-bit rule: a 64-bit result of inputs that are all 32-bit or narrower is the 32-bit type
    of its kind."""
    if result.itemsize < 8 or any(np.dtype(d).itemsize == 8 for d in inputs):
        return result
    return np.dtype({"f": "float32", "i": "int32", "u": "uint32"}[result.kind])


def run_numpy(fn, args, options, env):
    a = [resolve(x, env) for x in args]
    o = {("constant_values" if k == "constantValues" else k): resolve(v, env) for k, v in options.items()}
    if fn in JOIN_FNS and isinstance(a[0], list):
        a[0] = [x if isinstance(x, np.ndarray) else ndgpu_array(x) for x in a[0]]
        if "out" in o and any(isinstance(x, np.ndarray) and np.may_share_memory(x, o["out"]) for x in a[0]):
            # ndgpu: "as if the inputs were copied first" (NumPy writes input k before reading input k + 1).
            a[0] = [x.copy() for x in a[0]]
        if a[0] and "out" not in o and "dtype" not in o:
            dtypes = [x.dtype for x in a[0]]
            wide = np.result_type(*dtypes)
            narrow = narrowed(wide, dtypes)
            if narrow != wide:
                if fn in ("column_stack", "dstack"):
                    a[0] = [x.astype(narrow) for x in a[0]]
                else:
                    o["dtype"] = narrow
    tup = lambda x: tuple(x) if isinstance(x, list) else x  # noqa: E731
    if fn == "concatenate":
        return np.concatenate(a[0], **o)
    if fn == "stack":
        return np.stack(a[0], **o)
    if fn in ("vstack", "hstack", "dstack", "column_stack"):
        return getattr(np, fn)(a[0], **o)
    if fn in ("split", "array_split"):
        return getattr(np, fn)(a[0], a[1], **o)
    if fn in ("hsplit", "vsplit", "dsplit"):
        return getattr(np, fn)(a[0], a[1])
    if fn == "moveaxis":
        return np.moveaxis(a[0], a[1], a[2])
    if fn == "rollaxis":
        return np.rollaxis(*a)
    if fn == "broadcast_arrays":
        return list(np.broadcast_arrays(*a))
    if fn in ("atleast_1d", "atleast_2d", "atleast_3d"):
        return getattr(np, fn)(*a)
    if fn == "diagonal":
        return a[0].diagonal(*a[1:])
    if fn in ("fliplr", "flipud"):
        return getattr(np, fn)(a[0])
    if fn == "rot90":
        return np.rot90(a[0], *[tup(x) for x in a[1:]])
    if fn == "sliding_window_view":
        o = {k: tup(v) for k, v in o.items()}
        return sliding_window_view(a[0], tup(a[1]), **o)
    if fn == "as_strided":
        return as_strided(a[0], shape=tup(a[1]), strides=tup(a[2]), **o)
    if fn == "tile":
        return np.tile(a[0], tup(a[1]))
    if fn in ("repeat", "repeat_method"):
        return np.repeat(a[0], a[1], **o)
    if fn == "roll":
        o = {k: tup(v) for k, v in o.items()}
        return np.roll(a[0], tup(a[1]), **o)
    if fn == "pad":
        return np.pad(a[0], a[1], **o)
    if fn in ("ascontiguousarray", "asfortranarray"):
        return getattr(np, fn)(a[0])
    raise ValueError(fn)


def owner_name(arr, env):
    """The named owner whose memory `arr` views (following NumPy's base chain), or None."""
    b = arr
    while isinstance(b, np.ndarray):
        for name, o in env.owners.items():
            if b is o:
                return name
        b = b.base
    return None


def data_ptr(a):
    return a.__array_interface__["data"][0]


def expect_array(r, env, fn, options, args):
    same = None
    for name, x in env.np.items():
        if r is x:
            same = name
    dtype = str(r.dtype)
    owner = owner_name(r, env)
    base = owner if not r.flags.owndata or same else None
    if same is not None and same in env.owners:
        base = None
    writeable = bool(r.flags.writeable)
    owndata = bool(r.flags.owndata)
    is_out = "out" in options
    if fn in COPY_FNS and not is_out:
        # ndgpu: every copy owns its memory.
        base, owndata, owner = None, True, None
    offset = data_ptr(r) - data_ptr(env.owners[owner]) if owner is not None else 0
    if r.size == 0 and owner is None:
        offset = 0
    return {
        "dtype": dtype,
        "shape": list(r.shape),
        "strides": list(r.strides),
        "offset": offset,
        "values": enc_nested(r.tolist(), dtype),
        "c": bool(r.flags.c_contiguous),
        "f": bool(r.flags.f_contiguous),
        "owndata": owndata,
        "writeable": writeable,
        "base": base,
        "same": same,
    }


ERROR_NAMES = {"AxisError": "AxisError", "ValueError": "ValueError", "IndexError": "IndexError", "TypeError": "TypeError", "OverflowError": "OverflowError"}


def add(family, desc, env, fn, args, options=None, ndgpu_error=None, expect_hook=None):
    options = options or {}
    call = {"fn": fn, "args": enc_arg(args), "options": enc_arg(options)}
    case = {"family": family, "desc": desc, "arrays": env.arrays, "views": env.views, "call": call}
    before = {name: enc_nested(o.tolist(), str(o.dtype)) for name, o in env.owners.items()}
    try:
        result = run_numpy(fn, args, options, env)
        error = None
    except ZeroDivisionError:
        result, error = None, {"type": "ValueError", "message": "number sections must be larger than 0."}
    except Exception as e:  # noqa: BLE001
        name = type(e).__name__
        if name not in ERROR_NAMES:
            raise
        result, error = None, {"type": ERROR_NAMES[name], "message": str(e)}
    if ndgpu_error is not None:
        result, error = None, ndgpu_error
    if error is not None:
        case["error"] = error
        if "out" in options:
            case["after"] = before  # ndgpu writes nothing when it throws
    else:
        if fn == "broadcast_arrays":
            for k, r in enumerate(result):
                if r is not resolve(args[k], env):
                    r.flags.writeable = False  # ndgpu: broadcast results are read-only
        is_list = isinstance(result, (list, tuple))
        arrays = [expect_array(r, env, fn, options, args) for r in (result if is_list else [result])]
        if fn in ("sliding_window_view", "as_strided"):
            src = resolve(args[0], env)
            owner = owner_name(src, env)
            for e in arrays:
                e["base"] = owner
                e["offset"] = data_ptr(result) - data_ptr(env.owners[owner])
        if expect_hook:
            expect_hook(arrays)
        case["expect"] = {"list": is_list, "arrays": arrays}
        if "out" in options:
            case["after"] = {name: enc_nested(o.tolist(), str(o.dtype)) for name, o in env.owners.items()}
    COUNTS[family] = COUNTS.get(family, 0) + 1
    case["id"] = f"{family}/{COUNTS[family]:04d}"
    CASES.append({"id": case.pop("id"), **case})


def py(x):
    if isinstance(x, dict) and "$" in x:
        return x["$"]
    return repr(x)


def dtypes_for(family_all=True):
    return DTYPES if family_all else ["int32", "float32", "uint8"]


# ------------------------------------------------------------------------------------------------
# Views: split and friends


def gen_split():
    f = "split"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (6,), dtype)
        add(f, f"np.split(a, 3) {dtype}", env, "split", [ref("a"), 3])
    shapes = [((6,), 0), ((4, 6), 1), ((4, 6), 0), ((2, 3, 4), -1), ((0, 3), 0), ((3, 0), 1)]
    for shape, axis in shapes:
        for sections in [1, 2, 3, 4, [1], [2, 3], [4, 2, 10, -1], [-2], [], [0, 0]]:
            for fn in ["split", "array_split"]:
                env = Env()
                env.owner("a", shape, "int16")
                add(f, f"np.{fn}(a{shape}, {sections!r}, axis={axis})", env, fn, [ref("a"), sections], {"axis": axis})
    # views as inputs
    for ops in [[["T"]], [["get", "::-1"]], [["get", ":, ::-2"]], [["broadcastTo", [3, 4, 6]]], [["readonly"]]]:
        for sections, axis in [(2, 0), (2, -1), ([1, 3], 1), (3, 1)]:
            env = Env()
            env.owner("a", (4, 6), "float32")
            env.view("v", "a", ops)
            add(f, f"np.array_split(a{ops}, {sections!r}, axis={axis})", env, "array_split", [ref("v"), sections], {"axis": axis})
    for fn, shape, s in [
        ("hsplit", (4, 6), 2),
        ("hsplit", (6,), 3),
        ("hsplit", (2, 4, 3), [1, 3]),
        ("vsplit", (4, 6), 2),
        ("vsplit", (4, 6, 2), [1]),
        ("dsplit", (2, 3, 4), 2),
        ("dsplit", (2, 3, 4, 2), [3]),
        ("hsplit", (), 2),
        ("vsplit", (6,), 2),
        ("dsplit", (4, 6), 2),
        ("hsplit", (4, 5), 2),
    ]:
        env = Env()
        env.owner("a", shape, "uint8")
        add(f, f"np.{fn}(a{shape}, {s!r})", env, fn, [ref("a"), s])
    # errors
    for shape, s, axis in [((6,), 4, 0), ((6,), 0, 0), ((6,), -1, 0), ((6,), 2, 1), ((6,), [1, 2], 1), ((), 2, 0), ((4, 6), 2, -3), ((6,), 2.5, 0)]:
        for fn in ["split", "array_split"]:
            env = Env()
            env.owner("a", shape, "int32")
            add(f, f"np.{fn}(a{shape}, {s!r}, axis={axis})", env, fn, [ref("a"), s], {"axis": axis})


def gen_axes():
    f = "axes"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (2, 3, 4), dtype)
        add(f, f"np.moveaxis(a, 0, -1) {dtype}", env, "moveaxis", [ref("a"), 0, -1])
    for src, dst in [(0, 2), (-1, 0), ([0, 1], [2, 0]), ([0, 2], [-1, -3]), ([], []), ([1, 0, 2], [0, 1, 2]), (2, 2)]:
        for ops in [[], [["T"]], [["get", "::-1, :, 1::2"]]]:
            env = Env()
            env.owner("a", (2, 3, 4), "int32")
            if ops:
                env.view("v", "a", ops)
            add(f, f"np.moveaxis(a{ops}, {src!r}, {dst!r})", env, "moveaxis", [ref("v" if ops else "a"), src, dst])
    for src, dst in [(3, 0), (0, 3), ([0, 0], [1, 2]), ([0, 1], [1]), (0, -4)]:
        env = Env()
        env.owner("a", (2, 3, 4), "int32")
        add(f, f"np.moveaxis(a, {src!r}, {dst!r})", env, "moveaxis", [ref("a"), src, dst])
    for axis, start in [(0, 0), (2, 0), (0, 3), (1, 3), (2, 1), (-1, -2), (0, -3), (1, 1), (1, 2), (3, 0), (0, 4), (0, -4)]:
        env = Env()
        env.owner("a", (2, 3, 4), "float16")
        add(f, f"np.rollaxis(a, {axis}, {start})", env, "rollaxis", [ref("a"), axis, start])
    env = Env()
    env.owner("a", (5,), "int8")
    add(f, "np.rollaxis(a1d, 0)", env, "rollaxis", [ref("a"), 0])


def gen_broadcast_arrays():
    f = "broadcast_arrays"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (3,), dtype)
        env.owner("b", (2, 1), dtype, salt=1)
        add(f, f"np.broadcast_arrays(a, b) {dtype}", env, "broadcast_arrays", [ref("a"), ref("b")])
    combos = [
        [(3,), (2, 1)],
        [(3,), (3,)],
        [(2, 3), (1, 3), (3,)],
        [(1,), ()],
        [(0, 1), (1, 4)],
        [(2, 1, 4), (3, 1)],
        [(3,), (4,)],
        [(2, 3, 4), (2, 5, 4)],
        [(2, 3), (4, 3, 2)],
        [(4,), (2, 3, 4), (5, 1, 1)],
    ]
    for shapes in combos:
        env = Env()
        names = [env.owner(f"a{k}", s, ["int32", "float16", "uint8"][k % 3], salt=k) for k, s in enumerate(shapes)]
        add(f, f"np.broadcast_arrays{tuple(shapes)}", env, "broadcast_arrays", [ref(n) for n in names])
    env = Env()
    env.owner("a", (3, 4), "float32")
    env.view("v", "a", [["T"]])
    env.view("w", "a", [["get", "1:2, ::-1"]])
    add(f, "np.broadcast_arrays(a.T, a[1:2, ::-1].T)", env, "broadcast_arrays", [ref("v"), {"$": "w"}])
    env = Env()
    env.owner("a", (3, 1), "int8")
    env.view("r", "a", [["readonly"]])
    env.owner("b", (4,), "int8")
    add(f, "np.broadcast_arrays(readonly (3,1), (4,))", env, "broadcast_arrays", [ref("r"), ref("b")])


def gen_atleast():
    f = "atleast"
    for shape in [(), (3,), (2, 3), (2, 3, 4), (1, 2, 3, 4), (0,)]:
        for fn in ["atleast_1d", "atleast_2d", "atleast_3d"]:
            env = Env()
            env.owner("a", shape, "int32")
            add(f, f"np.{fn}(a{shape})", env, fn, [ref("a")])
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (4,), dtype)
        env.view("v", "a", [["get", "::-2"]])
        add(f, f"np.atleast_3d(a[::-2]) {dtype}", env, "atleast_3d", [ref("v")])
    env = Env()
    env.owner("a", (), "float64")
    env.view("v", "a", [["readonly"]])
    add(f, "np.atleast_2d(readonly 0-d)", env, "atleast_2d", [ref("v")])


def gen_diagonal():
    f = "diagonal"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (3, 4), dtype)
        add(f, f"a.diagonal() {dtype}", env, "diagonal", [ref("a")])
    for shape in [(3, 3), (3, 4), (4, 2), (2, 3, 4), (0, 3)]:
        for args in [[], [1], [-1], [3], [4], [-3], [-5], [0, 1, 0], [1, -1, 0], [0, 0, 2], [-1, 2, 0], [2, -1, -3]]:
            env = Env()
            env.owner("a", shape, "int32")
            add(f, f"a{shape}.diagonal{tuple(args)}", env, "diagonal", [ref("a")] + args)
    for ops in [[["T"]], [["get", "::-1, ::2"]], [["broadcastTo", [2, 3, 4]]], [["readonly"]], [["transpose", [2, 0, 1]]]]:
        env = Env()
        env.owner("a", (3, 4) if ops[0][0] != "transpose" else (2, 3, 4), "float32")
        env.view("v", "a", ops)
        add(f, f"a{ops}.diagonal(1)", env, "diagonal", [ref("v"), 1])
    for shape, args in [((4,), []), ((), []), ((3, 3), [0, 0, 0]), ((3, 3), [0, 0, 2]), ((3, 3), [0, 2, 0]), ((3, 3), [0, -3, 1]), ((3, 3), [1.5])]:
        env = Env()
        env.owner("a", shape, "int32")
        add(f, f"a{shape}.diagonal{tuple(args)}", env, "diagonal", [ref("a")] + args)


def gen_flip():
    f = "flip"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (3, 4), dtype)
        add(f, f"np.fliplr(a) {dtype}", env, "fliplr", [ref("a")])
        add(f, f"np.flipud(a) {dtype}", env, "flipud", [ref("a")])
    for shape in [(5,), (3, 4), (2, 3, 4), (0, 3), ()]:
        for fn in ["fliplr", "flipud"]:
            env = Env()
            env.owner("a", shape, "int32")
            add(f, f"np.{fn}(a{shape})", env, fn, [ref("a")])
    for k in [0, 1, 2, 3, 4, 5, -1, -2, 1.5]:
        for axes in [[0, 1], [1, 0], [0, -1], [-1, -2]]:
            env = Env()
            env.owner("a", (3, 4), "uint16")
            add(f, f"np.rot90(a, {k}, {axes})", env, "rot90", [ref("a"), k, axes])
    for axes in [[0, 2], [2, 1], [1, 2]]:
        for k in [1, 2, 3]:
            env = Env()
            env.owner("a", (2, 3, 4), "int8")
            env.view("v", "a", [["get", ":, ::-1"]])
            add(f, f"np.rot90(a[:, ::-1], {k}, {axes})", env, "rot90", [ref("v"), k, axes])
    for shape, axes in [((5,), [0, 1]), ((3, 4), [0]), ((3, 4), [0, 2]), ((3, 4), [1, 1]), ((3, 4), [-3, 1]), ((3, 4), [0, 1, 2]), ((3, 4), [0, -2])]:
        env = Env()
        env.owner("a", shape, "int32")
        add(f, f"np.rot90(a{shape}, 1, {axes})", env, "rot90", [ref("a"), 1, axes])


def gen_window():
    f = "window"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (6,), dtype)
        add(f, f"sliding_window_view(a, 3) {dtype}", env, "sliding_window_view", [ref("a"), 3])
    for shape, window, options in [
        ((6,), 0, {}),
        ((6,), 6, {}),
        ((3, 4), [2, 2], {}),
        ((3, 4), 2, {"axis": 1}),
        ((3, 4), 2, {"axis": -2}),
        ((3, 4), [2, 2], {"axis": [0, 0]}),
        ((3, 4), [2, 3], {"axis": [1, 0]}),
        ((3, 4), [2], {"axis": [1], "writeable": True}),
        ((), [], {}),
        ((0, 3), [0, 2], {}),
        ((2, 3, 4), [2, 2], {"axis": [2, 0]}),
    ]:
        env = Env()
        env.owner("a", shape, "int32")
        add(f, f"sliding_window_view(a{shape}, {window!r}, **{options})", env, "sliding_window_view", [ref("a"), window], options)
    for ops in [[["T"]], [["get", "::-1"]], [["broadcastTo", [2, 3, 4]]], [["readonly"]]]:
        env = Env()
        env.owner("a", (3, 4), "float32")
        env.view("v", "a", ops)
        add(f, f"sliding_window_view(a{ops}, 2, axis=-1, writeable=True)", env, "sliding_window_view", [ref("v"), 2], {"axis": -1, "writeable": True})
    for shape, window, options in [
        ((6,), 7, {}),
        ((6,), -1, {}),
        ((6,), [2, 2], {}),
        ((3, 4), 2, {}),
        ((3, 4), [2], {"axis": [0, 1]}),
        ((3, 4), 2, {"axis": 2}),
    ]:
        env = Env()
        env.owner("a", shape, "int32")
        add(f, f"sliding_window_view(a{shape}, {window!r}, **{options})", env, "sliding_window_view", [ref("a"), window], options)


def gen_as_strided():
    f = "as_strided"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (6,), dtype)
        item = np.dtype(dtype).itemsize
        add(f, f"as_strided(a, (4, 3), ({item}, {item})) {dtype}", env, "as_strided", [ref("a"), [4, 3], [item, item]])
    for shape, strides, options in [([2, 2], [16, 4], {}), ([2, 2, 2], [24, 4, 0], {}), ([6], [4], {"writeable": False}), ([0, 5], [400, 4], {}), ([], [], {}), ([3], [-4], {})]:
        env = Env()
        env.owner("a", (12,), "int32")
        env.view("v", "a", [["get", "4:"]])
        add(f, f"as_strided(a[4:], {shape}, {strides}, **{options})", env, "as_strided", [ref("v"), shape, strides], options)
    env = Env()
    env.owner("a", (3, 4), "int32")
    env.view("v", "a", [["readonly"]])
    add(f, "as_strided(readonly, (2, 2), (16, 4))", env, "as_strided", [ref("v"), [2, 2], [16, 4]])
    env = Env()
    env.owner("a", (3, 4), "int32")
    env.view("v", "a", [["T"]])
    add(f, "as_strided(a.T) (defaults)", env, "as_strided", [ref("v"), None, None])
    # errors (NumPy's) and ndgpu's checks
    for shape, strides in [([2, 2], [8]), ([2, -2], [8, 4])]:
        env = Env()
        env.owner("a", (6,), "int32")
        add(f, f"as_strided(a, {shape}, {strides})", env, "as_strided", [ref("a"), shape, strides])
    outside = {"type": "ValueError", "contains": "would reach outside its memory"}
    for view, shape, strides in [(None, [7], [4]), (None, [3, 2], [12, 4]), ("1:", [6], [4]), (None, [2], [-4]), ("::-1", [6], [4])]:
        env = Env()
        env.owner("a", (6,), "int32")
        src = "a"
        if view:
            env.view("v", "a", [["get", view]])
            src = "v"
        add(f, f"as_strided(a[{view}], {shape}, {strides}) [ndgpu: outside]", env, "as_strided", [ref(src), shape, strides], ndgpu_error=outside)
    env = Env()
    env.owner("a", (6,), "int32")
    add(f, "as_strided(a, (2,), (2,)) [ndgpu: misaligned]", env, "as_strided", [ref("a"), [2], [2]], ndgpu_error={"type": "ValueError", "contains": "multiples of the item size"})


# ------------------------------------------------------------------------------------------------
# Copies: joining


def gen_concatenate():
    f = "concatenate"
    for d1 in DTYPES:
        for d2 in DTYPES:
            env = Env()
            env.owner("a", (2, 3), d1)
            env.owner("b", (1, 3), d2, salt=1)
            res = np.result_type(np.dtype(d1), np.dtype(d2))
            # ndgpu computes in 32 bits when no input is 64-bit: its result type is narrowed.
            add(f, f"np.concatenate([a, b]) {d1} {d2} (NumPy {res})", env, "concatenate", [[ref("a"), ref("b")]])
    for dts in [["int8", "uint8", "float16"], ["uint16", "int16", "float16"], ["uint32", "int8", "float16"], ["bool", "bool", "uint8"], ["int32", "uint32", "bool"]]:
        env = Env()
        names = [env.owner(f"a{k}", (2,), d, salt=k) for k, d in enumerate(dts)]
        add(f, f"np.concatenate({dts})", env, "concatenate", [[ref(n) for n in names]])
    layouts = [
        ("C", [], [], 0),
        ("T,T", [["T"]], [["T"]], 0),
        ("T,T axis 1", [["T"]], [["T"]], 1),
        ("rev", [["get", "::-1"]], [["get", ":, ::-1"]], 0),
        ("bcast", [["broadcastTo", [4, 3]]], [], 0),
        ("mixed", [["T"]], [["get", "::2"]], 1),
        ("strided", [["get", ":, ::2"]], [["get", "1:, 1:"]], 0),
    ]
    for label, ops1, ops2, axis in layouts:
        for dtype in ["int32", "uint8", "float64", "int16"]:
            env = Env()
            env.owner("a", (3,) if ops1 and ops1[0][0] == "broadcastTo" else (3, 3), dtype)
            env.owner("b", (3, 3), dtype, salt=2)
            env.view("va", "a", ops1) if ops1 else None
            env.view("vb", "b", ops2) if ops2 else None
            x = ref("va") if ops1 else ref("a")
            y = ref("vb") if ops2 else ref("b")
            add(f, f"np.concatenate([{label}], axis={axis}) {dtype}", env, "concatenate", [[x, y]], {"axis": axis})
    for shapes, axis in [
        ([(2, 3), (2, 3), (2, 3)], 0),
        ([(2, 3), (2, 0), (2, 5)], 1),
        ([(0, 3), (0, 3)], 0),
        ([(0, 3), (2, 3)], 0),
        ([(2, 3, 4), (2, 1, 4)], -2),
        ([(5,), (3,), (1,)], 0),
        ([(2, 2), (3, 3)], None),
        ([(), (2,), (2, 1)], None),
        ([(4, 1, 2), (4, 3, 2)], 1),
    ]:
        env = Env()
        names = [env.owner(f"a{k}", s, "float32", salt=k) for k, s in enumerate(shapes)]
        add(f, f"np.concatenate({shapes}, axis={axis})", env, "concatenate", [[ref(n) for n in names]], {"axis": axis})
    # nested lists as inputs
    env = Env()
    env.owner("a", (2,), "int8")
    add(f, "np.concatenate([a, [1, 2]]) (a list is int32 in ndgpu)", env, "concatenate", [[ref("a"), [1, 2]]])
    add(f, "np.concatenate([a, [1.5, 2]]) (a list is float32 in ndgpu)", env, "concatenate", [[ref("a"), [1.5, 2]]])
    # out: new memory, views, overlapping inputs
    for label, out_shape, out_ops, dtype in [
        ("out C", (6, 3), [], "int32"),
        ("out reversed", (6, 3), [["get", "::-1"]], "int32"),
        ("out transposed", (3, 6), [["T"]], "int32"),
        ("out int8 (same_kind)", (6, 3), [], "int8"),
        ("out float32", (6, 3), [], "float32"),
    ]:
        env = Env()
        env.owner("a", (3, 3), "int32")
        env.owner("b", (3, 3), "int32", salt=1)
        env.owner("o", out_shape, dtype, salt=5)
        out = "o"
        if out_ops:
            env.view("ov", "o", out_ops)
            out = "ov"
        add(f, f"np.concatenate([a, b], out={label})", env, "concatenate", [[ref("a"), ref("b")]], {"out": ref(out)})
    # out overlapping the inputs: "as if the inputs were copied first"
    for label, xs, out_view in [
        ("rotate halves", ["5:", ":5"], None),
        ("reverse halves", ["::-1"], "::-1"),
        ("shift", [":7", "7:"], None),
        ("self twice", [":5", ":5"], None),
        ("interleaved", ["::2", "1::2"], None),
    ]:
        env = Env()
        env.owner("a", (10,), "int16")
        names = []
        for k, x in enumerate(xs):
            env.view(f"x{k}", "a", [["get", x]])
            names.append(f"x{k}")
        out = "a"
        if out_view:
            env.view("ov", "a", [["get", out_view]])
            out = "ov"
        add(f, f"np.concatenate(a[{xs}], out=a[{out_view}]) ({label})", env, "concatenate", [[ref(n) for n in names]], {"out": ref(out)})
    env = Env()
    env.owner("a", (4, 4), "float32")
    env.view("x", "a", [["get", ":2"]])
    env.view("y", "a", [["T"], ["get", ":2"]])
    env.view("ov", "a", [["T"]])
    add(f, "np.concatenate([a[:2], a.T[:2]], out=a.T)", env, "concatenate", [[ref("x"), ref("y")]], {"out": ref("ov")})
    # dtype and casting
    for dtype, casting in [("int8", None), ("float16", None), ("uint8", "same_kind"), ("float32", "safe"), ("int16", "safe"), ("int32", "no"), ("int32", "equiv"), ("uint8", "unsafe"), ("bool", "unsafe")]:
        env = Env()
        env.owner("a", (2, 2), "int32")
        env.owner("b", (1, 2), "int8", salt=1)
        options = {"dtype": dtype}
        if casting:
            options["casting"] = casting
        add(f, f"np.concatenate([int32, int8], dtype={dtype}, casting={casting})", env, "concatenate", [[ref("a"), ref("b")]], options)
    # errors
    env = Env()
    add(f, "np.concatenate([])", env, "concatenate", [[]])
    for shapes, axis in [
        ([(), ()], 0),
        ([(3,), (2, 3)], 0),
        ([(2, 3), (3,)], 0),
        ([(2, 3), (2, 2)], 0),
        ([(2, 3), (3, 3)], 1),
        ([(2, 3), (2, 3), (2, 4, 1)], 0),
        ([(2, 3), (2, 3)], 2),
        ([(2, 3), (2, 3)], -3),
        ([(2, 3), (2, 3)], 1.5),
    ]:
        env = Env()
        names = [env.owner(f"a{k}", s, "int32", salt=k) for k, s in enumerate(shapes)]
        add(f, f"np.concatenate({shapes}, axis={axis})", env, "concatenate", [[ref(n) for n in names]], {"axis": axis})
    for label, out_shape, out_dtype, extra, readonly in [
        ("out wrong ndim", (12,), "int32", {}, False),
        ("out wrong shape", (4, 4), "int32", {}, False),
        ("out uint32 (not same_kind)", (4, 3), "uint32", {}, False),
        ("out int32 from float", (4, 3), "int32", {}, False),
        ("out and dtype", (4, 3), "int32", {"dtype": "int32"}, False),
        ("casting 'foo'", (4, 3), "int32", {"casting": "foo"}, False),
        ("out 1-D for axis None", (6, 2), "int32", {"axis": None}, False),
        ("out wrong size for axis None", (10,), "int32", {"axis": None}, False),
        ("out read-only", (4, 3), "int32", {}, True),
    ]:
        env = Env()
        env.owner("a", (2, 3), "int32")
        env.owner("b", (2, 3), "float32" if "float" in label else "int32", salt=1)
        env.owner("o", out_shape, out_dtype, salt=4)
        out = "o"
        if readonly:
            env.view("r", "o", [["readonly"]])
            out = "r"
        add(f, f"np.concatenate([a, b], {label})", env, "concatenate", [[ref("a"), ref("b")]], {"out": ref(out), **extra})
    env = Env()
    env.owner("a", (2, 3), "int32")
    env.owner("b", (2, 3), "float64", salt=1)
    add(f, "np.concatenate([int32, float64], dtype=int8)", env, "concatenate", [[ref("a"), ref("b")]], {"dtype": "int8"})


def gen_stack():
    f = "stack"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (2, 3), dtype)
        env.owner("b", (2, 3), dtype, salt=1)
        for axis in [0, 1, 2, -1]:
            add(f, f"np.stack([a, b], axis={axis}) {dtype}", env, "stack", [[ref("a"), ref("b")]], {"axis": axis})
    for ops in [[["T"]], [["get", "::-1, ::-1"]], [["broadcastTo", [3, 2]]]]:
        for axis in [0, 1, 2]:
            env = Env()
            env.owner("a", (3, 2) if ops[0][0] != "broadcastTo" else (2,), "float32")
            env.owner("b", (3, 2), "float32", salt=1)
            env.view("v", "a", ops)
            add(f, f"np.stack([a{ops}, b], axis={axis})", env, "stack", [[ref("v"), ref("b")]], {"axis": axis})
    env = Env()
    env.owner("a", (), "int32")
    env.owner("b", (), "int32", salt=1)
    add(f, "np.stack([0-d, 0-d])", env, "stack", [[ref("a"), ref("b")]])
    env = Env()
    env.owner("a", (0, 2), "int32")
    add(f, "np.stack([(0,2), (0,2)], axis=1)", env, "stack", [[ref("a"), ref("a")]], {"axis": 1})
    env = Env()
    env.owner("a", (2, 3), "int32")
    env.owner("o", (3, 2, 2), "int32", salt=3)
    env.view("ov", "o", [["transpose", [1, 2, 0]]])
    add(f, "np.stack([a, a], axis=2, out=o.transpose(1, 2, 0))", env, "stack", [[ref("a"), ref("a")]], {"axis": 2, "out": ref("ov")})
    env = Env()
    env.owner("a", (4, 4), "uint8")
    env.view("x", "a", [["get", "0"]])
    env.view("y", "a", [["get", ":, 1"]])
    env.view("ov", "a", [["get", "1:3"]])
    add(f, "np.stack([a[0], a[:, 1]], out=a[1:3]) (overlap)", env, "stack", [[ref("x"), ref("y")]], {"out": ref("ov")})
    env = Env()
    env.owner("a", (2, 3), "int32")
    add(f, "np.stack([a, a], dtype=float16)", env, "stack", [[ref("a"), ref("a")]], {"dtype": "float16"})
    # errors
    env = Env()
    add(f, "np.stack([])", env, "stack", [[]])
    for shapes, axis in [([(2, 3), (3, 2)], 0), ([(2, 3), (2, 3)], 3), ([(2, 3), (2, 3)], -4)]:
        env = Env()
        names = [env.owner(f"a{k}", s, "int32") for k, s in enumerate(shapes)]
        add(f, f"np.stack({shapes}, axis={axis})", env, "stack", [[ref(n) for n in names]], {"axis": axis})
    # vstack, hstack, dstack, column_stack
    for fn in ["vstack", "hstack", "dstack", "column_stack"]:
        for shapes in [[(3,), (3,)], [(2, 3), (1, 3)], [(), ()], [(2, 3, 2), (2, 3, 2)], [(3,), (3, 1)], [(2, 3), (2, 2)], [(4,), (2, 4)]]:
            env = Env()
            names = [env.owner(f"a{k}", s, ["int32", "float16"][k % 2], salt=k) for k, s in enumerate(shapes)]
            add(f, f"np.{fn}({shapes})", env, fn, [[ref(n) for n in names]])
        env = Env()
        env.owner("a", (3, 2), "int8")
        env.view("v", "a", [["T"]])
        add(f, f"np.{fn}([a.T, a.T])", env, fn, [[ref("v"), ref("v")]])
        env = Env()
        add(f, f"np.{fn}([])", env, fn, [[]])
    for fn in ["vstack", "hstack"]:
        env = Env()
        env.owner("a", (2,), "int32")
        add(f, f"np.{fn}([a, a], dtype=uint8, casting=same_kind)", env, fn, [[ref("a"), ref("a")]], {"dtype": "uint8", "casting": "same_kind"})
        add(f, f"np.{fn}([a, a], dtype=int8)", env, fn, [[ref("a"), ref("a")]], {"dtype": "int8"})


# ------------------------------------------------------------------------------------------------
# Copies: tile, repeat, roll, pad, as*array


def gen_tile():
    f = "tile"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (2, 3), dtype)
        add(f, f"np.tile(a, (2, 2)) {dtype}", env, "tile", [ref("a"), [2, 2]])
    for shape in [(), (3,), (2, 3), (0, 3), (2, 1, 2)]:
        for reps in [2, [1], [2, 1], [1, 1, 1], [3, 2, 2], [0], [2, 0], []]:
            env = Env()
            env.owner("a", shape, "int16")
            add(f, f"np.tile(a{shape}, {reps!r})", env, "tile", [ref("a"), reps])
    for ops in [[["T"]], [["get", "::-1, 1:"]], [["broadcastTo", [2, 3, 3]]]]:
        for reps in [[2, 1], [1, 1], [2, 3, 1]]:
            env = Env()
            env.owner("a", (3, 3), "float32")
            env.view("v", "a", ops)
            add(f, f"np.tile(a{ops}, {reps})", env, "tile", [ref("v"), reps])
    for reps in [-1, [2, -1], 1.5]:
        env = Env()
        env.owner("a", (3,), "int32")
        add(f, f"np.tile(a, {reps!r})", env, "tile", [ref("a"), reps])


def gen_repeat():
    f = "repeat"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (2, 3), dtype)
        add(f, f"np.repeat(a, 2) {dtype}", env, "repeat", [ref("a"), 2])
        add(f, f"np.repeat(a, [1, 0, 3], axis=1) {dtype}", env, "repeat", [ref("a"), [1, 0, 3]], {"axis": 1})
    for shape in [(), (4,), (2, 3), (3, 0)]:
        for repeats, axis in [(2, None), (0, None), (3, 0), (2, -1), ([2], 0), ([1, 2, 0], 1), ([1, 1, 3, 3], 0), ([2, 2], 0), (2.5, 0), ([0, 0, 1], -1)]:
            env = Env()
            env.owner("a", shape, "uint16")
            fn = "repeat_method" if isinstance(repeats, int) and repeats == 3 else "repeat"
            add(f, f"np.repeat(a{shape}, {repeats!r}, axis={axis})", env, fn, [ref("a"), repeats], {"axis": axis})
    for ops in [[["T"]], [["get", "::-1"]], [["broadcastTo", [2, 3, 3]]]]:
        for repeats, axis in [(2, 0), ([3, 1, 2], 1), (2, None), ([1, 2, 0, 1, 1, 1, 0, 2, 1], None)]:
            env = Env()
            env.owner("a", (3, 3), "float32")
            env.view("v", "a", ops)
            if ops[0][0] == "broadcastTo" and isinstance(repeats, list) and axis is None:
                continue
            add(f, f"np.repeat(a{ops}, {repeats!r}, axis={axis})", env, "repeat", [ref("v"), repeats], {"axis": axis})
    for repeats, axis in [(-1, None), ([1, -1, 1], 0), ([1, 2], 0), (2, 2), (2, -3)]:
        env = Env()
        env.owner("a", (3, 2), "int32")
        add(f, f"np.repeat(a, {repeats!r}, axis={axis})", env, "repeat", [ref("a"), repeats], {"axis": axis})


def gen_roll():
    f = "roll"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (3, 4), dtype)
        add(f, f"np.roll(a, 5) {dtype}", env, "roll", [ref("a"), 5])
        add(f, f"np.roll(a, (1, -1), axis=(0, 1)) {dtype}", env, "roll", [ref("a"), [1, -1]], {"axis": [0, 1]})
    for shape in [(), (7,), (3, 4), (0, 3), (2, 3, 4)]:
        for shift, axis in [
            (2, None),
            (-9, None),
            (0, None),
            (1, 0),
            (-1, -1),
            ([1, 2], None),
            ([1, 2], [0, -1]),
            (1, [0, 1]),
            ([1, 2], 0),
            ([3], [0, 1]),
            (2.7, 0),
            ([], 0),
            (2, []),
        ]:
            if shape == () and axis == []:
                continue  # NumPy fails inside its own loop ("not enough values to unpack")
            env = Env()
            env.owner("a", shape, "int8")
            add(f, f"np.roll(a{shape}, {shift!r}, axis={axis!r})", env, "roll", [ref("a"), shift], {"axis": axis})
    for ops in [[["T"]], [["get", "::-1, ::2"]], [["broadcastTo", [2, 3, 4]]]]:
        for shift, axis in [(1, 0), (2, None), ([1, 1], [0, 1])]:
            env = Env()
            env.owner("a", (3, 4) if ops[0][0] != "broadcastTo" else (4,), "float32")
            env.view("v", "a", ops)
            add(f, f"np.roll(a{ops}, {shift}, axis={axis})", env, "roll", [ref("v"), shift], {"axis": axis})
    for shift, axis in [(1, 2), ([1, 2, 3], [0, 1]), (1, [0, 3])]:
        env = Env()
        env.owner("a", (3, 4), "int32")
        add(f, f"np.roll(a, {shift!r}, axis={axis!r})", env, "roll", [ref("a"), shift], {"axis": axis})


def gen_pad():
    f = "pad"
    modes = ["constant", "edge", "reflect", "symmetric", "wrap"]
    for dtype in DTYPES:
        for mode in modes:
            env = Env()
            env.owner("a", (2, 3), dtype)
            options = {"mode": mode}
            add(f, f"np.pad(a, ((1, 2), (2, 1)), {mode}) {dtype}", env, "pad", [ref("a"), [[1, 2], [2, 1]]], options)
    for shape in [(1,), (2,), (3,), (5,)]:
        for width in [[0, 1], [4, 0], [7, 5], [13, 12]]:
            for mode in modes[1:]:
                env = Env()
                env.owner("a", shape, "int32", values=list(range(int(np.prod(shape)))))
                add(f, f"np.pad(a{shape}, {width}, {mode})", env, "pad", [ref("a"), width], {"mode": mode})
    for shape, width in [((3, 4), [[5, 7], [9, 2]]), ((2, 3, 2), 3), ((1, 4), [[2, 3], [0, 5]]), ((3, 2), [[0, 0], [1, 4]])]:
        for mode in modes:
            env = Env()
            env.owner("a", shape, "uint8")
            add(f, f"np.pad(a{shape}, {width}, {mode})", env, "pad", [ref("a"), width], {"mode": mode})
    for width in [1, [1], [1, 2], [[1], [2]], [[1, 2]], [[1, 2], [3, 4]], [[1, 2]] * 2, 0]:
        env = Env()
        env.owner("a", (2, 3), "int16")
        add(f, f"np.pad(a, {width!r})", env, "pad", [ref("a"), width])
    for values in [5, [1, 2], [[1, 2], [3, 4]], [[7], [8]], 2.5, True]:
        for dtype in ["int32", "float32", "bool", "uint8"]:
            env = Env()
            env.owner("a", (2, 3), dtype)
            add(f, f"np.pad(a, 1, constant_values={values!r}) {dtype}", env, "pad", [ref("a"), 1], {"constantValues": values})
    for ops in [[["T"]], [["get", "::-1, ::2"]], [["broadcastTo", [3, 4]]]]:
        for mode in modes:
            env = Env()
            env.owner("a", (4, 3) if ops[0][0] != "broadcastTo" else (4,), "float32")
            env.view("v", "a", ops)
            add(f, f"np.pad(a{ops}, ((2, 1), (1, 3)), {mode})", env, "pad", [ref("v"), [[2, 1], [1, 3]]], {"mode": mode})
    for shape, width, mode in [((), 3, "constant"), ((), 2, "edge"), ((0, 3), 1, "constant"), ((0, 3), [[0, 0], [1, 1]], "edge"), ((3, 0), [[2, 2], [0, 0]], "wrap")]:
        env = Env()
        env.owner("a", shape, "int32")
        add(f, f"np.pad(a{shape}, {width!r}, {mode})", env, "pad", [ref("a"), width], {"mode": mode})
    # errors
    for width, options in [
        (-1, {}),
        ([[1, 2], [3, 4], [5, 6]], {}),
        ([[1, 2, 3]], {}),
        ([1, 2, 3], {}),
        (1.5, {}),
        ([], {}),
        (1, {"mode": "foo"}),
        (1, {"mode": "edge", "constantValues": 3}),
        (1, {"constantValues": [1, 2, 3]}),
        (1, {"constantValues": float("nan")}),
        (1, {"constantValues": float("inf")}),
        ([[-1, 2], [3, 4]], {}),
    ]:
        env = Env()
        env.owner("a", (2, 3), "int32")
        add(f, f"np.pad(a, {width!r}, **{options})", env, "pad", [ref("a"), width], options)
    env = Env()
    env.owner("a", (0, 3), "int32")
    add(f, "np.pad(a(0,3), 1, mode=edge)", env, "pad", [ref("a"), 1], {"mode": "edge"})
    env = Env()
    env.owner("a", (2, 3), "uint8")
    add(
        f,
        "np.pad(uint8, 1, constant_values=300) [ndgpu: Python's rule for JS scalars]",
        env,
        "pad",
        [ref("a"), 1],
        {"constantValues": 300},
        ndgpu_error={"type": "OverflowError", "message": "Python integer 300 out of bounds for uint8"},
    )
    env = Env()
    env.owner("a", (2, 3), "int32")
    add(
        f,
        "np.pad(a, 1, mode='mean') [ndgpu: not supported]",
        env,
        "pad",
        [ref("a"), 1],
        {"mode": "mean"},
        ndgpu_error={"type": "ValueError", "contains": "is not supported by ndgpu"},
    )


def gen_contiguous():
    f = "contiguous"
    for dtype in DTYPES:
        env = Env()
        env.owner("a", (3, 4), dtype)
        env.view("v", "a", [["T"], ["get", "::-1"]])
        add(f, f"np.ascontiguousarray(a.T[::-1]) {dtype}", env, "ascontiguousarray", [ref("v")])
        add(f, f"np.asfortranarray(a.T[::-1]) {dtype}", env, "asfortranarray", [ref("v")])
    for fn in ["ascontiguousarray", "asfortranarray"]:
        for shape, ops in [((), []), ((3,), []), ((2, 3), []), ((2, 3), [["T"]]), ((2, 3), [["get", ":, ::2"]]), ((0, 3), []), ((2, 3), [["broadcastTo", [4, 2, 3]]]), ((1, 3), [])]:
            for dtype in ["int32", "float16"]:
                env = Env()
                env.owner("a", shape, dtype)
                src = "a"
                if ops:
                    env.view("v", "a", ops)
                    src = "v"
                add(f, f"np.{fn}(a{shape}{ops}) {dtype}", env, fn, [ref(src)])


def main():
    gen_split()
    gen_axes()
    gen_broadcast_arrays()
    gen_atleast()
    gen_diagonal()
    gen_flip()
    gen_window()
    gen_as_strided()
    gen_concatenate()
    gen_stack()
    gen_tile()
    gen_repeat()
    gen_roll()
    gen_pad()
    gen_contiguous()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "test", "fixtures", "joining.json")
    with open(path, "w") as fh:
        json.dump({"numpy": np.__version__, "counts": COUNTS, "cases": CASES}, fh, separators=(",", ":"), allow_nan=False)
        fh.write("\n")
    print(f"wrote {len(CASES)} cases to {path}: {COUNTS}")


if __name__ == "__main__":
    main()
