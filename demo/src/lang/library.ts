/**
 * What the playground's names mean: NumPy's functions (`np.arange`, `zeros`...), the array methods and
 * attributes, and a few Python builtins. Everything calls ndgpu's public API.
 */

import type { Context, DType, NDArray, NestedArray } from 'ndgpu';
import { bind, spreadArgs, type CallArgs } from './args.js';
import {
  PyError,
  fromNested,
  fromScalar,
  toAxes,
  toDType,
  toInt,
  toNested,
  toNumber,
  toOrder,
  toShape,
  truthy,
  typeError,
} from './convert.js';
import { NONE, bool, int, str, tuple, typeName, type Value } from './values.js';

/** What a function needs besides its arguments. */
export interface Runtime {
  np: Context;
  /** Python's `id()`: a stable number per object. */
  id(value: Value): number;
  /** `print` output of the statement being run. */
  print(line: string): void;
}

type Fn = (rt: Runtime, call: CallArgs) => Value | Promise<Value>;

const array = (a: NDArray): Value => ({ type: 'array', array: a });

function expectArray(value: Value | undefined, what: string): NDArray {
  if (value?.type === 'array') return value.array;
  throw typeError(`${what}: expected an array, got '${value ? typeName(value) : 'nothing'}'`);
}

const DTYPE_ITEMSIZE: Record<DType, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  float16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};
export const DTYPE_NAMES = Object.keys(DTYPE_ITEMSIZE) as DType[];

// ---------------------------------------------------------------------------------------------
// NumPy functions (`np.` optional)

/** The dtype NumPy would give a creation call with Python floats: ndgpu's float default, float32. */
const floatDefault = (dtype: DType | undefined, hasFloat: boolean): DType | undefined => dtype ?? (hasFloat ? 'float32' : undefined);

export const FUNCTIONS: Record<string, Fn> = {
  array(rt, call) {
    const a = bind('array', call, ['object', 'dtype'], 1);
    if (a.object!.type === 'array') return array(rt.np.array(a.object!.array, { dtype: toDType(a.dtype) }));
    const { data, hasFloat } = toNested(a.object!);
    return array(rt.np.array(data, { dtype: floatDefault(toDType(a.dtype), hasFloat) }));
  },
  arange(rt, call) {
    const a = bind('arange', call, ['start', 'stop', 'step', 'dtype'], 1);
    const numbers = [a.start, a.stop, a.step].filter((v): v is Value => v !== undefined && v.type !== 'none');
    const dtype = floatDefault(
      toDType(a.dtype),
      numbers.some((v) => v.type === 'float'),
    );
    return array(rt.np.arange(...numbers.map((v) => toNumber(v, 'arange()')), { dtype }));
  },
  zeros: (rt, call) => creation('zeros', rt, call, (shape, dtype) => rt.np.zeros(shape, { dtype })),
  ones: (rt, call) => creation('ones', rt, call, (shape, dtype) => rt.np.ones(shape, { dtype })),
  empty: (rt, call) => creation('empty', rt, call, (shape, dtype) => rt.np.empty(shape, { dtype })),
  full(rt, call) {
    const a = bind('full', call, ['shape', 'fill_value', 'dtype'], 2);
    const fill = a.fill_value!;
    const value = fill.type === 'bool' ? fill.value : toNumber(fill, 'fill_value');
    const dtype = floatDefault(toDType(a.dtype), fill.type === 'float');
    return array(rt.np.full(toShape(a.shape!), value, { dtype }));
  },
  broadcast_to(rt, call) {
    const a = bind('broadcast_to', call, ['array', 'shape'], 2);
    return array(rt.np.broadcastTo(expectArray(a.array, 'broadcast_to()'), toShape(a.shape!)));
  },
  shares_memory(rt, call) {
    const a = bind('shares_memory', call, ['a', 'b'], 2);
    return bool(rt.np.sharesMemory(expectArray(a.a, 'shares_memory()'), expectArray(a.b, 'shares_memory()')));
  },
  may_share_memory(rt, call) {
    const a = bind('may_share_memory', call, ['a', 'b'], 2);
    return bool(rt.np.maySharesMemory(expectArray(a.a, 'may_share_memory()'), expectArray(a.b, 'may_share_memory()')));
  },
  // Function spellings of the methods: np.copy(a), np.transpose(a, axes)...
  copy: (rt, call) => callMethod(rt, call, 'copy'),
  reshape: (rt, call) => callMethod(rt, call, 'reshape'),
  transpose: (rt, call) => callMethod(rt, call, 'transpose'),
  swapaxes: (rt, call) => callMethod(rt, call, 'swapaxes'),
  squeeze: (rt, call) => callMethod(rt, call, 'squeeze'),
  flip: (rt, call) => callMethod(rt, call, 'flip'),
  ravel: (rt, call) => callMethod(rt, call, 'ravel'),
  expand_dims(_rt, call) {
    const a = bind('expand_dims', call, ['a', 'axis'], 2);
    return array(expectArray(a.a, 'expand_dims()').expandDims(toAxes(a.axis) ?? 0));
  },
  // ----- products -----
  matmul(rt, call) {
    const a = bind('matmul', call, ['x1', 'x2', 'out'], 2);
    const out = a.out && a.out.type !== 'none' ? expectArray(a.out, 'matmul() out') : undefined;
    return array(rt.np.matmul(productOperand(a.x1!), productOperand(a.x2!), out ? { out } : {}));
  },
  dot: (rt, call) => product('dot', rt, call, (x, y) => rt.np.dot(x, y)),
  vdot: (rt, call) => product('vdot', rt, call, (x, y) => rt.np.vdot(x, y)),
  inner: (rt, call) => product('inner', rt, call, (x, y) => rt.np.inner(x, y)),
  outer: (rt, call) => product('outer', rt, call, (x, y) => rt.np.outer(x, y)),
  tensordot(rt, call) {
    const a = bind('tensordot', call, ['a', 'b', 'axes'], 2);
    return array(rt.np.tensordot(productOperand(a.a!), productOperand(a.b!), toTensordotAxes(a.axes)));
  },
};

