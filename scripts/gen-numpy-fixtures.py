#!/usr/bin/env python3
"""Generates test/fixtures/numpy-views.json: NumPy's views, copies and assignments, replayed by
test/numpy-fixtures.test.ts on every ndgpu backend.

Run from the repository root with NumPy 2.4 installed:  python3 scripts/gen-numpy-fixtures.py

The output is deterministic (fixed seeds, no timestamps).

Format: {"numpy": version, "cases": [case, ...]}. Each case is a small program over named arrays:

    {
      "id": "index/0012",            # family/number
      "family": "index",
      "desc": "a[:, ::-2] on int32 (2,3,4)",   # human-readable, Python spelling
      "arrays": {"a": {"dtype": "int32", "shape": [2, 3, 4], "values": [...flat C order...]}},
      "steps": [{"op": "get", "src": "a", "out": "v1", "index": ":, ::-2"}, ...],
      "expect": {"a": ArrayExpect, "v1": ArrayExpect},   # state of every named array after the steps
      "result": true,                # only for sharesMemory / maySharesMemory: the last step's answer
      "error": {"type": "IndexError", "message": "..."}  # only when the last step raises
    }

Setup arrays are fresh C-ordered owners (`np.array(values, {dtype, shape})` in ndgpu). An ArrayExpect is
{dtype, shape, strides, offset, values (tolist()), c, f, owndata, writeable, base}, where strides and offset
are in bytes (offset = data pointer minus the owner's) and `base` names the array that owns the memory
(null for an owner).

Step ops (each maps to one ndgpu call; `src` names an array, `out` names the result):
  get {index | indexItems}, set {index, value}, fill {value}, reshape {shape, order?}, transpose {axes?},
  T, swapaxes {axis1, axis2}, squeeze {axis?}, expandDims {axis}, flip {axis?}, ravel {order?},
  flatten {order?}, copy {order?}, astype {dtype}, view {dtype?}, broadcastTo {shape},
  setWriteable {value}, sharesMemory {a, b}, maySharesMemory {a, b}.
  A set/fill value is {"scalar": x}, {"list": nested} or {"array": name}.
  indexItems is the list form of an index: ints, null (newaxis), "..." and {"slice": [start, stop, step]}.

Numbers: floats that JSON cannot hold are "nan", "inf", "-inf"; negative zero is "-0".

Where ndgpu deliberately differs from NumPy (README, /work/shared/spec/numpy-views.md) the expectation is
ndgpu's, computed here from NumPy by the documented rule:
  - `get` where NumPy returns a scalar: the 0-d view at that element (NumPy's `a[idx + (...,)]`);
    `flip` of a 0-d array likewise; `squeeze` without length-1 axes returns a new view (`a[...]`).
  - every copy owns its memory (base null, owndata true), also a reshape that must copy;
  - overlapping assignment is "as if the source were copied first" (`a[idx] = value.copy()`);
  - array casts float -> int truncate and saturate, NaN -> 0 (NumPy: platform-specific);
  - a write that raises leaves every array unchanged (NumPy may stop half-way: `a[:] = [1, nan, 2]`);
  - `view(dtype)` whose items would be misaligned (offset or a stride not a multiple of the new
    itemsize) is a ValueError (checked by class and a message fragment).
"""

import json
import math
import os
import warnings

import numpy as np

assert np.__version__.startswith("2."), f"expected NumPy 2.x, got {np.__version__}"
warnings.simplefilter("ignore")  # overflow / invalid-cast warnings are expected in some cases

rng = np.random.default_rng(20240611)
CASES = []
COUNTS = {}

MAIN = ["int32", "float32", "uint32"]
OTHER = ["bool", "int8", "uint8", "int16", "uint16", "float16", "float64"]
ALL = MAIN + OTHER
INT_KINDS = "iu"


# ------------------------------------------------------------------------------------------------
# Encoding


def enc_scalar(v):
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


def enc_nested(x):
    if isinstance(x, list):
        return [enc_nested(y) for y in x]
    return enc_scalar(x)


def dec_scalar(v):
    if isinstance(v, str):
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "-0": -0.0}[v]
    return v


def dec_nested(x):
    if isinstance(x, list):
        return [dec_nested(y) for y in x]
    return dec_scalar(x)


# ------------------------------------------------------------------------------------------------
# Values for setup arrays: distinct, and exercising every byte of an item


def default_values(n, dtype, salt=0):
    i = np.arange(n, dtype=np.int64) + salt
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
        return (i if salt == 0 else i * 100003 - 50000).astype(np.int32).tolist()
    if dtype == "uint32":
        return ((i * 16777259 + 4000000000) % 2**32).astype(np.uint32).tolist()
    if dtype == "float16":
        return (i.astype(np.float64) * 0.75 - 5.5).astype(np.float16).tolist()
    if dtype == "float32":
        return (i.astype(np.float64) * 1.3 - 4.1).astype(np.float32).tolist()
    if dtype == "float64":
        return (i.astype(np.float64) * 1.1 - 3.3).tolist()
    if dtype in ("int64", "uint64"):
        raise ValueError("64-bit ints are not fixtures yet")
    raise ValueError(dtype)


def make_owner(shape, dtype, values):
    a = np.array(values, dtype=dtype).reshape(shape).copy()  # a fresh owner (size 0 -> zero strides)
    assert a.base is None and a.flags.owndata
    return a


# ------------------------------------------------------------------------------------------------
# Index strings (the same syntax ndgpu's parser takes)


def parse_component(text):
    t = text.strip()
    if t in ("...", "Ellipsis"):
        return Ellipsis
    if t in ("None", "newaxis"):
        return None
    if ":" in t:
        parts = t.split(":")
        assert len(parts) <= 3

        def bound(s):
            s = s.strip()
            if s in ("", "None"):
                return None
            try:
                return int(s)
            except ValueError:
                return float(s)

        return slice(*[bound(p) for p in (parts + [""])[:3]])
    try:
        return int(t)
    except ValueError:
        return float(t)


def parse_index(text):
    body = text.strip()
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()
        if body == "":
            return ()
    if body == "":
        return ()
    pieces = body.split(",")
    if len(pieces) > 1 and pieces[-1].strip() == "":
        pieces.pop()
        return tuple(parse_component(p) for p in pieces)
    items = [parse_component(p) for p in pieces]
    return items[0] if len(items) == 1 else tuple(items)


def index_items(text):
    """The list form of an index string, for ndgpu's `get([...])`."""
    parsed = parse_index(text)
    if not isinstance(parsed, tuple):
        parsed = (parsed,)
    out = []
    for p in parsed:
        if p is Ellipsis:
            out.append("...")
        elif p is None:
            out.append(None)
        elif isinstance(p, slice):
            out.append({"slice": [p.start, p.stop, p.step]})
        else:
            out.append(p)
    return out


def slice_text(s):
    def part(v):
        return "" if v is None else str(v)

    if s.step is None:
        return f"{part(s.start)}:{part(s.stop)}"
    return f"{part(s.start)}:{part(s.stop)}:{part(s.step)}"


# ------------------------------------------------------------------------------------------------
# ndgpu's documented differences, computed from NumPy


def saturating_cast(src, dtype):
    """ndgpu's array cast: float -> int truncates toward zero, saturates, NaN -> 0; else NumPy's."""
    dt = np.dtype(dtype)
    out = src.astype(dt)  # order 'K' layout, as ndgpu's astype
    if src.dtype.kind == "f" and dt.kind in INT_KINDS:
        info = np.iinfo(dt)
        x = src.astype(np.float64)
        t = np.trunc(np.where(np.isnan(x), 0.0, x))
        t = np.clip(t, info.min, info.max)
        out[...] = t.astype(dt)
    return out


def misaligned_view_error(src, dtype):
    """None, or ndgpu's error for a view(dtype) NumPy allows whose items would be misaligned."""
    new = np.dtype(dtype).itemsize
    try:
        v = src.view(dtype)
    except Exception:
        return None
    off = data_ptr(v) - data_ptr(root_of(src))
    bad = off % new != 0 or any(n > 1 and s % new != 0 for n, s in zip(v.shape, v.strides))
    if bad and v.size > 0:
        return {"type": "ValueError", "contains": f"not multiples of {new}"}
    return None


# ------------------------------------------------------------------------------------------------
# The case builder


def data_ptr(a):
    return a.__array_interface__["data"][0]


def root_of(a):
    while a.base is not None and isinstance(a.base, np.ndarray):
        a = a.base
    return a


