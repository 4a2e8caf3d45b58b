/**
 * Products of arrays as NumPy computes them — matmul, dot, vdot, inner, outer, tensordot — on operands
 * that are any views: each becomes one product plan (core/product-plan.ts) whose operands are read where
 * they lie, so a transposed, strided or broadcast operand is never copied first. The few exceptions are
 * NumPy's own: `vdot` and `outer` flatten their operands (a view where NumPy's ravel is one), and
 * contracted axes that no stride walks in one step (tensordot over axes laid out apart) are gathered
 * into a contiguous temporary, as NumPy's tensordot copies them.
 *
 * Errors are NumPy's, thrown before anything is queued. `matmul`'s `out` may be any writable view of the
 * result's shape (or broadcasting it, as gufunc outputs may), overlapping the operands included: an
 * operand that shares memory with `out` is staged first ("as if the operands were copied first").
 */

import { type DType } from '../core/dtype.js';
import { IndexError, ValueError, shapeReprCompact } from '../core/errors.js';
import type { NestedArray } from '../core/host.js';
import { broadcastShapes, makeLayout, permute, reshapeNoCopy, sizeOf, type Layout } from '../core/layout.js';
import { aliasing } from '../core/overlap.js';
import { planProduct, type ProductAxis, type ProductGeometry } from '../core/product-plan.js';
import { isScalar } from '../core/scalars.js';
import { productLoop } from '../ops/products.js';
import { UFUNCS } from '../ops/ufuncs.js';
import { fillScalar, stagedCopy } from './assign.js';
import { requireComputable } from './capabilities.js';
import type { ArrayMemory } from './memory.js';
import {
  checkOperandOf,
  freshOperand,
  isArrayOperand,
  itemsizeOf,
  uploadNested,
  withLayout,
  type ArrayOperand,
  type Operand,
} from './operand.js';
import { canCastSameKind, computeElementwise } from './ufunc.js';

/** What a product accepts as an operand: an array, nested arrays of scalars, or a scalar (a 0-d array). */
export type ProductArg = ArrayOperand | NestedArray;

export interface MatmulOptions {
  /** Where to write: any writable view of the result's shape. */
  out?: ArrayOperand;
}

/** tensordot's axes: N (the last N axes of a with the first N of b), or the two lists of axes. */
export type TensordotAxes = number | readonly [number | readonly number[], number | readonly number[]];

// ------------------------------------------------------------------------------------------------
// What a product computes, in terms of its operands' axes

/** One axis of the result: the axis of a and of b it walks (null where that operand does not move
 * along it), and its part in the product. */
interface ResultAxis {
  readonly a: number | null;
  readonly b: number | null;
  readonly role: 'batch' | 'm' | 'n';
}

/** A product over two operands: the result's shape and axes, and the contracted pairs of axes. */
interface ProductRequest {
  readonly shape: readonly number[];
  readonly axes: readonly ResultAxis[];
  readonly contracted: readonly { readonly a: number; readonly b: number }[];
}

/**
 * The result axes for `free` axes of a, then of b (NumPy's order for dot, inner and tensordot): the last
 * free axis of a is the rows (M), the last of b the columns (N), the others are batch axes along which
 * the other operand does not move.
 */
function freeAxes(a: Operand, aFree: readonly number[], b: Operand, bFree: readonly number[]): Pick<ProductRequest, 'shape' | 'axes'> {
  const axes: ResultAxis[] = [
    ...aFree.map((axis, i): ResultAxis => ({ a: axis, b: null, role: i === aFree.length - 1 ? 'm' : 'batch' })),
    ...bFree.map((axis, i): ResultAxis => ({ a: null, b: axis, role: i === bFree.length - 1 ? 'n' : 'batch' })),
  ];
  return { shape: [...aFree.map((k) => a.layout.shape[k]), ...bFree.map((k) => b.layout.shape[k])], axes };
}

