#!/usr/bin/env python3
"""NumPy side of `npm run bench` (called by bench/peers/numpy.ts, one case per process).

Times one case the way bench/run.ts times ndgpu: warm-up repetitions, then the median of single
repetitions (time.perf_counter around each, timeit-style). Prints one JSON object on stdout.

Copies are timed twice: as `np.copyto(out, view)` into a preallocated `out` (the kernel alone; this is
the number the table compares, since ndgpu and ndarray-ops reuse their output memory), and as the
literal `view.copy()`, which also pays for fresh memory (page faults) every time ("alloc_*" fields).
The geometry and case 9's schedule mirror bench/cases.ts.

Compute cases (10-12) use bench/cases.ts's computeInputs, a[r, c] = (r + 2c) mod 3 and
b[r, c] = ((3r + c) mod 7) - 3 as float32 (side, side) arrays: `np.add(a.T, b.T, out=out)`, `a.sum(0)`, `a.sum(1)`, `a.sum()`. Their result
is compared once, before timing, with a float64 computation (exact: the inputs are small integers); a
mismatch exits with status 1 and says so on stderr.

Products (cases 13-16) mirror bench/cases.ts's productCase and productInputs: `np.matmul(a, b, out=out)`
(`b.T` for mmtrans; a batch of 512; a matrix-vector product), with sampled outputs checked before timing.
"""

import argparse
import json
import math
import statistics
import sys
import time

import numpy as np

SMALL_SIDE, SMALL_SETS, SMALL_SPAN = 64, 2000, 32
CONCAT_PARTS, PAD_WIDTH, ROLL_SHIFT = 8, 16, 1000  # cases 13-15, as bench/cases.ts