class Case:
    def __init__(self, family, desc):
        self.family = family
        self.desc = desc
        self.arrays = {}
        self.regs = {}  # name -> NumPy array (insertion order = creation order)
        self.owner_like = set()  # registers that ndgpu makes as owners (copies)
        self.temps = {}  # id(hidden NumPy temp) -> register that stands for it in ndgpu
        self.keep = []
        self.steps = []
        self.error = None
        self.result = None
        self.counter = 0
        self.mutated = False

    # setup ------------------------------------------------------------------------------------
    def arr(self, name, shape, dtype, values=None, salt=0):
        shape = tuple(shape)
        n = int(np.prod(shape)) if shape else 1
        if values is None:
            values = default_values(n, dtype, salt)
        else:
            values = list(np.asarray(values, dtype=dtype).ravel().tolist())
        a = make_owner(shape, dtype, values)
        self.arrays[name] = {"dtype": dtype, "shape": list(shape), "values": [enc_scalar(v) for v in a.ravel().tolist()]}
        self.regs[name] = a
        self.owner_like.add(name)
        return name

    # steps ------------------------------------------------------------------------------------
    def _name(self, out):
        if out is not None:
            return out
        self.counter += 1
        return f"v{self.counter}"

    def step(self, op, src=None, out=None, **args):
        assert self.error is None, f"{self.desc}: a step after an error"
        rec = {"op": op}
        if op in ("set", "fill", "setWriteable"):
            self.mutated = True
        if src is not None:
            rec["src"] = src
        produces = op not in ("set", "fill", "setWriteable", "sharesMemory", "maySharesMemory")
        if produces:
            out = self._name(out)
            rec["out"] = out
        for k, v in args.items():
            rec[k] = v
        self.steps.append(rec)
        # ndgpu validates before writing ("nothing is left half-written"); NumPy may stop half-way
        # (`a[:] = [1, nan, 2]` writes a[0]), so a failed write restores every buffer.
        roots = [x for x in list(self.regs.values()) + self.keep if x.base is None]
        saved = [(x, x.copy()) for x in roots] if op in ("set", "fill") else []
        try:
            r = self._run(op, self.regs.get(src), args, rec)
        except Exception as e:  # NumPy's error (or ndgpu's documented one)
            for x, snapshot in saved:
                w = x.flags.writeable
                x.flags.writeable = True
                x[...] = snapshot
                x.flags.writeable = w
            if isinstance(e, NdgpuError):
                self.error = e.info
            else:
                self.error = {"type": type(e).__name__, "message": str(e)}
            if produces:
                del rec["out"]
            return None
        if op in ("sharesMemory", "maySharesMemory"):
            self.result = bool(r)
            return None
        if produces:
            assert isinstance(r, np.ndarray), (self.desc, op, type(r))
            # Is the result a copy that NumPy hid behind a temp (a copying reshape)?
            if r.base is not None and not any(r.base is x for x in self.regs.values()) and id(r.base) not in self.temps:
                self.temps[id(r.base)] = out
                self.keep.append(r.base)
                self.owner_like.add(out)
            if r.base is None:
                self.owner_like.add(out)
            self.regs[out] = r
            return out
        return None

    def _run(self, op, a, args, rec):
        if op == "get":
            idx = parse_index(args["index"]) if "index" in args else None
            if "indexItems" in args:
                idx = items_to_tuple(args["indexItems"])
            r = a[idx]
            if not isinstance(r, np.ndarray):
                # NumPy gave a scalar: ndgpu gives the 0-d view at the element.
                t = idx if isinstance(idx, tuple) else (idx,)
                r = a[t + (Ellipsis,)]
            return r
        if op in ("set", "fill"):
            value = self._value(args["value"])
            if op == "fill":
                idx = (Ellipsis,)
            else:
                idx = parse_index(args["index"])
            if isinstance(value, np.ndarray):
                # ndgpu: "as if the source were copied first", and its saturating float->int cast.
                value = value.copy()
                if value.dtype != a.dtype:
                    value = saturating_cast(value, a.dtype)
            a[idx] = value
            return None
        if op == "reshape":
            return a.reshape(args["shape"], order=args.get("order", "C"))
        if op == "transpose":
            axes = args.get("axes")
            return a.transpose() if axes is None else a.transpose(axes)
        if op == "T":
            return a.T
        if op == "swapaxes":
            return a.swapaxes(args["axis1"], args["axis2"])
        if op == "squeeze":
            r = np.squeeze(a, axis=none_or_tuple(args.get("axis")))
            return a[...] if r is a else r
        if op == "expandDims":
            return np.expand_dims(a, none_or_tuple(args["axis"]))
        if op == "flip":
            r = np.flip(a, axis=none_or_tuple(args.get("axis")))
            return a[...] if not isinstance(r, np.ndarray) else r
        if op == "ravel":
            return a.ravel(order=args.get("order", "C"))
        if op == "flatten":
            return a.flatten(order=args.get("order", "C"))
        if op == "copy":
            return a.copy(order=args.get("order", "C"))
        if op == "astype":
            return saturating_cast(a, args["dtype"])
        if op == "view":
            dt = args.get("dtype")
            if dt is None:
                return a.view()
            err = misaligned_view_error(a, dt)
            r = a.view(dt)
            if err:
                raise NdgpuError(err)
            return r
        if op == "broadcastTo":
            return np.broadcast_to(a, tuple(args["shape"]))
        if op == "setWriteable":
            a.flags.writeable = args["value"]
            return None
        if op == "sharesMemory":
            return np.shares_memory(self.regs[args["a"]], self.regs[args["b"]])
        if op == "maySharesMemory":
            return np.may_share_memory(self.regs[args["a"]], self.regs[args["b"]])
        raise ValueError(op)

    def _value(self, v):
        if "scalar" in v:
            return dec_scalar(v["scalar"])
        if "list" in v:
            return dec_nested(v["list"])
        return self.regs[v["array"]]

    # output -----------------------------------------------------------------------------------
    def _base_name(self, name):
        if name in self.owner_like:
            return None
        r = self.regs[name]
        b = r.base
        assert b is not None, (self.desc, name)
        for n, x in self.regs.items():
            if x is b:
                return n
        return self.temps[id(b)]

    def _expect(self, name):
        r = self.regs[name]
        base = self._base_name(name)
        owner = self.regs[base] if base is not None else None
        offset = data_ptr(r) - data_ptr(owner) if owner is not None else data_ptr(r) - data_ptr(root_of(r))
        if base is None and r.base is None:
            offset = 0
        return {
            "dtype": r.dtype.name,
            "shape": list(r.shape),
            "strides": list(r.strides),
            "offset": int(offset),
            "values": enc_nested(r.tolist()),
            "c": bool(r.flags.c_contiguous),
            "f": bool(r.flags.f_contiguous),
            "owndata": base is None,
            "writeable": bool(r.flags.writeable),
            "base": base,
        }

    def done(self):
        COUNTS[self.family] = COUNTS.get(self.family, 0) + 1
        case = {
            "id": f"{self.family}/{COUNTS[self.family]:04d}",
            "family": self.family,
            "desc": self.desc,
            "arrays": self.arrays,
            "steps": self.steps,
            # Setup arrays are checked only when a step may have written them.
            "expect": {n: self._expect(n) for n in self.regs if n not in self.arrays or self.mutated},
        }
        if self.result is not None:
            case["result"] = self.result
        if self.error is not None:
            case["error"] = self.error
        CASES.append(case)
        return case


class NdgpuError(Exception):
    def __init__(self, info):
        super().__init__(info.get("message", info.get("contains")))
        self.info = info


def none_or_tuple(x):
    if x is None:
        return None
    if isinstance(x, list):
        return tuple(x)
    return x


def items_to_tuple(items):
    out = []
    for it in items:
        if it == "...":
            out.append(Ellipsis)
        elif it is None:
            out.append(None)
        elif isinstance(it, dict):
            out.append(slice(*it["slice"]))
        else:
            out.append(it)
    return tuple(out)


def one(family, desc, shape, dtype, *steps, values=None, check_error=None):
    """A case on one setup array `a` with a chain of steps, each (op, kwargs) applied to the previous result."""
    c = Case(family, desc)
    c.arr("a", shape, dtype, values)
    src = "a"
    for op, kw in steps:
        out = c.step(op, src, **kw)
        if c.error is not None:
            break
        if out is not None:
            src = out
    return c.done()


def shape_str(shape):
    return "(" + ",".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


# ================================================================================================
# Family: index (basic indexing)

SHAPES_BY_RANK = {
    0: [()],
    1: [(6,), (7,)],
    2: [(3, 4), (4, 5)],
    3: [(2, 3, 4), (3, 1, 5)],
    4: [(2, 3, 2, 3), (1, 4, 1, 3)],
}

FIXED_INDEX = {
    0: ["()", "...", "None", "None, ..., None", "..., None", "0", "1:", "::-1"],
    1: [":", "::-1", "::-2", "1::2", "-1", "0", "5:2", "-100:100", "4:1:-1", ":1:-1", "-1:-8:-1", "::-7",
        "None", "..., None", "None, ..., None", "1, ...", "2:5, None", "...", "()", "::3", "-2:", ":-2",
        "6", "-7", "0, 0", "..., ...", "::0", "10:", ":0", "1.0", "1.5:"],
    2: [":, ::-2", "1, ..., None", "-1", "5:2", "::-3, 1:", "...", "None, ..., None", "0, 0", "-1, -1",
        ":, 1", "1, :", "::-1, ::-1", "1:, None, -1", "None, 1, None, 2", ":, :, None", "..., 0", "0, ...",
        "2:0:-1, 3::-2", ":0, :", ":, 4:", "1:3, 1:3", "0, 0, 0", "3, 0", "0, -5", "..., 1, ...", ":, ::0",
        "-4, 0", "::2, ::-1", "()"],
    3: [":, ::-2", "1, ..., None", "-1", "5:2", "::-3, 1:", "...", "None, ..., None", ":, 10:0:-1",
        "0, None, 1", ":, :, None, 1", "1, ..., 1", "0, 0, 3:1", "0, 0, 0", "0, 1, 2, 3", "0, -4, 0",
        "::-1, ::-1, ::-1", "..., ::-1", "-1, -1, -1", "1:, :, 1::2", "None, 0, None, 0, None",
        ":, 1:2, :", "..., None, ..., 0"],
    4: [":, ::-2", "1, ..., None", "-1", "5:2", "::-3, 1:", "...", "None, ..., None", "0, ..., 0",
        "-1, ::-1, :, 1", "..., 1:, ::2", "0, 0, 0, 0", "1, 2, 1, 2", ":, :, :, :, :", ":, None, :, None, :, :",
        "::-1, ::-1, ::-1, ::-1", "0, :, -1", "..., -1, -1, -1"],
}


def random_index(shape, r):
    n = len(shape)
    comps = []
    axis = 0
    used_ellipsis = False
    while axis < n:
        kind = r.random()
        if kind < 0.12:
            comps.append("None")
            continue
        if kind < 0.18 and not used_ellipsis:
            used_ellipsis = True
            skip = int(r.integers(0, n - axis + 1))
            comps.append("...")
            axis += skip
            continue
        size = shape[axis]
        if kind < 0.42:
            comps.append(str(int(r.integers(-size, size)) if size > 0 else 0))
        else:
            def b():
                return "" if r.random() < 0.35 else str(int(r.integers(-size - 2, size + 3)))

            step = r.choice(["", "", "1", "-1", "2", "-2", "3", "-3"])
            comps.append(f"{b()}:{b()}" + (f":{step}" if step else ""))
        axis += 1
        if r.random() < 0.15:
            break
    if r.random() < 0.1:
        comps.append("None")
    return ", ".join(comps) if comps else "..."