/** The axes of an operand that are not among `used`, in order. */
const otherAxes = (ndim: number, used: readonly number[]) => [...Array(ndim).keys()].filter((k) => !used.includes(k));

// ------------------------------------------------------------------------------------------------
// Operands: arrays of this context, or nested arrays and scalars uploaded as temporaries

type OperandsBody = (a: Operand, b: Operand) => Operand;

function withOperands(memory: ArrayMemory, name: string, args: readonly [ProductArg, ProductArg], body: OperandsBody): Operand {
  memory.checkAlive();
  const releases: (() => void)[] = [];
  try {
    const [a, b] = args.map((arg): Operand => {
      if (isArrayOperand(arg)) {
        checkOperandOf(memory, arg);
        return arg;
      }
      if (isScalar(arg) || Array.isArray(arg)) {
        // NumPy converts with asarray: a Python scalar is a 0-d array of its default dtype, not weak.
        return uploadNested(memory, arg as NestedArray, releases);
      }
      throw new TypeError(`${name}() operands must be arrays, nested arrays or scalars, got ${arg === null ? 'null' : typeof arg}`);
    });
    return body(a, b);
  } finally {
    for (const release of releases) release();
  }
}

// ------------------------------------------------------------------------------------------------
// matmul

const SIGNATURE = '(n?,k),(k,m?)->(n?,m?)';

/** NumPy's matmul (the gufunc `(n?,k),(k,m?)->(n?,m?)`): 1-D operands promoted and their axis removed,
 * batch axes broadcast; `out` any writable view. Returns the operand written. */
export function applyMatmul(memory: ArrayMemory, a: ProductArg, b: ProductArg, options: MatmulOptions = {}): Operand {
  const out = options.out;
  if (out !== undefined) {
    if (!isArrayOperand(out)) throw new TypeError('out must be an NDArray');
    checkOperandOf(memory, out, 'out must belong to the same ndgpu context');
    if (!out.flags.writeable) throw new ValueError('output array is read-only');
  }
  return withOperands(memory, 'matmul', [a, b], (x, y) => {
    const request = matmulRequest(x, y, out);
    return computeProduct(memory, 'matmul', x, y, request, out);
  });
}

/** The result of `x @ y` (into `out`'s shape when given), with NumPy's errors in NumPy's order. */
function matmulRequest(x: Operand, y: Operand, out: Operand | undefined): ProductRequest {
  const xs = x.layout.shape;
  const ys = y.layout.shape;
  [xs, ys].forEach((shape, i) => {
    if (shape.length === 0)
      throw new ValueError(
        `matmul: Input operand ${i} does not have enough dimensions (has 0, gufunc core with signature ${SIGNATURE} requires 1)`,
      );
  });
  const xVector = xs.length === 1;
  const yVector = ys.length === 1;
  const k = xs[xs.length - 1];
  const yk = ys[yVector ? 0 : ys.length - 2];
  if (yk !== k)
    throw new ValueError(
      `matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${SIGNATURE} (size ${yk} is different from ${k})`,
    );
  const core = [...(xVector ? [] : [xs[xs.length - 2]]), ...(yVector ? [] : [ys[ys.length - 1]])];
  const xLoop = xVector ? [] : xs.slice(0, -2);
  const yLoop = yVector ? [] : ys.slice(0, -2);
  let loop = broadcastShapes(xLoop, yLoop);
  if (out) {
    const os = out.layout.shape;
    if (os.length < core.length)
      throw new ValueError(
        'output operand requires a reduction along dimension -1, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape.',
      );
    const outCore = os.slice(os.length - core.length);
    outCore.forEach((n, i) => {
      if (n !== core[i])
        throw new ValueError(
          `matmul: Output operand 0 has a mismatch in its core dimension ${i}, with gufunc signature ${SIGNATURE} (size ${n} is different from ${core[i]})`,
        );
    });
    const outLoop = os.slice(0, os.length - core.length);
    const combined = loop && broadcastShapes(loop, outLoop);
    if (!combined) throw new ValueError(remappedShapesMessage([x, y], xLoop, yLoop, core, os));
    if (combined.length !== outLoop.length || combined.some((n, i) => n !== outLoop[i])) {
      throw new ValueError(
        `non-broadcastable output operand with shape ${shapeReprCompact(os)} [remapped to ${shapeReprCompact([...os].reverse())}] doesn't match the broadcast shape ${shapeReprCompact([...combined, ...core])}`,
      );
    }
    loop = combined;
  }
  if (!loop) throw new ValueError(remappedShapesMessage([x, y], xLoop, yLoop, core, null));
  // Loop axes, right-aligned with each operand's: an operand's axis of extent 1 broadcasts (stride 0).
  const loopAxis = (operandLoop: readonly number[], i: number): number | null => {
    const axis = i - (loop.length - operandLoop.length);
    return axis >= 0 && operandLoop[axis] === loop[i] ? axis : null;
  };
  const axes: ResultAxis[] = loop.map((_, i) => ({ a: loopAxis(xLoop, i), b: loopAxis(yLoop, i), role: 'batch' }));
  if (!xVector) axes.push({ a: xs.length - 2, b: null, role: 'm' });
  if (!yVector) axes.push({ a: null, b: ys.length - 1, role: 'n' });
  return { shape: [...loop, ...core], axes, contracted: [{ a: xs.length - 1, b: yVector ? 0 : ys.length - 2 }] };
}