// ----- products -----

/** An operand of a product: an array, or a list or number that ndgpu converts as NumPy's asarray. */
function productOperand(value: Value): NDArray | NestedArray {
  return value.type === 'array' ? value.array : toNested(value).data;
}

function product(name: string, rt: Runtime, call: CallArgs, run: (x: NDArray | NestedArray, y: NDArray | NestedArray) => NDArray): Value {
  const a = bind(name, call, ['a', 'b'], 2);
  return array(run(productOperand(a.a!), productOperand(a.b!)));
}

/** tensordot's `axes`: an int, or a pair of ints or lists of ints. */
function toTensordotAxes(value: Value | undefined): number | [number | number[], number | number[]] {
  if (!value) return 2;
  if (value.type !== 'tuple' && value.type !== 'list') return toInt(value, 'axes');
  const axes = value.items.map((item) =>
    item.type === 'tuple' || item.type === 'list' ? item.items.map((v) => toInt(v, 'axes')) : toInt(item, 'axes'),
  );
  if (axes.length !== 2)
    throw new PyError(
      'ValueError',
      `${axes.length > 2 ? 'too many' : 'not enough'} values to unpack (expected 2${axes.length > 2 ? '' : `, got ${axes.length}`})`,
    );
  return [axes[0], axes[1]];
}

function creation(name: string, rt: Runtime, call: CallArgs, make: (shape: number[], dtype?: DType) => NDArray): Value {
  const a = bind(name, call, ['shape', 'dtype'], 1);
  return array(make(toShape(a.shape!), toDType(a.dtype)));
}

/** `np.f(a, ...)` is `a.f(...)`. */
function callMethod(rt: Runtime, call: CallArgs, name: string): Promise<Value> {
  const [first, ...rest] = call.args;
  const self = expectArray(first, `${name}()`);
  return METHODS[name](self, rt, { args: rest, kwargs: call.kwargs });
}

// ---------------------------------------------------------------------------------------------
// Array methods

type Method = (self: NDArray, rt: Runtime, call: CallArgs) => Promise<Value>;

export const METHODS: Record<string, Method> = {
  async copy(self, _rt, call) {
    const a = bind('copy', call, ['order']);
    return array(self.copy(toOrder(a.order, 'C')));
  },
  async view(self, _rt, call) {
    const a = bind('view', call, ['dtype']);
    return array(self.view(toDType(a.dtype)));
  },
  async reshape(self, _rt, call) {
    const a = bind('reshape', call, ['*shape', 'order']);
    const shape = spreadArgs(a.shape).map((v) => toInt(v, 'reshape'));
    return array(self.reshape(shape, { order: toOrder(a.order, 'C') }));
  },
  async transpose(self, _rt, call) {
    const a = bind('transpose', call, ['*axes']);
    return array(self.transpose(spreadArgs(a.axes).map((v) => toInt(v, 'axes'))));
  },
  async swapaxes(self, _rt, call) {
    const a = bind('swapaxes', call, ['axis1', 'axis2'], 2);
    return array(self.swapaxes(toInt(a.axis1!), toInt(a.axis2!)));
  },
  async squeeze(self, _rt, call) {
    const a = bind('squeeze', call, ['axis']);
    return array(self.squeeze(toAxes(a.axis)));
  },
  async flip(self, _rt, call) {
    const a = bind('flip', call, ['axis']);
    return array(self.flip(toAxes(a.axis)));
  },
  async ravel(self, _rt, call) {
    const a = bind('ravel', call, ['order']);
    return array(self.ravel(toOrder(a.order, 'C')));
  },
  async flatten(self, _rt, call) {
    const a = bind('flatten', call, ['order']);
    return array(self.flatten(toOrder(a.order, 'C')));
  },
  async astype(self, _rt, call) {
    const a = bind('astype', call, ['dtype'], 1);
    return array(self.astype(toDType(a.dtype)!));
  },
  async fill(self, _rt, call) {
    const a = bind('fill', call, ['value'], 1);
    const v = a.value!;
    self.fill(v.type === 'bool' ? v.value : toNumber(v, 'fill()'));
    return NONE;
  },
  async item(self, _rt, call) {
    const a = bind('item', call, ['*args']);
    const items = spreadArgs(a.args).map((v) => toInt(v, 'item()'));
    const index = items.length === 0 ? undefined : items.length === 1 ? items[0] : items;
    return fromScalar(await self.item(index), self.dtype);
  },
  async tolist(self, _rt, call) {
    bind('tolist', call, []);
    return fromNested(await self.toArray(), self.dtype);
  },
  // ----- products -----
  async dot(self, _rt, call) {
    const a = bind('dot', call, ['b'], 1);
    return array(self.dot(productOperand(a.b!)));
  },
};