def gen_index():
    r = np.random.default_rng(1)
    for rank in range(5):
        for si, shape in enumerate(SHAPES_BY_RANK[rank]):
            dtypes = MAIN if si == 0 else ["int32"]
            for dt in dtypes:
                for text in FIXED_INDEX[rank]:
                    one("index", f"a[{text}] on {dt} {shape_str(shape)}", shape, dt, ("get", {"index": text}))
            # random indexes
            for k in range(14 if rank else 0):
                dt = MAIN[k % 3]
                text = random_index(shape, r)
                one("index", f"a[{text}] on {dt} {shape_str(shape)}", shape, dt, ("get", {"index": text}))
    # list form of the index
    for text, shape in [(":, ::-2", (2, 3, 4)), ("1, ..., None", (2, 3, 4)), ("::-3, 1:", (4, 5)),
                        ("None, ..., None", (3, 4)), ("-1", (6,)), ("0, 0", (3, 4)), ("5:2", (6,)),
                        (":, 10:0:-1", (2, 3, 4)), ("..., ...", (6,)), ("0, 1, 2, 3", (2, 3, 4))]:
        one("index", f"a[{text}] (list form) on int32 {shape_str(shape)}", shape, "int32",
            ("get", {"indexItems": index_items(text)}))
    # other dtypes, odd offsets and lengths, negative strides across word boundaries
    for dt in OTHER:
        for shape, text in [((7,), "1::2"), ((7,), "::-1"), ((7,), "5:0:-3"), ((9,), "1:8"), ((3, 5), "::-1, 1::2"),
                            ((3, 5), "1, ::-1"), ((3, 5), "-1, -2"), ((2, 3, 3), ":, ::-1, 1"),
                            ((2, 3, 3), "..., ::-2, None"), ((5,), "3")]:
            one("index", f"a[{text}] on {dt} {shape_str(shape)}", shape, dt, ("get", {"index": text}))
    # chained views
    for dt in MAIN + ["uint8", "int16", "float64"]:
        one("index", f"a[1:][::-2][1:] on {dt} (11,)", (11,), dt,
            ("get", {"index": "1:"}), ("get", {"index": "::-2"}), ("get", {"index": "1:"}))
        one("index", f"a[::-1, 1:][1, ::2] on {dt} (3,5)", (3, 5), dt,
            ("get", {"index": "::-1, 1:"}), ("get", {"index": "1, ::2"}))
        one("index", f"a.T[1:, None][..., 0] on {dt} (3,4)", (3, 4), dt,
            ("T", {}), ("get", {"index": "1:, None"}), ("get", {"index": "..., 0"}))
    # size-0 arrays
    for shape, text in [((0, 3), "0"), ((0, 3), "-1"), ((0, 3), ":, 0"), ((0, 3), ":, 3"), ((0, 3), ":, 1:"),
                        ((0, 3), "::-1"), ((2, 0, 3), "1, :, ::-1"), ((2, 0, 3), ":, 0")]:
        one("index", f"a[{text}] on int32 {shape_str(shape)}", shape, "int32", ("get", {"index": text}))


# ================================================================================================
# Family: reshape


def gen_reshape():
    F = "reshape"

    def rs(desc, shape, dt, pre, new, order=None, values=None):
        kw = {"shape": list(new)}
        if order:
            kw["order"] = order
        one(F, desc, shape, dt, *pre, ("reshape", kw), values=values)

    for dt in MAIN:
        m = (4, 6)
        rs(f"m[:, :3].reshape(2,2,3) {dt}", m, dt, [("get", {"index": ":, :3"})], (2, 2, 3))
        rs(f"m[:, :3].reshape(12) copy {dt}", m, dt, [("get", {"index": ":, :3"})], (12,))
        rs(f"m[:, ::2].reshape(12) {dt}", m, dt, [("get", {"index": ":, ::2"})], (12,))
        rs(f"m[::2].reshape(2,2,3) {dt}", m, dt, [("get", {"index": "::2"})], (2, 2, 3))
        rs(f"m[::2].reshape(12) {dt}", m, dt, [("get", {"index": "::2"})], (12,))
        rs(f"m[::-1].reshape(2,2,6) {dt}", m, dt, [("get", {"index": "::-1"})], (2, 2, 6))
        rs(f"m.T.reshape(6,2,2) {dt}", m, dt, [("T", {})], (6, 2, 2))
        rs(f"m.T.reshape(3,2,4) {dt}", m, dt, [("T", {})], (3, 2, 4))
        rs(f"m.T.reshape(24) {dt}", m, dt, [("T", {})], (24,))
        rs(f"m.T.reshape(24, F) {dt}", m, dt, [("T", {})], (24,), "F")
        rs(f"m.T.reshape(4,6, A) {dt}", m, dt, [("T", {})], (4, 6), "A")
        rs(f"m[:, ::2].reshape(1,4,3) {dt}", m, dt, [("get", {"index": ":, ::2"})], (1, 4, 3))
        rs(f"m[:, ::2].reshape(4,1,3) {dt}", m, dt, [("get", {"index": ":, ::2"})], (4, 1, 3))
        rs(f"m[:, ::2].reshape(4,3,1,1) {dt}", m, dt, [("get", {"index": ":, ::2"})], (4, 3, 1, 1))
        rs(f"m[:, ::2].reshape(4,3,1,1, F) {dt}", m, dt, [("get", {"index": ":, ::2"})], (4, 3, 1, 1), "F")
        x = (2, 3, 4)
        rs(f"x.T.reshape(1,4,3,2) {dt}", x, dt, [("T", {})], (1, 4, 3, 2))
        rs(f"x.reshape(1,24,1) {dt}", x, dt, [], (1, 24, 1))
        rs(f"x.reshape(1,1,24) {dt}", x, dt, [], (1, 1, 24))
        rs(f"x.reshape(24,1,1) {dt}", x, dt, [], (24, 1, 1))
        rs(f"x.reshape(24,1,1, F) {dt}", x, dt, [], (24, 1, 1), "F")
        rs(f"x.transpose(1,0,2).reshape(3,8) copy {dt}", x, dt, [("transpose", {"axes": [1, 0, 2]})], (3, 8))
        rs(f"x.reshape(-1) {dt}", x, dt, [], (-1,))
        rs(f"x.reshape(4,-1) {dt}", x, dt, [], (4, -1))
        rs(f"x.reshape(-2,3) {dt}", x, dt, [], (-2, 3))
        rs(f"x.reshape(6,4, F) {dt}", x, dt, [], (6, 4), "F")
        rs(f"x.reshape(2,12, A) {dt}", x, dt, [], (2, 12), "A")
        rs(f"x[:, ::-1].reshape(2,3,2,2) {dt}", x, dt, [("get", {"index": ":, ::-1"})], (2, 3, 2, 2))
        rs(f"x[:, ::-1].reshape(6,4) copy {dt}", x, dt, [("get", {"index": ":, ::-1"})], (6, 4))
        rs(f"x[:, ::-1].reshape(6,4, F) copy {dt}", x, dt, [("get", {"index": ":, ::-1"})], (6, 4), "F")
        rs(f"x same shape, non-contiguous view {dt}", x, dt, [("get", {"index": "::-1, :, ::2"})], (2, 3, 2))
        rs(f"x.T.reshape(2,3,4) copy {dt}", x, dt, [("T", {})], (2, 3, 4))
        rs(f"x.T.reshape(2,3,4, F) {dt}", x, dt, [("T", {})], (2, 3, 4), "F")
        rs(f"x.T.reshape(2,3,4, A) {dt}", x, dt, [("T", {})], (2, 3, 4), "A")
        rs(f"0-d reshape(1,1) {dt}", (), dt, [], (1, 1))
        rs(f"0-d reshape(()) {dt}", (), dt, [], ())
        rs(f"(1,) reshape(()) {dt}", (1,), dt, [], ())
        rs(f"(6,)[None] reshape(2,3) {dt}", (6,), dt, [("get", {"index": "None"})], (2, 3))
        rs(f"arange(6)[::2].reshape(-1) {dt}", (6,), dt, [("get", {"index": "::2"})], (-1,))
        rs(f"(3,1,4)[:, :, ::2].reshape(3,2) {dt}", (3, 1, 4), dt, [("get", {"index": ":, :, ::2"})], (3, 2))
        # NumPy's same-shape shortcut compares the requested dims: -1 takes the general path
        for new in [(3, 1, 4), (3, -1, 4), (-1, 1, 4)]:
            rs(f"m[:, None].reshape{new} {dt}", (3, 4), dt, [("get", {"index": ":, None"})], new)
        rs(f"m[:, None, ::-1].reshape(3,-1,4) {dt}", (3, 4), dt, [("get", {"index": ":, None, ::-1"})], (3, -1, 4))
        rs(f"m[:, ::2].reshape(-1, 2) {dt}", (3, 4), dt, [("get", {"index": ":, ::2"})], (-1, 2))
    # size-0
    rs("zeros((0,3)).reshape(-1,3)", (0, 3), "int32", [], (-1, 3))
    rs("zeros((0,3)).reshape(3,0)", (0, 3), "int32", [], (3, 0))
    rs("zeros((0,3)).reshape(0,-1) error", (0, 3), "int32", [], (0, -1))
    rs("m[:0].reshape(0,2,2)", (3, 4), "int32", [("get", {"index": ":0"})], (0, 2, 2))
    rs("m[:0].T.reshape(0,4) (view of non-empty)", (3, 4), "float32", [("get", {"index": ":, :0"}), ("T", {})], (2, 0, 3))
    # errors
    for new, size_shape in [((5, -1), (24,)), ((-1, 5), (24,)), ((7, 3), (24,)), ((-1, 0), (24,)), ((5,), (24,)),
                            ((-1, -1), (24,)), ((2, -1, 5), (24,)), ((-1, 5), (7,)), ((25,), (24,)), ((0, -1), (24,))]:
        rs(f"arange({size_shape[0]}).reshape{tuple(new)} error", size_shape, "int32", [], new)
    one(F, "reshape order K error", (6,), "int32", ("reshape", {"shape": [2, 3], "order": "K"}))
    one(F, "reshape order X error", (6,), "int32", ("reshape", {"shape": [2, 3], "order": "X"}))
    # other dtypes (copies through every byte lane)
    for dt in OTHER:
        rs(f"(3,5).T.reshape(15) copy {dt}", (3, 5), dt, [("T", {})], (15,))
        rs(f"(3,5)[::-1, 1:].reshape(12) copy {dt}", (3, 5), dt, [("get", {"index": "::-1, 1:"})], (12,))
        rs(f"(3,5)[::-1, 1:].reshape(12, F) copy {dt}", (3, 5), dt, [("get", {"index": "::-1, 1:"})], (12,), "F")
        rs(f"(7,)[1:].reshape(2,3) {dt}", (7,), dt, [("get", {"index": "1:"})], (2, 3))
        rs(f"(2,3,3)[:, ::-1].reshape(2,9) copy {dt}", (2, 3, 3), dt, [("get", {"index": ":, ::-1"})], (2, 9))