/** NumPy's iterator message when loop dimensions do not broadcast (its "remapped" spelling: an input's
 * loop axes then a newaxis per output core axis, `()` for an input without loop axes; `out` as is). */
function remappedShapesMessage(
  inputs: readonly Operand[],
  xLoop: readonly number[],
  yLoop: readonly number[],
  core: readonly number[],
  outShape: readonly number[] | null,
): string {
  const remapped = (loop: readonly number[]) =>
    loop.length === 0 ? '()' : `(${[...loop.map(String), ...core.map(() => 'newaxis')].join(',')})`;
  const parts = [
    `${shapeReprCompact(inputs[0].layout.shape)}->${remapped(xLoop)}`,
    `${shapeReprCompact(inputs[1].layout.shape)}->${remapped(yLoop)}`,
  ];
  if (outShape) parts.push(`${shapeReprCompact(outShape)}->${shapeReprCompact(outShape)}`);
  return `operands could not be broadcast together with remapped shapes [original->remapped]: ${parts.join(' ')}  and requested shape (${core.join(',')})`;
}

// ------------------------------------------------------------------------------------------------
// dot, vdot, inner, outer, tensordot

/** NumPy's dot: a 0-d operand multiplies; otherwise the last axis of a with the only axis of a 1-D b, or
 * with the second-to-last of b, the result's axes being a's others then b's others. */
export function applyDot(memory: ArrayMemory, a: ProductArg, b: ProductArg): Operand {
  return withOperands(memory, 'dot', [a, b], (x, y) => {
    const xs = x.layout.shape;
    const ys = y.layout.shape;
    if (xs.length === 0 || ys.length === 0) return computeElementwise(memory, UFUNCS.multiply, [x, y]);
    const xk = xs.length - 1;
    const yk = ys.length === 1 ? 0 : ys.length - 2;
    if (xs[xk] !== ys[yk]) throw new ValueError(notAligned(xs, ys, xk, yk));
    return computeProduct(memory, 'dot', x, y, {
      ...freeAxes(x, otherAxes(xs.length, [xk]), y, otherAxes(ys.length, [yk])),
      contracted: [{ a: xk, b: yk }],
    });
  });
}

