/**
 * NumPy's tutorial "Copies and Views", replayed step by step with arrays in GPU memory (or on the CPU
 * backend where WebGPU is missing). Each step prints what NumPy prints; Python's `id()` lines print
 * object identity instead. Run with `npm start`.
 */

import { init, type NDArray } from '../src/index.js';

const np = await init();
const tuple = (shape: readonly number[]) => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);
const py = (value: boolean) => (value ? 'True' : 'False');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

console.log(`ndgpu on ${np.backend} (${np.device})`);
if (np.fallbackReason) console.log(`  WebGPU unavailable, using the CPU: ${np.fallbackReason}`);

console.log('\n# No Copy at All');
const a = np.array([
  [0, 1, 2, 3],
  [4, 5, 6, 7],
  [8, 9, 10, 11],
]);
const b = a; // no new object is created
console.log(py(b === a));

function f(x: NDArray): NDArray {
  return x; // JavaScript passes objects by reference: no copy
}
console.log(`f(a) is a: ${py(f(a) === a)}   (Python prints id(a) twice; the same object)`);

console.log('\n# View or Shallow Copy');
let c = a.view(); // c is a view of the data owned by a
console.log(`c is a = ${py(c === a)}`);
console.log(`c.base is a = ${py(c.base === a)}`);
console.log(`c.flags.owndata = ${py(c.flags.owndata)}`);

c = c.reshape([2, 6]); // a's shape doesn't change
console.log(`a.shape = ${tuple(a.shape)}`);

c.set('0, 4', 1234); // a's data changes
console.log(`a =\n${await a.format()}`);

console.log('\nSlicing an array returns a view of it:');
const s = a.get(':, 1:3');
s.set(':', 10); // s[:] is a view of s. Note the difference between s=10 and s[:]=10
console.log(`a =\n${await a.format()}`);

console.log('\n# Deep Copy');
const d = a.copy(); // a new array object with new data is created
console.log(`d is a = ${py(d === a)}`);
console.log(`d.base is a = ${py(d.base === a)}`); // d doesn't share anything with a
d.set('0, 0', 9999);
console.log(`a =\n${await a.format()}`);

console.log('\n# Copy after slicing, so that a huge intermediate can be freed');
const n = 1e8;
const before = np.memory();
const huge = np.arange(n, { dtype: 'int32' });
const first100 = huge.get(':100'); // a view: it holds all of huge's memory
const small = first100.copy();
first100.dispose(); // JavaScript has no reference counting to drop this temporary view for us
const held = np.memory();
console.log(`a = np.arange(int(1e8), dtype=np.int32); b = a[:100].copy()`);
console.log(`  memory held by arrays: ${mib(held.bytes - before.bytes)}  (a: ${mib(huge.nbytes)}, b: ${small.nbytes} bytes)`);
huge.dispose(); // del a: the memory of `a` can be released
const after = np.memory();
console.log(`a.dispose()`);
console.log(
  `  memory held by arrays: ${mib(after.bytes - before.bytes)}; b is still valid: ${await small.get(':5').format()} ... ${await small.get('-3:').format()}`,
);

console.log('\nIf b = a[:100] is used instead, a is referenced by b and persists after a.dispose():');
const huge2 = np.arange(n, { dtype: 'int32' });
const view = huge2.get(':100');
huge2.dispose();
console.log(`  b.base.nbytes = ${view.base?.nbytes}, b.nbytes = ${view.nbytes}; held: ${mib(np.memory().bytes - before.bytes)}`);
view.dispose();
console.log(`  after b.dispose(): held ${mib(np.memory().bytes - before.bytes)}`);

np.dispose();