# ================================================================================================
# Family: axes (transpose / T / swapaxes / squeeze / expandDims / flip)


def gen_axes():
    F = "axes"
    for dt in MAIN:
        x = (2, 3, 4)
        one(F, f"x.T {dt}", x, dt, ("T", {}))
        one(F, f"x.transpose() {dt}", x, dt, ("transpose", {}))
        for axes in [[1, 0, 2], [2, 0, 1], [-1, 0, 1], [0, 1, 2], [0, 0, 1], [0, 1], [0, 1, 3], [0, 1, -4]]:
            one(F, f"x.transpose({axes}) {dt}", x, dt, ("transpose", {"axes": axes}))
        for i, j in [(0, 2), (1, -1), (2, 2), (0, 3), (-4, 0)]:
            one(F, f"x.swapaxes({i},{j}) {dt}", x, dt, ("swapaxes", {"axis1": i, "axis2": j}))
        one(F, f"x[:, ::-2].transpose(2,0,1) {dt}", x, dt, ("get", {"index": ":, ::-2"}), ("transpose", {"axes": [2, 0, 1]}))
        one(F, f"0-d .T {dt}", (), dt, ("T", {}))
        one(F, f"1-d .T {dt}", (5,), dt, ("T", {}))
        one(F, f"1-d .transpose(0) {dt}", (5,), dt, ("transpose", {"axes": [0]}))
        s = (1, 3, 1, 2)
        one(F, f"squeeze() {dt}", s, dt, ("squeeze", {}))
        one(F, f"squeeze(0) {dt}", s, dt, ("squeeze", {"axis": 0}))
        one(F, f"squeeze([0,2]) {dt}", s, dt, ("squeeze", {"axis": [0, 2]}))
        one(F, f"squeeze(-2) {dt}", s, dt, ("squeeze", {"axis": -2}))
        one(F, f"squeeze(1) error {dt}", s, dt, ("squeeze", {"axis": 1}))
        one(F, f"squeeze([0,0]) error {dt}", s, dt, ("squeeze", {"axis": [0, 0]}))
        one(F, f"squeeze(4) error {dt}", s, dt, ("squeeze", {"axis": 4}))
        one(F, f"squeeze() without unit axes (new view) {dt}", (2, 3), dt, ("squeeze", {}))
        one(F, f"a[None].squeeze() {dt}", (2, 3), dt, ("get", {"index": "None"}), ("squeeze", {}))
        one(F, f"a[:1,:1,:1].squeeze((0,2)) {dt}", (2, 3, 4), dt, ("get", {"index": ":1, :1, :1"}), ("squeeze", {"axis": [0, 2]}))
        one(F, f"0-d squeeze() {dt}", (), dt, ("squeeze", {}))
        one(F, f"(1,0,1).squeeze() {dt}", (1, 0, 1), dt, ("squeeze", {}))
        one(F, f"(1,1) [::-1, ::-1].squeeze() {dt}", (1, 1), dt, ("get", {"index": "::-1, ::-1"}), ("squeeze", {}))
        for axis in [0, 1, -1, 3, [0, 2], [0, 4], 4, -5, [1, 1]]:
            one(F, f"expand_dims(x, {axis}) {dt}", x, dt, ("expandDims", {"axis": axis}))
        one(F, f"expand_dims(x[:, ::2], 1) {dt}", x, dt, ("get", {"index": ":, ::2"}), ("expandDims", {"axis": 1}))
        one(F, f"expand_dims(x.T, 1) {dt}", x, dt, ("T", {}), ("expandDims", {"axis": 1}))
        one(F, f"expand_dims(x[::-1], -1) {dt}", x, dt, ("get", {"index": "::-1"}), ("expandDims", {"axis": -1}))
        one(F, f"expand_dims(0-d, 0) {dt}", (), dt, ("expandDims", {"axis": 0}))
        for axis in [None, 0, 1, -1, [0, 2], [0, 0], 3]:
            one(F, f"flip(x, {axis}) {dt}", x, dt, ("flip", {} if axis is None else {"axis": axis}))
        one(F, f"flip(0-d) {dt}", (), dt, ("flip", {}))
        one(F, f"flip((2,0,3)) {dt}", (2, 0, 3), dt, ("flip", {}))
        one(F, f"flip(x[:, 1:]) twice {dt}", x, dt, ("get", {"index": ":, 1:"}), ("flip", {"axis": 1}), ("flip", {}))
    for dt in OTHER:
        one(F, f"(3,5).T then [1:] {dt}", (3, 5), dt, ("T", {}), ("get", {"index": "1:"}))
        one(F, f"flip((3,5)) {dt}", (3, 5), dt, ("flip", {}))
        one(F, f"flip((7,)) {dt}", (7,), dt, ("flip", {}))
        one(F, f"(2,1,3).squeeze().swapaxes(0,1) {dt}", (2, 1, 3), dt, ("squeeze", {}), ("swapaxes", {"axis1": 0, "axis2": 1}))
        one(F, f"expand_dims((7,)[::-2], 0) {dt}", (7,), dt, ("get", {"index": "::-2"}), ("expandDims", {"axis": 0}))


# ================================================================================================
# Family: ravel / flatten


def gen_ravel():
    F = "ravel"
    sources = [
        ("m", (3, 4), []),
        ("m.T", (3, 4), [("T", {})]),
        ("m[::-1]", (3, 4), [("get", {"index": "::-1"})]),
        ("m.T[::-1]", (3, 4), [("T", {}), ("get", {"index": "::-1"})]),
        ("m[:, ::2]", (3, 4), [("get", {"index": ":, ::2"})]),
        ("arange(12)[::2]", (12,), [("get", {"index": "::2"})]),
        ("arange(12)[::-1]", (12,), [("get", {"index": "::-1"})]),
        ("x.transpose(1,0,2)", (2, 3, 4), [("transpose", {"axes": [1, 0, 2]})]),
        ("x[:, :1, ::-1]", (2, 3, 4), [("get", {"index": ":, :1, ::-1"})]),
        ("x[None, :, 1:2].T", (2, 3, 4), [("get", {"index": "None, :, 1:2"}), ("T", {})]),
        ("broadcast_to(arange(4),(3,4))", (4,), [("broadcastTo", {"shape": [3, 4]})]),
        ("0-d", (), []),
        ("(0,3)", (0, 3), []),
        ("m[:, :0]", (3, 4), [("get", {"index": ":, :0"})]),
        ("(0,)", (0,), []),
        ("arange(12)[::2][:1]", (12,), [("get", {"index": "::2"}), ("get", {"index": ":1"})]),
        ("arange(12)[::3][:0]", (12,), [("get", {"index": "::3"}), ("get", {"index": ":0"})]),
        ("broadcast_to(arange(1),(1,))", (1,), [("broadcastTo", {"shape": [1]})]),
    ]
    for dt in MAIN:
        for label, shape, pre in sources:
            for fn in ("ravel", "flatten"):
                for order in (None, "C", "F", "A", "K"):
                    if dt != "int32" and (order in (None, "A") or (fn == "flatten" and order != "K")):
                        continue
                    kw = {} if order is None else {"order": order}
                    one(F, f"{label}.{fn}({order or ''}) {dt}", shape, dt, *pre, (fn, kw))
    one(F, "ravel order X error", (3, 4), "int32", ("ravel", {"order": "X"}))
    for dt in OTHER:
        for label, shape, pre in sources[1:5] + sources[8:9]:
            for fn, order in [("ravel", "K"), ("flatten", "F"), ("flatten", "K")]:
                one(F, f"{label}.{fn}({order}) {dt}", shape, dt, *pre, (fn, {"order": order}))


# ================================================================================================
# Family: copy (orders)


def gen_copy():
    F = "copy"
    sources = [
        ("m", (3, 4), []),
        ("m.T", (3, 4), [("T", {})]),
        ("m[::-1]", (3, 4), [("get", {"index": "::-1"})]),
        ("m.T[::-1]", (3, 4), [("T", {}), ("get", {"index": "::-1"})]),
        ("b3.transpose(1,0,2)", (2, 3, 4), [("transpose", {"axes": [1, 0, 2]})]),
        ("broadcast_to(arange(4),(3,4))", (4,), [("broadcastTo", {"shape": [3, 4]})]),
        ("x[::-1, None, ::2]", (2, 3, 4), [("get", {"index": "::-1, None, ::2"})]),
        ("x.transpose(2,0,1)[1:]", (2, 3, 4), [("transpose", {"axes": [2, 0, 1]}), ("get", {"index": "1:"})]),
        ("0-d", (), []),
        ("(0,3).T", (0, 3), [("T", {})]),
        ("(7,)[::-2]", (7,), [("get", {"index": "::-2"})]),
    ]
    for dt in ALL:
        for label, shape, pre in sources:
            if dt not in MAIN and label in ("0-d", "(0,3).T", "m"):
                continue
            for order in (None, "C", "F", "A", "K"):
                if dt not in MAIN and order in (None, "A"):
                    continue
                kw = {} if order is None else {"order": order}
                one(F, f"{label}.copy({order or ''}) {dt}", shape, dt, *pre, ("copy", kw))
    one(F, "copy order X error", (3, 4), "int32", ("copy", {"order": "X"}))
    # a copy is independent of its source
    c = Case(F, "c = a.copy(); c[0] = 99 leaves a; a[1] = -1 leaves c")
    c.arr("a", (4,), "int32")
    c.step("copy", "a", out="c")
    c.step("set", "c", index="0", value={"scalar": 99})
    c.step("set", "a", index="1", value={"scalar": -1})
    c.done()
    c = Case(F, "view of a copy: base is the copy")
    c.arr("a", (3, 4), "float32")
    c.step("T", "a", out="t")
    c.step("copy", "t", out="c", order="K")
    c.step("get", "c", out="v", index="1:, ::-1")
    c.done()
    c = Case(F, "view of a copying reshape: base is the reshape result")
    c.arr("a", (3, 4), "int32")
    c.step("T", "a", out="t")
    c.step("reshape", "t", out="r", shape=[12])
    c.step("get", "r", out="v", index="2::3")
    c.done()