/** NumPy's inner: the last axes of both; a 0-d operand multiplies. */
export function applyInner(memory: ArrayMemory, a: ProductArg, b: ProductArg): Operand {
  return withOperands(memory, 'inner', [a, b], (x, y) => {
    const xs = x.layout.shape;
    const ys = y.layout.shape;
    if (xs.length === 0 || ys.length === 0) return computeElementwise(memory, UFUNCS.multiply, [x, y]);
    const xk = xs.length - 1;
    const yk = ys.length - 1;
    if (xs[xk] !== ys[yk]) {
      // NumPy reports it as dot's error on b with its last two axes swapped.
      const swapped = ys.length === 1 ? ys : [...ys.slice(0, -2), ys[yk], ys[yk - 1]];
      throw new ValueError(notAligned(xs, swapped, xk, Math.max(0, ys.length - 2)));
    }
    return computeProduct(memory, 'inner', x, y, {
      ...freeAxes(x, otherAxes(xs.length, [xk]), y, otherAxes(ys.length, [yk])),
      contracted: [{ a: xk, b: yk }],
    });
  });
}

function notAligned(xs: readonly number[], ys: readonly number[], xk: number, yk: number): string {
  return `shapes ${shapeReprCompact(xs)} and ${shapeReprCompact(ys)} not aligned: ${xs[xk]} (dim ${xk}) != ${ys[yk]} (dim ${yk})`;
}

/** NumPy's vdot: both operands flattened (views where NumPy's ravel makes one), their dot product. */
export function applyVdot(memory: ArrayMemory, a: ProductArg, b: ProductArg): Operand {
  return withOperands(memory, 'vdot', [a, b], (x, y) => {
    const size = sizeOf(x.layout.shape);
    const ySize = sizeOf(y.layout.shape);
    if (ySize !== size) throw new ValueError(`cannot reshape array of size ${ySize} into shape (${size},)`);
    return withFlat(x, (fx) =>
      withFlat(y, (fy) => computeProduct(memory, 'vdot', fx, fy, { shape: [], axes: [], contracted: [{ a: 0, b: 0 }] })),
    );
  });
}

/** NumPy's outer: both operands flattened, every product of an element of a with one of b. */
export function applyOuter(memory: ArrayMemory, a: ProductArg, b: ProductArg): Operand {
  return withOperands(memory, 'outer', [a, b], (x, y) =>
    withFlat(x, (fx) =>
      withFlat(y, (fy) =>
        computeProduct(memory, 'outer', fx, fy, {
          shape: [fx.layout.shape[0], fy.layout.shape[0]],
          axes: [
            { a: 0, b: null, role: 'm' },
            { a: null, b: 0, role: 'n' },
          ],
          contracted: [],
        }),
      ),
    ),
  );
}

/** `body` on the operand flattened in C order: a view where one exists, else a temporary copy. */
function withFlat(operand: Operand, body: (flat: Operand) => Operand): Operand {
  const size = sizeOf(operand.layout.shape);
  const view = reshapeNoCopy(operand.layout, [size], 'C', itemsizeOf(operand));
  if (view) return body(withLayout(operand, view));
  const staged = stagedCopy(operand);
  try {
    return body(withLayout(staged.operand, makeLayout([size], [itemsizeOf(operand)], 0)));
  } finally {
    staged.release();
  }
}

/** NumPy's tensordot: the listed axes of a contracted with those of b; the result's axes are a's others,
 * then b's others. */