def geometry(n):
    k = int(math.log2(n))
    a = k // 3
    b = (k - a) // 2
    c = k - a - b
    return {"n": n, "side": 2 ** (k // 2), "cube": (2 ** a, 2 ** b, 2 ** c)}


def small_set(i):
    if i % 2 == 0:
        return ("scalar", i % SMALL_SIDE, (i * 7) % (SMALL_SIDE - SMALL_SPAN), i)
    return ("view", (i * 5) % (SMALL_SIDE - SMALL_SPAN), i % SMALL_SIDE, (i * 3) % SMALL_SIDE)


def compute_inputs(side):
    r = np.arange(side, dtype=np.int64)[:, None]
    c = np.arange(side, dtype=np.int64)[None, :]
    return ((r + 2 * c) % 3).astype(np.float32), ((3 * r + c) % 7 - 3).astype(np.float32)


def prepare_compute(case, g):
    """Returns (kernel, expected) for a compute case: kernel returns the result; expected is float64."""
    a, b = compute_inputs(g["side"])
    side = g["side"]
    a64 = a.astype(np.float64)
    if case == "addtrans":
        out = np.empty((side, side), dtype=np.float32)
        return (lambda: np.add(a.T, b.T, out=out)), lambda: a64.T + b.astype(np.float64).T
    if case == "sumaxis0":
        return (lambda: a.sum(0)), lambda: a64.sum(0)
    if case == "sumaxis1":
        return (lambda: a.sum(1)), lambda: a64.sum(1)
    if case == "sumall":
        return (lambda: a.sum()), lambda: a64.sum()
    # ----- float sums with many short outputs (case 26): a as (n / 2, 2) and as (2, n / 2) -----
    if case == "sumrows2":
        return (lambda: a.reshape(-1, 2).sum(1)), lambda: a64.reshape(-1, 2).sum(1)
    if case == "sumcols2":
        return (lambda: a.reshape(2, -1).sum(0)), lambda: a64.reshape(2, -1).sum(0)
    # ----- numerics (issue #18): cases 13-14 on bench/cases.ts's uint8Input -----
    if case in ("sumuint8", "meanuint8"):
        i = np.arange(g["n"], dtype=np.int64)
        image = ((7 * i + i // 4096) % 200).astype(np.uint8).reshape(side, side)
        exact = image.astype(np.int64).sum()
        if case == "sumuint8":
            return (lambda: image.sum()), lambda: np.float64(exact)
        return (lambda: image.mean()), lambda: np.float64(exact) / g["n"]
    return None


# ------------------------------------------------------------------------------------------------
# Products (cases 13-16), mirroring bench/cases.ts's productCase and productInputs.

PRODUCTS = ("mm256", "mm1024", "mm2048", "mm4096", "mmtrans", "mmbatch", "matvec")


def product_case(case, g):
    side = g["side"]
    square = lambda size: dict(batch=1, m=min(size, side), n=min(size, side), k=min(size, side), transpose_b=False, vector=False)
    if case == "mmtrans":
        return dict(square(4096), transpose_b=True)
    if case == "mmbatch":
        return dict(batch=512, m=64, n=64, k=64, transpose_b=False, vector=False)
    if case == "matvec":
        return dict(square(4096), n=1, vector=True)
    return square(int(case[2:]))


def product_inputs(p):
    i = np.arange(p["batch"], dtype=np.int64)[:, None, None]
    r = np.arange(p["m"], dtype=np.int64)[None, :, None]
    c = np.arange(p["k"], dtype=np.int64)[None, None, :]
    a = ((r + 2 * c + i) % 3).astype(np.float32)
    rk = np.arange(p["k"], dtype=np.int64)[None, :, None]
    cn = np.arange(p["n"], dtype=np.int64)[None, None, :]
    b = ((3 * rk + cn + i) % 7 - 3).astype(np.float32)
    if p["batch"] == 1:
        a, b = a[0], b[0]
    if p["vector"]:
        b = np.ascontiguousarray(b[:, 0])
    elif p["transpose_b"]:
        b = np.ascontiguousarray(b.T)  # stored as (n, k), used as b.T
    return a, b


def prepare_product(case, g):
    """Returns (kernel, check) for a product case: `np.matmul(a, b, out=out)` (b.T for mmtrans), and a
    check of sampled outputs against sums computed in float64 (exact: the inputs are small integers)."""
    p = product_case(case, g)
    a, b = product_inputs(p)
    right = b.T if p["transpose_b"] else b
    out = np.empty(np.matmul(a[..., :1, :], right).shape[:-2] + (p["m"],) + (() if p["vector"] else (p["n"],)), dtype=np.float32)

    def check(got):
        flat = np.asarray(got, np.float64).reshape(-1)
        outputs = p["batch"] * p["m"] * p["n"]
        for s in range(257):
            index = min(outputs - 1, (s * outputs) // 256)
            i, r, c = index // (p["m"] * p["n"]), (index // p["n"]) % p["m"], index % p["n"]
            t = np.arange(p["k"])
            want = float((((r + 2 * t + i) % 3) * ((3 * t + c + i) % 7 - 3)).sum())
            if flat[index] != want:
                return f"flat index {index}: {flat[index]}, expected {want}"
        return None

    return (lambda: np.matmul(a, right, out=out)), check


def check(case, got, expected):
    got = np.asarray(got)
    dtype = {"sumuint8": np.uint64, "meanuint8": np.float64}.get(case, np.float32)
    if got.dtype != dtype or got.shape != expected.shape:
        return f"{got.dtype} {got.shape}, expected {np.dtype(dtype).name} {expected.shape}"
    wrong = np.flatnonzero(got.astype(np.float64) != expected)
    if wrong.size == 0:
        return None
    first = wrong[0]
    return (
        f"{wrong.size} of {expected.size} elements differ from the float64 computation; first at flat index "
        f"{first}: {got.reshape(-1)[first]}, expected {expected.reshape(-1)[first]}"
    )


def prepare(case, g):
    """Returns (kernel, literal): callables for one repetition; literal is None unless it differs."""
    n, side, cube = g["n"], g["side"], g["cube"]
    src = np.arange(n, dtype=np.float32)

    def copy_of(view):
        out = np.empty(view.shape, dtype=view.dtype)
        return (lambda: np.copyto(out, view)), (lambda: view.copy())

    if case == "copy":
        return copy_of(src)
    if case == "transpose2d":
        return copy_of(src.reshape(side, side).T)
    if case == "permute3d":
        return copy_of(src.reshape(cube).transpose(2, 0, 1))
    if case == "colslice":
        return copy_of(src.reshape(n // 4, 4)[:, 1:3])
    if case == "step2":
        return copy_of(src[::2])
    if case == "reverse":
        return copy_of(src[::-1])
    if case == "bcastrow":
        return copy_of(np.broadcast_to(src[:side], (side, side)))
    if case == "fillstrided":
        m = np.zeros((side, side), dtype=np.float32)

        def fill():
            m[:, ::2] = 1.5

        return fill, None
    if case == "setrow":
        m = np.zeros((side, side), dtype=np.float32)
        row = src[: side // 2].copy()

        def setrow():
            m[:, ::2] = row

        return setrow, None
    # ----- joining, splitting, rearranging (cases 13-15; geometry as bench/cases.ts) -----
    # The kernel writes into a preallocated result (concatenate's out=; roll's two slice copies and pad's
    # middle copy and border fills, which is what np.roll and np.pad do after allocating); the literal
    # call allocates.
    if case in ("concat0", "concat1"):
        each = n // CONCAT_PARTS
        axis = 0 if case == "concat0" else 1
        shape = (each,) if axis == 0 else (side, side // CONCAT_PARTS)
        parts = [src[k * each : (k + 1) * each].reshape(shape).copy() for k in range(CONCAT_PARTS)]
        out = np.empty((n,) if axis == 0 else (side, side), dtype=np.float32)
        return (lambda: np.concatenate(parts, axis=axis, out=out)), (lambda: np.concatenate(parts, axis=axis))
    if case == "pad":
        image = src.reshape(side, side).copy()
        out = np.empty((side + 2 * PAD_WIDTH,) * 2, dtype=np.float32)
        w = PAD_WIDTH

        def pad_into():
            out[w:-w, w:-w] = image
            out[:w] = 0
            out[-w:] = 0
            out[w:-w, :w] = 0
            out[w:-w, -w:] = 0

        return pad_into, (lambda: np.pad(image, PAD_WIDTH))
    if case == "roll":
        a = src.copy()
        out = np.empty_like(a)

        def roll_into():
            out[ROLL_SHIFT:] = a[:-ROLL_SHIFT]
            out[:ROLL_SHIFT] = a[-ROLL_SHIFT:]

        return roll_into, (lambda: np.roll(a, ROLL_SHIFT))
    if case == "smallsets":
        a = np.zeros((SMALL_SIDE, SMALL_SIDE), dtype=np.float32)
        s = src[: SMALL_SIDE * SMALL_SIDE].reshape(SMALL_SIDE, SMALL_SIDE)
        schedule = [small_set(i) for i in range(SMALL_SETS)]

        def smallsets():
            for kind, x, y, z in schedule:
                if kind == "scalar":
                    a[x, y : y + SMALL_SPAN] = z
                else:
                    a[x : x + SMALL_SPAN, y] = s[z, ::2]

        return smallsets, None
    raise SystemExit(f"unknown case {case!r}")


# ----- advanced indexing (cases 13-16) -----
# The geometry and distributions of bench/cases.ts's indexingInputs (NumPy's own generator): n float32
# uniform in [0, 1), n // 4 indices uniform in [0, n) (repeats included) as intp, NumPy's index type.


def prepare_indexing(case, g):
    """Returns a callable for one repetition of an advanced-indexing case, or None for other cases."""
    if case not in ("gather", "scatter", "maskget", "cumsum"):
        return None
    n = g["n"]
    rng = np.random.default_rng(0x2545F491)
    a = rng.random(n, dtype=np.float32)
    idx = rng.integers(0, n, n // 4, dtype=np.intp)
    if case == "gather":
        return lambda: a[idx]
    if case == "scatter":
        v = a[: n // 4].copy()

        def scatter():
            a[idx] = v

        return scatter
    if case == "maskget":
        return lambda: a[a > 0.5]
    return lambda: np.cumsum(a)


# ----- integer division -----
# Case 27: bench/cases.ts's divisionInputs, a[i] = ((7919 i) mod 20001) - 10000 and divisors from
# v = (31 i) mod 18 (v - 9 below 9, else v - 8), int32, into a preallocated out (ndgpu reuses its memory).


def prepare_division(case, g):
    """Returns a callable for one repetition of an integer-division case, or None for other cases."""
    if case not in ("floordiv", "remainder"):
        return None
    i = np.arange(g["n"], dtype=np.int64)
    a = ((7919 * i) % 20001 - 10000).astype(np.int32)
    v = (31 * i) % 18
    b = np.where(v < 9, v - 9, v - 8).astype(np.int32)
    out = np.empty_like(a)
    ufunc = np.floor_divide if case == "floordiv" else np.remainder
    q = np.floor_divide(a.astype(np.int64), b.astype(np.int64))
    expected = q if case == "floordiv" else a - q * b
    if not np.array_equal(ufunc(a, b, out=out), expected):
        print("wrong result", file=sys.stderr)
        sys.exit(1)
    return lambda: ufunc(a, b, out=out)


def timed(fn, warmup, reps):
    times = []
    for i in range(warmup + reps):
        start = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - start) * 1000
        del result
        if i >= warmup:
            times.append(elapsed)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    g = geometry(args.n)
    compute = prepare_compute(args.case, g)
    if args.case in PRODUCTS:
        kernel, check_product = prepare_product(args.case, g)
        literal = None
        wrong = check_product(kernel())
        if wrong is not None:
            print(f"wrong result: {wrong}", file=sys.stderr)
            sys.exit(1)
    elif compute is not None:
        kernel, expected = compute
        literal = None
        wrong = check(args.case, kernel(), np.asarray(expected()))
        if wrong is not None:
            print(f"wrong result: {wrong}", file=sys.stderr)
            sys.exit(1)
    elif prepare_indexing(args.case, g) is not None:
        kernel, literal = prepare_indexing(args.case, g), None
    elif prepare_division(args.case, g) is not None:
        kernel, literal = prepare_division(args.case, g), None
    else:
        kernel, literal = prepare(args.case, g)
    times = timed(kernel, args.warmup, args.reps)
    report = {"case": args.case, "numpy": np.__version__, "median_ms": statistics.median(times), "times_ms": times}
    if literal is not None:
        alloc = timed(literal, args.warmup, args.reps)
        report["alloc_median_ms"] = statistics.median(alloc)
        report["alloc_times_ms"] = alloc
    json.dump(report, sys.stdout)
    print()


if __name__ == "__main__":
    main()