# ================================================================================================
# Family: view (dtype reinterpretation)


def gen_view():
    F = "view"
    for dt in ALL:
        one(F, f"a.view() {dt}", (2, 4), dt, ("view", {}))
    pairs = [
        ("int32", "float32"), ("float32", "uint32"), ("uint32", "int32"), ("int32", "int16"), ("int32", "uint8"),
        ("float32", "float16"), ("int16", "int32"), ("uint8", "int32"), ("uint8", "uint16"), ("int8", "bool"),
        ("float64", "int32"), ("int32", "float64"), ("uint16", "float16"), ("float16", "int16"), ("float64", "uint8"),
        ("uint8", "float64"), ("bool", "uint8"),
    ]
    for src, dst in pairs:
        values = None
        shape = (2, 4)
        if src == "uint8" and dst in ("float64",):
            values = [0, 0, 0, 0, 0, 0, 240, 63, 0, 0, 0, 0, 0, 0, 0, 192] * 2  # 1.0, -2.0 per row
            shape = (2, 16)
        if src == "int8" and dst == "bool":
            values = [0, 1, 1, 0, 1, 0, 0, 1]
        if src == "uint16" and dst == "float16":
            values = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x3555, 0x7C00, 0xFC00]
        if src in ("int32", "uint32") and dst in ("float32",):
            values = [0x3F800000, 0x40490FDB, 0, 1, 0x7F7FFFFF, 0x00800000, 0x3EAAAAAB, 0x42F60000]
        if src == "int32" and dst == "float64":
            values = [0, 0x3FF00000, 0x54442D18, 0x400921FB, 0, 0, 1, 0]
        one(F, f"{shape_str(shape)} {src}.view({dst})", shape, src, ("view", {"dtype": dst}), values=values)
        one(F, f"{shape_str(shape)}[::-1] {src}.view({dst})", shape, src, ("get", {"index": "::-1"}), ("view", {"dtype": dst}), values=values)
        one(F, f"{shape_str(shape)}.T {src}.view({dst})", shape, src, ("T", {}), ("view", {"dtype": dst}), values=values)
        one(F, f"{shape_str(shape)}[:, 1:2] {src}.view({dst})", shape, src, ("get", {"index": ":, 1:2"}), ("view", {"dtype": dst}), values=values)
        one(F, f"{shape_str(shape)}[:, 2:] {src}.view({dst})", shape, src, ("get", {"index": ":, 2:"}), ("view", {"dtype": dst}), values=values)
        one(F, f"{shape_str(shape)}[:, ::2] {src}.view({dst})", shape, src, ("get", {"index": ":, ::2"}), ("view", {"dtype": dst}), values=values)
        one(F, f"0-d {src}.view({dst})", (), src, ("view", {"dtype": dst}))
    # odd lengths / offsets
    for shape, pre, dst in [
        ((7,), [("get", {"index": "1:7"})], "int16"),
        ((8,), [("get", {"index": "1:7"})], "int16"),
        ((8,), [("get", {"index": "2:6"})], "int16"),
        ((8,), [("get", {"index": "2:6"})], "int32"),
        ((8,), [("get", {"index": "4:"})], "int32"),
        ((8,), [("get", {"index": "4:"})], "float32"),
        ((3, 4), [("get", {"index": ":, 1:3"})], "uint16"),
        ((3, 4), [("get", {"index": ":, 2:"})], "uint16"),
        ((3, 6), [("get", {"index": "::2, 2:"})], "int32"),
        ((3, 6), [("get", {"index": ":, 3:"})], "int16"),
        ((6,), [("get", {"index": "3:4"})], "int16"),
        ((0,), [], "int32"),
        ((0, 6), [], "int16"),
    ]:
        for src in ("uint8", "int8"):
            one(F, f"{shape_str(shape)} {src}{'[' + pre[0][1]['index'] + ']' if pre else ''}.view({dst})", shape, src, *pre, ("view", {"dtype": dst}))
    one(F, "view to unknown dtype error", (4,), "int32", ("view", {"dtype": "bogus"}))
    # writes through a reinterpreted view reach the owner
    c = Case(F, "a.view(uint8)[::4] = 255 on int32")
    c.arr("a", (4,), "int32")
    c.step("view", "a", out="u", dtype="uint8")
    c.step("set", "u", index="::4", value={"scalar": 255})
    c.done()
    c = Case(F, "a.view(int16)[1::2] = -1 on uint32 (high halves)")
    c.arr("a", (2, 3), "uint32")
    c.step("view", "a", out="h", dtype="int16")
    c.step("set", "h", index=":, 1::2", value={"scalar": -1})
    c.done()


# ================================================================================================
# Family: broadcast (broadcastTo)


def gen_broadcast():
    F = "broadcast"
    for dt in MAIN + ["uint8", "float16", "float64", "bool"]:
        one(F, f"broadcast_to(arange(3),(2,3)) {dt}", (3,), dt, ("broadcastTo", {"shape": [2, 3]}))
        one(F, f"broadcast_to(m[:, :1],(3,1)) {dt}", (3, 2), dt, ("get", {"index": ":, :1"}), ("broadcastTo", {"shape": [3, 1]}))
        one(F, f"broadcast_to(m[:, :1],(2,3,4)) {dt}", (3, 2), dt, ("get", {"index": ":, :1"}), ("broadcastTo", {"shape": [2, 3, 4]}))
        one(F, f"broadcast_to(a[::-1],(2,5)) {dt}", (5,), dt, ("get", {"index": "::-1"}), ("broadcastTo", {"shape": [2, 5]}))
        one(F, f"broadcast_to(0-d,(2,)) {dt}", (), dt, ("broadcastTo", {"shape": [2]}))
    for dt in MAIN[:1]:
        one(F, "broadcast_to(zeros(3),(0,3))", (3,), dt, ("broadcastTo", {"shape": [0, 3]}))
        one(F, "broadcast_to((1,3),(0,3))", (1, 3), dt, ("broadcastTo", {"shape": [0, 3]}))
        one(F, "broadcast_to((0,3),(2,0,3))", (0, 3), dt, ("broadcastTo", {"shape": [2, 0, 3]}))
        one(F, "broadcast_to(x,(2,3,5)) error", (2, 3, 4), dt, ("broadcastTo", {"shape": [2, 3, 5]}))
        one(F, "broadcast_to(x,(3,4)) error", (2, 3, 4), dt, ("broadcastTo", {"shape": [3, 4]}))
        one(F, "broadcast_to(arange(3),()) error", (3,), dt, ("broadcastTo", {"shape": []}))
        one(F, "broadcast_to(arange(3),(-1,3)) error", (3,), dt, ("broadcastTo", {"shape": [-1, 3]}))
        one(F, "broadcast_to((0,3),(0,0)) error", (0, 3), dt, ("broadcastTo", {"shape": [0, 0]}))
        one(F, "broadcast_to((2,1),(2,3)).T view", (2, 1), dt, ("broadcastTo", {"shape": [2, 3]}), ("T", {}))
        one(F, "broadcast_to((3,),(2,3))[1] view", (3,), dt, ("broadcastTo", {"shape": [2, 3]}), ("get", {"index": "1"}))
        one(F, "broadcast_to((3,),(2,3)) set error", (3,), dt, ("broadcastTo", {"shape": [2, 3]}),
            ("set", {"index": "0, 0", "value": {"scalar": 1}}))
        one(F, "broadcast_to((3,),(2,3)) fill error", (3,), dt, ("broadcastTo", {"shape": [2, 3]}),
            ("fill", {"value": {"scalar": 1}}))
        one(F, "broadcast_to((3,),(2,3))[0] set error", (3,), dt, ("broadcastTo", {"shape": [2, 3]}),
            ("get", {"index": "0"}), ("set", {"index": "...", "value": {"scalar": 1}}))
        one(F, "broadcast_to((3,),(2,3)).copy() is writeable", (3,), dt, ("broadcastTo", {"shape": [2, 3]}),
            ("copy", {}), ("set", {"index": "0, 0", "value": {"scalar": 42}}))


# ================================================================================================
# Family: set (NumPy's setitem, with ndgpu's overlap rule)


def set_case(desc, shape, dt, index, value, values=None, pre=None, post_check=None):
    c = Case("set", desc)
    c.arr("a", shape, dt, values)
    target = "a"
    for op, kw in pre or []:
        target = c.step(op, target, **kw) or target
    c.step("set", target, index=index, value=value)
    return c.done()


