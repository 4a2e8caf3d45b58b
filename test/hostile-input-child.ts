/**
 * Run by test/hardening.test.ts in a child process (`node --import tsx test/hostile-input-child.ts
 * <backend>`): host data that once exhausted the stack or the heap and killed the process. Prints one
 * JSON line: each case's error class and message.
 */

import { init } from '../src/index.js';

const backend = (process.argv[2] ?? 'cpu') as 'cpu' | 'webgpu';
const np = await init({ backend });

function deep(depth: number): unknown {
  let value: unknown = [0];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}
function cyclic(): unknown {
  const x: unknown[] = [];
  x.push(x);
  return x;
}

const cases: Record<string, () => unknown> = {
  'nest-100000': () => np.array(deep(100_000) as any),
  'nest-cycle': () => np.array(cyclic() as any),
  'set-cycle': () => np.zeros([3]).set(':', cyclic() as any),
  'add-cycle': () => np.add(np.zeros([3]), cyclic() as any),
};

const results: Record<string, { error: string; message: string } | 'no error'> = {};
for (const [key, call] of Object.entries(cases)) {
  try {
    call();
    results[key] = 'no error';
  } catch (error) {
    results[key] = { error: (error as Error).name, message: (error as Error).message };
  }
}
np.dispose();
console.log(JSON.stringify(results));