export function applyTensordot(memory: ArrayMemory, a: ProductArg, b: ProductArg, axes: TensordotAxes = 2): Operand {
  return withOperands(memory, 'tensordot', [a, b], (x, y) => {
    const xs = x.layout.shape;
    const ys = y.layout.shape;
    const [xAxes, yAxes] = tensordotAxes(axes);
    // NumPy indexes the shapes with the axes as given (a Python IndexError past either end).
    const at = (shape: readonly number[], axis: number) => {
      const k = axis < 0 ? axis + shape.length : axis;
      if (k < 0 || k >= shape.length) throw new IndexError('tuple index out of range');
      return k;
    };
    let equal = xAxes.length === yAxes.length;
    const contracted: { a: number; b: number }[] = [];
    if (equal) {
      for (let i = 0; i < xAxes.length; i++) {
        const xk = at(xs, xAxes[i]);
        const yk = at(ys, yAxes[i]);
        if (xs[xk] !== ys[yk]) {
          equal = false;
          break;
        }
        contracted.push({ a: xk, b: yk });
      }
    }
    if (!equal) throw new ValueError('shape-mismatch for sum');
    const xUsed = contracted.map((p) => p.a);
    const yUsed = contracted.map((p) => p.b);
    if (new Set(xUsed).size !== xUsed.length || new Set(yUsed).size !== yUsed.length)
      throw new ValueError('duplicate axes are not allowed in tensordot');
    return computeProduct(memory, 'tensordot', x, y, {
      ...freeAxes(x, otherAxes(xs.length, xUsed), y, otherAxes(ys.length, yUsed)),
      contracted,
    });
  });
}

/** tensordot's `axes` as NumPy reads them. */
function tensordotAxes(axes: TensordotAxes): [number[], number[]] {
  const integer = (value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw new TypeError(`'${typeof value === 'number' ? 'float' : typeof value}' object cannot be interpreted as an integer`);
    return value;
  };
  if (typeof axes === 'number') {
    const n = integer(axes);
    // NumPy's range(-n, 0) and range(0, n): both empty for n <= 0 (an outer product).
    return [Array.from({ length: Math.max(0, n) }, (_, i) => i - n), Array.from({ length: Math.max(0, n) }, (_, i) => i)];
  }
  if (!Array.isArray(axes)) throw new TypeError('tensordot() axes must be an integer or a pair of axis lists');
  if (axes.length !== 2) {
    throw new ValueError(
      axes.length > 2 ? 'too many values to unpack (expected 2)' : `not enough values to unpack (expected 2, got ${axes.length})`,
    );
  }
  const list = (value: number | readonly number[]) => (Array.isArray(value) ? (value as readonly number[]).map(integer) : [integer(value)]);
  return [list(axes[0] as number | readonly number[]), list(axes[1] as number | readonly number[])];
}

// ------------------------------------------------------------------------------------------------
// The product itself

/**
 * Computes `request` over x and y into `out` (checked by the caller) or new memory: dtypes resolved,
 * contracted axes made walkable by one stride (gathering them into a temporary where no stride does),
 * operands that share memory with `out` staged, one plan for the backend. Returns the operand written.
 */