def gen_set():
    F = "set"
    for dt in MAIN:
        z = 0
        set_case(f"a[1:4] = 7 {dt}", (6,), dt, "1:4", {"scalar": 7})
        set_case(f"a[::-2] = -3 {dt}", (7,), dt, "::-2", {"scalar": -3 if dt != "uint32" else 3})
        set_case(f"m[:, 1] = 9 {dt}", (3, 4), dt, ":, 1", {"scalar": 9})
        set_case(f"m[::-1, ::2] = 5 {dt}", (3, 4), dt, "::-1, ::2", {"scalar": 5})
        set_case(f"m[1, 2] = 77 {dt}", (3, 4), dt, "1, 2", {"scalar": 77})
        set_case(f"m[-1, -1] = 1.7 {dt}", (3, 4), dt, "-1, -1", {"scalar": 1.7})
        set_case(f"m[0] = -1.7 {dt}", (3, 4), dt, "0", {"scalar": -1.7 if dt != "uint32" else 2.9})
        set_case(f"m[...] = True {dt}", (3, 4), dt, "...", {"scalar": True})
        set_case(f"m[:] = [[1],[2],[3]] {dt}", (3, 4), dt, ":", {"list": [[1], [2], [3]]})
        set_case(f"m[:] = [1,2,3,4] {dt}", (3, 4), dt, ":", {"list": [1, 2, 3, 4]})
        set_case(f"m[::-1] = [[...]] {dt}", (3, 4), dt, "::-1", {"list": [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]})
        set_case(f"m.T[:] = nested {dt}", (3, 4), dt, ":", {"list": [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]},
                 pre=[("T", {})])
        set_case(f"x[:, ::-1, 1:3] = [10, 20] {dt}", (2, 3, 4), dt, ":, ::-1, 1:3", {"list": [10, 20]})
        set_case(f"x[1, None] = [[[1],[2],[3]]] {dt}", (2, 3, 4), dt, "1, None", {"list": [[[1], [2], [3]]]})
        set_case(f"0-d[()] = 2.5 {dt}", (), dt, "()", {"scalar": 2.5})
        set_case(f"0-d[...] = 4 {dt}", (), dt, "...", {"scalar": 4})
        set_case(f"m[:0] = [1,2,3,4] (empty target) {dt}", (3, 4), dt, ":0", {"list": [1, 2, 3, 4]})
        set_case(f"m[1:, 1:] = 3.99 {dt}", (3, 4), dt, "1:, 1:", {"scalar": 3.99})
        set_case(f"m[:] = [1.9, 2.5, -0.5, 7.25] {dt}", (3, 4), dt, ":",
                 {"list": [1.9, 2.5, -0.5 if dt != "uint32" else 0.5, 7.25]})
        set_case(f"a[:] = [True, False, True] {dt}", (3,), dt, ":", {"list": [True, False, True]})
        # arrays (other registers) with broadcasting
        for bshape, index, tshape in [((4,), ":", (3, 4)), ((3, 1), ":", (3, 4)), ((1, 4), "::2", (3, 4)),
                                      ((), ":, 1:", (3, 4)), ((1, 2, 1), "1, :2", (2, 3, 4)),
                                      ((1, 1, 4), "0", (3, 4)), ((3,), "::-1, 0", (3, 4)), ((4, 3), "::-1, ::-1", (4, 3))]:
            c = Case(F, f"a{shape_str(tshape)}[{index}] = b{shape_str(bshape)} {dt}")
            c.arr("a", tshape, dt)
            c.arr("b", bshape, dt, salt=100)
            c.step("set", "a", index=index, value={"array": "b"})
            c.done()
        # strided / reversed array values
        c = Case(F, f"a[::2] = b[::-3] {dt}")
        c.arr("a", (8,), dt)
        c.arr("b", (12,), dt, salt=50)
        c.step("get", "b", out="bv", index="::-3")
        c.step("set", "a", index="::2", value={"array": "bv"})
        c.done()
        c = Case(F, f"a[:] = b.T {dt}")
        c.arr("a", (4, 3), dt)
        c.arr("b", (3, 4), dt, salt=50)
        c.step("T", "b", out="bt")
        c.step("set", "a", index=":", value={"array": "bt"})
        c.done()
        c = Case(F, f"a[0] = 0-d view b[1, 2] {dt}")
        c.arr("a", (3, 4), dt)
        c.arr("b", (3, 4), dt, salt=50)
        c.step("get", "b", out="e", index="1, 2")
        c.step("set", "a", index="0", value={"array": "e"})
        c.done()
        c = Case(F, f"a[1, 1] = 0-d view b[2, ...] (element path) {dt}")
        c.arr("a", (3, 4), dt)
        c.arr("b", (3,), dt, salt=50)
        c.step("get", "b", out="e", index="2, ...")
        c.step("set", "a", index="1, 1", value={"array": "e"})
        c.done()
        # a write through a view is visible in the owner and other views
        c = Case(F, f"view write visible in owner and sibling view {dt}")
        c.arr("a", (3, 4), dt)
        c.step("get", "a", out="v", index="1:, ::-1")
        c.step("T", "a", out="t")
        c.step("set", "v", index="0, 0", value={"scalar": 99})
        c.step("set", "t", index="0", value={"scalar": 42})
        c.done()
        # overlapping source and target (as if the source were copied first)
        for desc, shape, pre_src, index in [
            ("a[1:] = a[:-1]", (6,), "a[:-1]", "1:"),
            ("a[:-1] = a[1:]", (6,), "a[1:]", ":-1"),
            ("a[::-1] = a", (6,), "a", "::-1"),
            ("a[:] = a[::-1]", (6,), "a[::-1]", ":"),
            ("a[::2] = a[:3]", (6,), "a[:3]", "::2"),
            ("a[::2] = a[:6]", (12,), "a[:6]", "::2"),
            ("a[4::-2] = a[2::-1]", (6,), "a[2::-1]", "4::-2"),
            ("a[::2] = a[1::2]", (6,), "a[1::2]", "::2"),
            ("a[:] = a.T", (3, 3), "a.T", ":"),
            ("a[1:,1:] = a[:-1,:-1]", (3, 3), "a[:-1, :-1]", "1:, 1:"),
            ("a[:-1,:-1] = a[1:,1:]", (4, 4), "a[1:, 1:]", ":-1, :-1"),
            ("a[::-1, ::-1] = a", (3, 4), "a", "::-1, ::-1"),
            ("a[1:] = a[:1] (broadcast row)", (3, 4), "a[:1]", "1:"),
            ("a[:, 1:] = a[:, :1]", (3, 4), "a[:, :1]", ":, 1:"),
            ("a[0] = a[:, 0] (square)", (4, 4), "a[:, 0]", "0"),
            ("a[:] = a (same view)", (5,), "a", ":"),
            ("a[...] = a[...] (same layout, new view)", (2, 3), "a[...]", "..."),
        ]:
            c = Case(F, f"{desc} {dt}")
            c.arr("a", shape, dt)
            if pre_src == "a":
                src = "a"
            elif pre_src == "a.T":
                src = c.step("T", "a", out="s")
            else:
                src = c.step("get", "a", out="s", index=pre_src[2:-1])
            c.step("set", "a", index=index, value={"array": src})
            c.done()
        # errors
        set_case(f"a[:] = [1,2] broadcast error {dt}", (2, 3), dt, ":", {"list": [1, 2]})
        set_case(f"a[0:1] = ones((2,1,3)) error {dt}", (2, 3), dt, "0:1", {"list": [[[1, 1, 1]], [[1, 1, 1]]]})
        set_case(f"a[0] = [[1,2,3]] too deep {dt}", (2, 3), dt, "0", {"list": [[1, 2, 3]]})
        set_case(f"0-d[...] = [1,2] too deep {dt}", (), dt, "...", {"list": [1, 2]})
        set_case(f"0-d[...] = [9] too deep {dt}", (), dt, "...", {"list": [9]})
        set_case(f"a[:0] = [] error {dt}", (2, 3), dt, ":0", {"list": []})
        set_case(f"a[0, 0] = [1] element path {dt}", (2, 3), dt, "0, 0", {"list": [1]})
        set_case(f"a[:] = [[1,2],[3]] inhomogeneous {dt}", (2, 2), dt, ":", {"list": [[1, 2], [3]]})
        c = Case(F, f"a[:] = b(2,) into (2,3) error {dt}")
        c.arr("a", (2, 3), dt)
        c.arr("b", (2,), dt, salt=9)
        c.step("set", "a", index=":", value={"array": "b"})
        c.done()
        c = Case(F, f"a[0:1] = b(2,1,3) error {dt}")
        c.arr("a", (2, 3), dt)
        c.arr("b", (2, 1, 3), dt, salt=9)
        c.step("set", "a", index="0:1", value={"array": "b"})
        c.done()
        c = Case(F, f"a[0] = b(1,1,3) strips leading ones {dt}")
        c.arr("a", (2, 3), dt)
        c.arr("b", (1, 1, 3), dt, salt=9)
        c.step("set", "a", index="0", value={"array": "b"})
        c.done()
        c = Case(F, f"a[0, 0] = b(1,) element path error {dt}")
        c.arr("a", (2, 3), dt)
        c.arr("b", (1,), dt, salt=9)
        c.step("set", "a", index="0, 0", value={"array": "b"})
        c.done()
        c = Case(F, f"read-only owner: a[0] = 1 error {dt}")
        c.arr("a", (2, 3), dt)
        c.step("setWriteable", "a", value=False)
        c.step("get", "a", out="v", index="1:")
        c.step("set", "v", index="0", value={"scalar": 1})
        c.done()
        c = Case(F, f"view made before setWriteable(False) stays writeable {dt}")
        c.arr("a", (2, 3), dt)
        c.step("get", "a", out="v", index="1:")
        c.step("setWriteable", "a", value=False)
        c.step("set", "v", index="0, 0", value={"scalar": 42})
        c.done()
        set_case(f"a[0] = nan into {dt}", (3,), dt, "0", {"scalar": "nan"})
        set_case(f"a[0:2] = inf into {dt}", (3,), dt, "0:2", {"scalar": "inf"})
        set_case(f"a[1] = 2**40 into {dt}", (3,), dt, "1", {"scalar": 2**40})
        set_case(f"a[1] = -1 into {dt}", (3,), dt, "1", {"scalar": -1})
        set_case(f"a[:] = [1, nan, 2] into {dt}", (3,), dt, ":", {"list": [1, "nan", 2]})
        set_case(f"a[:] = 1e30 into {dt}", (3,), dt, ":", {"scalar": 1e30})
        set_case(f"a[:] = 4294967296 into {dt}", (3,), dt, ":", {"scalar": 4294967296})
        set_case(f"a[:] = 2147483648 into {dt}", (3,), dt, ":", {"scalar": 2147483648})
        set_case(f"a[:] = -2147483649 into {dt}", (3,), dt, ":", {"scalar": -2147483649})
        set_case(f"a[0] = 1e40 into {dt}", (3,), dt, "0", {"scalar": 1e40})
        set_case(f"a[0] = -0.0 into {dt}", (3,), dt, "0", {"scalar": "-0"})
    # byte-lane cases in narrow and wide dtypes
    for dt in OTHER:
        for desc, shape, pre_src, index in [
            ("a[1:] = a[:-1]", (9,), "a[:-1]", "1:"),
            ("a[:-1] = a[1:]", (9,), "a[1:]", ":-1"),
            ("a[::-1] = a", (7,), "a", "::-1"),
            ("a[::2] = a[:4]", (7,), "a[:4]", "::2"),
            ("a[1::3] = a[9:0:-3]", (10,), "a[9:0:-3]", "1::3"),
            ("a[:] = a.T", (3, 3), "a.T", ":"),
            ("a[1:,1:] = a[:-1,:-1]", (3, 5), "a[:-1, :-1]", "1:, 1:"),
        ]:
            c = Case(F, f"{desc} {dt}")
            c.arr("a", shape, dt)
            if pre_src == "a":
                src = "a"
            elif pre_src == "a.T":
                src = c.step("T", "a", out="s")
            else:
                src = c.step("get", "a", out="s", index=pre_src[2:-1])
            c.step("set", "a", index=index, value={"array": src})
            c.done()
        set_case(f"a[1::2] = 1 {dt}", (7,), dt, "1::2", {"scalar": 1})
        set_case(f"a[5:0:-2] = [1, 0, 1] {dt}", (7,), dt, "5:0:-2", {"list": [1, 0, 1]})
        set_case(f"a[::-1, 1] = 3 {dt}", (3, 5), dt, "::-1, 1", {"scalar": 3})
        set_case(f"a[1, 1:4] = -0.5 {dt}", (3, 5), dt, "1, 1:4", {"scalar": -0.5})
        set_case(f"a[:] = True {dt}", (5,), dt, ":", {"scalar": True})
        set_case(f"a[2] = 0 {dt}", (5,), dt, "2", {"scalar": 0})
        # broadcast assign from an array of the same dtype
        c = Case(F, f"a(3,5)[:, ::-2] = b(1,3) broadcast {dt}")
        c.arr("a", (3, 5), dt)
        c.arr("b", (1, 3), dt, salt=11)
        c.step("set", "a", index=":, ::-2", value={"array": "b"})
        c.done()
        c = Case(F, f"a(4,3)[::-1] = b(3,) broadcast {dt}")
        c.arr("a", (4, 3), dt)
        c.arr("b", (3,), dt, salt=11)
        c.step("set", "a", index="::-1", value={"array": "b"})
        c.done()
    # int16 set('::-1', b) with overlap, float64 transpose copy, float16 broadcast assign
    for desc, src_index, index in [("a[::-1] = a", None, "::-1"), ("a[5::-1] = a[1:7]", "1:7", "5::-1"),
                                   ("a[6:0:-2] = a[:3]", ":3", "6:0:-2"), ("a[1:] = a[-2::-1]", "-2::-1", "1:")]:
        c = Case(F, f"int16 {desc} (overlap, odd length)")
        c.arr("a", (7,), "int16")
        src = "a" if src_index is None else c.step("get", "a", out="s", index=src_index)
        c.step("set", "a", index=index, value={"array": src})
        c.done()
    c = Case(F, "float64 a[:] = a.T (4x4)")
    c.arr("a", (4, 4), "float64")
    c.step("T", "a", out="t")
    c.step("set", "a", index=":", value={"array": "t"})
    c.done()
    c = Case(F, "float16 a(3,4) = b(4,) broadcast")
    c.arr("a", (3, 4), "float16")
    c.arr("b", (4,), "float16", values=[0.1, -2.5, 65504, 1e-7])
    c.step("set", "a", index="...", value={"array": "b"})
    c.done()
    c = Case(F, "float16 a[:, ::-2] = 0.1 scalar rounds")
    c.arr("a", (3, 5), "float16")
    c.step("set", "a", index=":, ::-2", value={"scalar": 0.1})
    c.done()
    set_case("uint8 a[0] = 300 error", (3,), "uint8", "0", {"scalar": 300})
    set_case("uint8 a[:] = [300, 1, 2] error", (3,), "uint8", ":", {"list": [300, 1, 2]})
    set_case("uint8 a[0] = -1 error", (3,), "uint8", "0", {"scalar": -1})
    set_case("uint8 a[0] = -0.5; a[1] = 255.9", (3,), "uint8", "0", {"scalar": -0.5})
    set_case("uint8 a[1] = 255.9", (3,), "uint8", "1", {"scalar": 255.9})
    set_case("uint8 a[1] = 256.0 error", (3,), "uint8", "1", {"scalar": 256.0})
    set_case("int8 a[0] = 128 error", (3,), "int8", "0", {"scalar": 128})
    set_case("int8 a[0] = -128", (3,), "int8", "0", {"scalar": -128})
    set_case("int16 a[0] = 32768 error", (3,), "int16", "0", {"scalar": 32768})
    set_case("uint16 a[:] = 65536 error", (3,), "uint16", ":", {"scalar": 65536})
    set_case("bool a[:] = [5, 0, nan]", (3,), "bool", ":", {"list": [5, 0, "nan"]})
    set_case("bool a[:] = -0.0", (3,), "bool", ":", {"scalar": "-0"})
    set_case("float16 a[0] = 1e10 (inf)", (3,), "float16", "0", {"scalar": 1e10})
    set_case("float16 a[:] = [65519, 65520, 2049]", (3,), "float16", ":", {"list": [65519, 65520, 2049]})
    set_case("float64 a[0] = nan", (3,), "float64", "0", {"scalar": "nan"})
    set_case("int32 a[0] = nan error", (3,), "int32", "0", {"scalar": "nan"})
    # array casts in set (float -> int saturate by ndgpu's rule)
    for tdt, sdt, vals in [
        ("int32", "float32", [1.9, -2.9, 3.5, "nan", "inf", "-inf", 3e9, -3e9]),
        ("uint8", "float32", [-1.5, 255.5, 256.0, 511.0, "nan", 1e20, 3.9, 0.5]),
        ("uint8", "int32", [300, -1, 256, 255, 0, 1, 1000, -256]),
        ("int16", "uint32", [70000, 4294967295, 32768, 1, 0, 65535, 2, 3]),
        ("float16", "float32", [0.1, 65520, 1e-8, -3.25, "nan", "-inf", 2049, 2051]),
        ("float32", "float64", [0.1, 1e39, -1e-50, 3.141592653589793, "nan", "-0", 16777217, 1.5]),
        ("bool", "float32", [0, "-0", "nan", 1, 0.5, -2, "inf", 0]),
        ("int8", "bool", [True, False, True, True, False, False, True, False]),
        ("uint32", "int32", [-1, -2147483648, 0, 5, 2147483647, -7, 100, 1]),
    ]:
        c = Case(F, f"{tdt} a[::-1] = {sdt} b (array cast)")
        c.arr("a", (8,), tdt)
        c.arr("b", (8,), sdt, values=[dec_scalar(v) for v in vals])
        c.step("set", "a", index="::-1", value={"array": "b"})
        c.done()
    # fill
    for dt in ALL:
        c = Case(F, f"fill(1) on a strided view {dt}")
        c.arr("a", (3, 5), dt)
        c.step("get", "a", out="v", index="::2, 1::2")
        c.step("fill", "v", value={"scalar": 1})
        c.done()