// ---------------------------------------------------------------------------------------------
// Attributes

export function arrayAttribute(self: NDArray, name: string): Value {
  switch (name) {
    case 'shape':
      return tuple(self.shape);
    case 'strides':
      return tuple(self.strides);
    case 'offset':
      return int(self.offset);
    case 'ndim':
      return int(self.ndim);
    case 'size':
      return int(self.size);
    case 'itemsize':
      return int(self.itemsize);
    case 'nbytes':
      return int(self.nbytes);
    case 'dtype':
      return { type: 'dtype', dtype: self.dtype };
    case 'base':
      return self.base ? array(self.base) : NONE;
    case 'flags':
      return { type: 'flags', array: self };
    case 'T':
      return array(self.T);
  }
  if (name in METHODS) return { type: 'method', self, name };
  throw new PyError('AttributeError', `'numpy.ndarray' object has no attribute '${name}'`);
}

const FLAG_NAMES: Record<string, 'owndata' | 'writeable' | 'cContiguous' | 'fContiguous'> = {
  owndata: 'owndata',
  writeable: 'writeable',
  c_contiguous: 'cContiguous',
  f_contiguous: 'fContiguous',
};

export function flagAttribute(self: NDArray, name: string): Value {
  const key = FLAG_NAMES[name];
  if (!key) throw new PyError('AttributeError', `'numpy.flagsobj' object has no attribute '${name}'`);
  return bool(self.flags[key]);
}

/** `a.flags.writeable = False`: the one flag NumPy lets you set. */
export function setFlag(self: NDArray, name: string, value: Value): void {
  if (name !== 'writeable') {
    throw new PyError(
      'AttributeError',
      FLAG_NAMES[name]
        ? `attribute '${name}' of 'numpy.flagsobj' objects is not writable`
        : `'numpy.flagsobj' object has no attribute '${name}'`,
    );
  }
  self.flags.writeable = value.type === 'bool' ? value.value : Boolean(toNumber(value, 'writeable'));
}

export function dtypeAttribute(dtype: DType, name: string): Value {
  if (name === 'name') return { type: 'str', value: dtype };
  if (name === 'itemsize') return int(DTYPE_ITEMSIZE[dtype]);
  throw new PyError('AttributeError', `'numpy.dtype' object has no attribute '${name}'`);
}

// ---------------------------------------------------------------------------------------------
// Python builtins

export const BUILTINS: Record<string, Fn> = {
  async print(rt, call) {
    const parts = await Promise.all(call.args.map((v) => str(v)));
    const sep = call.kwargs.get('sep');
    rt.print(parts.join(sep?.type === 'str' ? sep.value : ' '));
    return NONE;
  },
  len(_rt, call) {
    const a = bind('len', call, ['obj'], 1);
    const v = a.obj!;
    if (v.type === 'array') {
      if (v.array.ndim === 0) throw typeError('len() of unsized object');
      return int(v.array.shape[0]);
    }
    if (v.type === 'tuple' || v.type === 'list') return int(v.items.length);
    if (v.type === 'str') return int(v.value.length);
    throw typeError(`object of type '${typeName(v)}' has no len()`);
  },
  int(_rt, call) {
    const a = bind('int', call, ['x']);
    if (!a.x) return int(0);
    if (a.x.type === 'int') return a.x;
    const n = toNumber(a.x, 'int()');
    if (!Number.isFinite(n)) throw new PyError('ValueError', `cannot convert float ${n > 0 ? 'infinity' : 'NaN'} to integer`);
    return int(Math.trunc(n));
  },
  async bool(_rt, call) {
    const a = bind('bool', call, ['x']);
    return bool(a.x ? await truthy(a.x) : false);
  },
  float(_rt, call) {
    const a = bind('float', call, ['x']);
    return { type: 'float', value: a.x ? toNumber(a.x, 'float()') : 0 };
  },
  id(rt, call) {
    const a = bind('id', call, ['obj'], 1);
    return int(rt.id(a.obj!));
  },
  type(_rt, call) {
    const a = bind('type', call, ['obj'], 1);
    return { type: 'class', name: typeName(a.obj!) };
  },
};

/** `np.<name>` for names that are not functions: dtypes, `newaxis`. */
export function moduleConstant(name: string): Value | undefined {
  if ((DTYPE_NAMES as string[]).includes(name)) return { type: 'dtype', dtype: name as DType };
  if (name === 'bool_') return { type: 'dtype', dtype: 'bool' };
  if (name === 'newaxis') return NONE;
  return undefined;
}