function computeProduct(memory: ArrayMemory, name: string, x: Operand, y: Operand, request: ProductRequest, out?: Operand): Operand {
  const loop = productLoop(x.dtype, y.dtype);
  requireComputable(memory.backend, [loop], `${name}() would compute in`);
  if (out && !canCastSameKind(loop, out.dtype)) {
    throw new TypeError(`Cannot cast ufunc '${name}' output from dtype('${loop}') to dtype('${out.dtype}') with casting rule 'same_kind'`);
  }
  const releases: (() => void)[] = [];
  let allocated: Operand | null = null;
  try {
    const stage = (operand: Operand, order?: readonly number[]): Operand => {
      const staged = stagedCopy(order ? withLayout(operand, permute(operand.layout, order)) : operand);
      releases.push(staged.release);
      return staged.operand;
    };
    // Contracted axes a single stride cannot walk (in x or in y): gather both operands with them
    // outermost-to-innermost in order, contiguous (x's last, y's first), and renumber the axes.
    if (!contractedMerge(x.layout, y.layout, request.contracted)) {
      const xOrder = [
        ...otherAxes(
          x.layout.shape.length,
          request.contracted.map((p) => p.a),
        ),
        ...request.contracted.map((p) => p.a),
      ];
      const yOrder = [
        ...request.contracted.map((p) => p.b),
        ...otherAxes(
          y.layout.shape.length,
          request.contracted.map((p) => p.b),
        ),
      ];
      x = stage(x, xOrder);
      y = stage(y, yOrder);
      const renumber = (order: readonly number[]) => (axis: number | null) => (axis === null ? null : order.indexOf(axis));
      const [rx, ry] = [renumber(xOrder), renumber(yOrder)];
      request = {
        ...request,
        axes: request.axes.map((axis) => ({ ...axis, a: rx(axis.a), b: ry(axis.b) })),
        contracted: request.contracted.map((p) => ({ a: rx(p.a) as number, b: ry(p.b) as number })),
      };
    }
    const target = out ?? (allocated = freshOperand(memory, request.shape, loop));
    // Operands in the output's memory are staged unless they lie apart from it: every output element
    // reads many operand elements, so even exactly the output's own elements would be overwritten early.
    const apart = (operand: Operand) =>
      operand.storage !== target.storage ||
      aliasing({ layout: target.layout, itemsize: itemsizeOf(target) }, { layout: operand.layout, itemsize: itemsizeOf(operand) }) ===
        'disjoint';
    if (!apart(x)) x = stage(x);
    if (!apart(y)) y = stage(y);
    const k = request.contracted.reduce((p, pair) => p * x.layout.shape[pair.a], 1);
    if (sizeOf(target.layout.shape) === 0) return target;
    if (k === 0) {
      fillScalar(target, 0); // an empty sum
      return target;
    }
    const plan = planProduct(productGeometry(x, y, target, request, loop));
    if (plan) memory.backend.product(target.storage.buffer, x.storage.buffer, y.storage.buffer, plan);
    return target;
  } catch (error) {
    allocated?.storage.free(); // nothing half-made stays behind
    throw error;
  } finally {
    for (const release of releases) release();
  }
}

/** The contracted axes as one axis (extent, stride in x, stride in y), or null when no single pair of
 * strides walks them all (axes of extent 1 are ignored). */
function contractedMerge(
  x: Layout,
  y: Layout,
  pairs: readonly { a: number; b: number }[],
): { extent: number; a: number; b: number } | null {
  let merged: { extent: number; a: number; b: number } | null = null;
  for (const pair of pairs) {
    const extent = x.shape[pair.a];
    if (extent === 1) continue;
    const axis = { extent, a: x.strides[pair.a], b: y.strides[pair.b] };
    if (!merged) merged = axis;
    else if (merged.a === extent * axis.a && merged.b === extent * axis.b)
      merged = { extent: merged.extent * extent, a: axis.a, b: axis.b };
    else return null;
  }
  return merged ?? { extent: 1, a: 0, b: 0 };
}

/** The geometry of a request over x, y and the target (of the request's shape). */
function productGeometry(x: Operand, y: Operand, target: Operand, request: ProductRequest, loop: DType): ProductGeometry {
  const stride = (operand: Operand, axis: number | null) => (axis === null ? 0 : operand.layout.strides[axis]);
  const batch: ProductAxis[] = [];
  const unit = (extent = 1): ProductAxis => ({ extent, a: 0, b: 0, out: 0 });
  let m = unit();
  let n = unit();
  request.axes.forEach((axis, i) => {
    const entry: ProductAxis = {
      extent: request.shape[i],
      a: stride(x, axis.a),
      b: stride(y, axis.b),
      out: target.layout.strides[i],
    };
    if (axis.role === 'm') m = entry;
    else if (axis.role === 'n') n = entry;
    else batch.push(entry);
  });
  const k = contractedMerge(x.layout, y.layout, request.contracted) as { extent: number; a: number; b: number };
  return {
    batch,
    m,
    n,
    k: { extent: k.extent, a: k.a, b: k.b, out: 0 },
    offsets: { a: x.layout.offset, b: y.layout.offset, out: target.layout.offset },
    types: { a: x.dtype, b: y.dtype, loop, out: target.dtype },
  };
}