# ================================================================================================
# Family: astype


def gen_astype():
    F = "astype"
    values = {
        "bool": [True, False, True, True, False, True],
        "int8": [-128, -1, 0, 1, 100, 127],
        "uint8": [0, 1, 127, 128, 200, 255],
        "int16": [-32768, -300, -1, 0, 300, 32767],
        "uint16": [0, 1, 300, 32768, 65000, 65535],
        "int32": [-2147483648, -70000, -1, 0, 16777217, 2147483647],
        "uint32": [0, 1, 70000, 2147483648, 4294967295, 16777217],
        "float16": [-65504.0, -1.5, -0.0, 0.5, 300.5, 65504.0],
        "float32": [-1.5, -0.0, 0.1, 300.5, 70000.5, 16777217.0],
        "float64": [-1.5, 0.1, 300.5, 70000.5, 1e20, 2147483648.5],
    }
    special = {
        "float16": ["nan", "inf", "-inf", -0.75, 255.9, -300.5],
        "float32": ["nan", "inf", "-inf", 1e20, -2147483904.0, 4294967296.0],
        "float64": ["nan", "-inf", 1e300, -1.5, -2147483649.0, 4294967301.0],
    }
    for src in ALL:
        for dst in ALL:
            one(F, f"{src} (2,3) astype {dst}", (2, 3), src, ("astype", {"dtype": dst}), values=[dec_scalar(v) for v in values[src]])
            if src in special:
                one(F, f"{src} specials astype {dst} (ndgpu saturating rule)", (6,), src, ("astype", {"dtype": dst}),
                    values=[dec_scalar(v) for v in special[src]])
    # layouts: astype keeps the source's memory order ('K')
    for src, dst in [("int32", "float32"), ("float32", "uint8"), ("uint8", "float64"), ("float64", "int16")]:
        one(F, f"{src} (3,4).T astype {dst} (order K)", (3, 4), src, ("T", {}), ("astype", {"dtype": dst}))
        one(F, f"{src} (3,4)[::-1, ::2] astype {dst}", (3, 4), src, ("get", {"index": "::-1, ::2"}), ("astype", {"dtype": dst}))
        one(F, f"{src} (2,3,4).transpose(1,0,2) astype {dst}", (2, 3, 4), src, ("transpose", {"axes": [1, 0, 2]}), ("astype", {"dtype": dst}))
        one(F, f"{src} broadcast (3,)->(2,3) astype {dst}", (3,), src, ("broadcastTo", {"shape": [2, 3]}), ("astype", {"dtype": dst}))
        one(F, f"{src} 0-d astype {dst}", (), src, ("astype", {"dtype": dst}))
        one(F, f"{src} (0,3) astype {dst}", (0, 3), src, ("astype", {"dtype": dst}))
    one(F, "astype unknown dtype error", (3,), "int32", ("astype", {"dtype": "bogus"}))


# ================================================================================================
# Family: shares (sharesMemory / maySharesMemory, spec section 7)


def gen_shares():
    F = "shares"
    pairs = [
        ("a[::2]", "a[1::2]", (12,), "int32"),
        ("a[:, 0]", "a[:, 1]", (3, 4), "int32"),
        ("a[:, :2]", "a[:, 2:]", (3, 4), "int32"),
        ("a[:6]", "a[6:]", (12,), "int32"),
        ("a[:7]", "a[6:]", (12,), "int32"),
        ("a[::3]", "a[1::3]", (12,), "int32"),
        ("a[:0]", "a", (12,), "int32"),
        ("a[0:1]", "a[1:2]", (12,), "int32"),
        ("a[::-1]", "a[5:6]", (12,), "float32"),
        ("a[::2, ::2]", "a[1::2, 1::2]", (4, 4), "float32"),
        ("a[::2, ::2]", "a[::-2, ::-2]", (4, 4), "float32"),
        ("a.T", "a[1]", (3, 4), "uint32"),
        ("a[1:, :3]", "a[:2, 3:]", (3, 4), "uint32"),
        ("a[::2]", "a[1::2]", (12,), "uint8"),
        ("a[1:5]", "a[5:9]", (12,), "int16"),
        ("a[::5]", "a[3::4]", (40,), "int32"),
        ("a[::5]", "a[2::4]", (40,), "int32"),
    ]

    def viewer(c, text, out):
        if text == "a":
            return "a"
        if text == "a.T":
            return c.step("T", "a", out=out)
        return c.step("get", "a", out=out, index=text[2:-1])

    for x, y, shape, dt in pairs:
        for fn in ("sharesMemory", "maySharesMemory"):
            c = Case(F, f"{fn}({x}, {y}) {dt} {shape_str(shape)}")
            c.arr("a", shape, dt)
            p = viewer(c, x, "p")
            q = viewer(c, y, "q")
            c.step(fn, a=p, b=q)
            c.done()
    # reinterpreted views (int32 high/low halves), broadcast, separate arrays, copies
    for fn in ("sharesMemory", "maySharesMemory"):
        c = Case(F, f"{fn}(a.view(int16)[1::2], a) int32")
        c.arr("a", (6,), "int32")
        c.step("view", "a", out="h", dtype="int16")
        c.step("get", "h", out="p", index="1::2")
        c.step(fn, a="p", b="a")
        c.done()
        c = Case(F, f"{fn}(a.view(int16)[1::2], a.view(int16)[::2]) int32")
        c.arr("a", (6,), "int32")
        c.step("view", "a", out="h", dtype="int16")
        c.step("get", "h", out="p", index="1::2")
        c.step("get", "h", out="q", index="::2")
        c.step(fn, a="p", b="q")
        c.done()
        c = Case(F, f"{fn}(broadcast_to(a[:1],(5,)), a[1:]) int32")
        c.arr("a", (6,), "int32")
        c.step("get", "a", out="s", index=":1")
        c.step("broadcastTo", "s", out="p", shape=[5])
        c.step("get", "a", out="q", index="1:")
        c.step(fn, a="p", b="q")
        c.done()
        c = Case(F, f"{fn}(a, b) separate arrays")
        c.arr("a", (6,), "int32")
        c.arr("b", (6,), "int32")
        c.step(fn, a="a", b="b")
        c.done()
        c = Case(F, f"{fn}(a, a.copy())")
        c.arr("a", (6,), "int32")
        c.step("copy", "a", out="c")
        c.step(fn, a="a", b="c")
        c.done()
        c = Case(F, f"{fn}(a.T.reshape(-1), a) (copying reshape)")
        c.arr("a", (3, 4), "int32")
        c.step("T", "a", out="t")
        c.step("reshape", "t", out="r", shape=[-1])
        c.step(fn, a="r", b="a")
        c.done()
        c = Case(F, f"{fn}(a.T.ravel('K'), a)")
        c.arr("a", (3, 4), "int32")
        c.step("T", "a", out="t")
        c.step("ravel", "t", out="r", order="K")
        c.step(fn, a="r", b="a")
        c.done()
        c = Case(F, f"{fn}(a[:, :3].reshape(12), a) (copy)")
        c.arr("a", (4, 6), "int32")
        c.step("get", "a", out="s", index=":, :3")
        c.step("reshape", "s", out="r", shape=[12])
        c.step(fn, a="r", b="a")
        c.done()
        c = Case(F, f"{fn}(a[:, ::2].reshape(12), a) (view)")
        c.arr("a", (4, 6), "int32")
        c.step("get", "a", out="s", index=":, ::2")
        c.step("reshape", "s", out="r", shape=[12])
        c.step(fn, a="r", b="a")
        c.done()
        c = Case(F, f"{fn}(a[0], a[0, ...]) 0-d views")
        c.arr("a", (3,), "float32")
        c.step("get", "a", out="p", index="0")
        c.step("get", "a", out="q", index="0, ...")
        c.step(fn, a="p", b="q")
        c.done()


# ================================================================================================
# Family: large (a few hundred items: several GPU workgroups, byte lanes inside shared 32-bit words)


def gen_large():
    F = "large"

    def overlap(desc, shape, dt, src_index, index):
        c = Case(F, f"{desc} {dt} {shape_str(shape)}")
        c.arr("a", shape, dt)
        src = "a" if src_index is None else c.step("get", "a", out="s", index=src_index)
        c.step("set", "a", index=index, value={"array": src})
        c.done()

    overlap("a[1:] = a[:-1]", (611,), "uint8", ":-1", "1:")
    overlap("a[:-3] = a[3:]", (611,), "uint8", "3:", ":-3")
    overlap("a[::-1] = a", (509,), "int8", None, "::-1")
    overlap("a[1::2] = a[-2::-2]", (301,), "uint16", "-2::-2", "1::2")
    overlap("a[::-1] = a", (403,), "bool", None, "::-1")
    overlap("a[1:, 1:] = a[:-1, :-1]", (3, 257), "uint8", ":-1, :-1", "1:, 1:")
    overlap("a[2:] = a[:-2]", (333,), "int16", ":-2", "2:")
    c = Case(F, "a[:] = a.T float16 (19,19)")
    c.arr("a", (19, 19), "float16")
    c.step("T", "a", out="t")
    c.step("set", "a", index=":", value={"array": "t"})
    c.done()
    for dt, shape in [("int16", (131, 3)), ("float64", (23, 29)), ("uint8", (37, 11))]:
        for order in ("C", "F", "K"):
            one(F, f"{dt} {shape_str(shape)}.T.copy({order})", shape, dt, ("T", {}), ("copy", {"order": order}))
    one(F, "uint8 (7,91)[::-1, 1::2].copy()", (7, 91), "uint8", ("get", {"index": "::-1, 1::2"}), ("copy", {}))
    one(F, "int8 (7,91)[1:, ::-3].flatten('K')", (7, 91), "int8", ("get", {"index": "1:, ::-3"}), ("flatten", {"order": "K"}))
    one(F, "int8 (601,)[1:].astype(float32)", (601,), "int8", ("get", {"index": "1:"}), ("astype", {"dtype": "float32"}))
    one(F, "float32 (601,)[3:].astype(uint8) saturating", (601,), "float32", ("get", {"index": "3:"}), ("astype", {"dtype": "uint8"}),
        values=[(i * 0.77 - 60.0) for i in range(601)])
    one(F, "uint16 (5,99)[:, ::-1].astype(int8)", (5, 99), "uint16", ("get", {"index": ":, ::-1"}), ("astype", {"dtype": "int8"}))
    one(F, "float64 (301,)[::-1].astype(float16)", (301,), "float64", ("get", {"index": "::-1"}), ("astype", {"dtype": "float16"}),
        values=[(i * 7.3 - 1000.0) ** 3 / 1000.0 for i in range(301)])
    c = Case(F, "float16 (5,131) a[...] = b(131,) broadcast")
    c.arr("a", (5, 131), "float16")
    c.arr("b", (131,), "float16", salt=7)
    c.step("set", "a", index="...", value={"array": "b"})
    c.done()
    c = Case(F, "uint8 (5,131)[::-1, 1:] = b(1,130) broadcast")
    c.arr("a", (5, 131), "uint8")
    c.arr("b", (1, 130), "uint8", salt=7)
    c.step("set", "a", index="::-1, 1:", value={"array": "b"})
    c.done()
    c = Case(F, "int16 (263,) a[1::3] fill -2")
    c.arr("a", (263,), "int16")
    c.step("get", "a", out="v", index="1::3")
    c.step("fill", "v", value={"scalar": -2})
    c.done()
    c = Case(F, "int8 (2,300) a[:, ::-2] = int32 b (wrapping cast)")
    c.arr("a", (2, 300), "int8")
    c.arr("b", (2, 150), "int32", values=[(i * 97 - 7000) for i in range(300)])
    c.step("set", "a", index=":, ::-2", value={"array": "b"})
    c.done()


# ================================================================================================


def main():
    gen_index()
    gen_reshape()
    gen_axes()
    gen_ravel()
    gen_copy()
    gen_view()
    gen_broadcast()
    gen_set()
    gen_astype()
    gen_shares()
    gen_large()
    out = {"numpy": np.__version__, "counts": COUNTS, "cases": CASES}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "numpy-views.json")
    text = json.dumps(out, separators=(",", ":"), allow_nan=False)
    with open(path, "w") as f:
        f.write(text)
        f.write("\n")
    print(f"wrote {len(CASES)} cases ({len(text) / 1e6:.2f} MB) to {os.path.normpath(path)}")
    for family, n in COUNTS.items():
        print(f"  {family}: {n}")


if __name__ == "__main__":
    main()
