/**
 * The layer rules of .dependency-cruiser.cjs (run over src/ by `npm run lint`) catch what they are meant
 * to: each test writes a tiny tree with one wrong import and checks that the rule it breaks reports it.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const rules = (require('../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[] }).forbidden;
const roots: string[] = [];

/** The rules broken by a tree of files (path → text). */
async function violations(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'ndgpu-layers-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const result = await cruise(['src'], {
    validate: true,
    ruleSet: { forbidden: rules },
    baseDir: root,
    tsPreCompilationDeps: true,
    outputType: 'json',
  });
  const output = JSON.parse(result.output as string) as { summary: { violations: { rule: { name: string } }[] } };
  return output.summary.violations.map((v) => v.rule.name).sort();
}

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('layer rules', () => {
  it('accept imports that point down', async () => {
    expect(
      await violations({
        'src/ndarray/core/layout.ts': 'export const layout = 1;\n',
        'src/ndarray/ops/ufuncs.ts': "import { layout } from '../core/layout.js';\nexport const ufuncs = layout;\n",
        'src/device/cpu/cpu-backend.ts': "import { layout } from '../../ndarray/core/layout.js';\nexport const cpu = layout;\n",
        'src/ndarray/array/ndarray.ts': "import { ufuncs } from '../ops/ufuncs.js';\nexport const array = ufuncs;\n",
        'src/init.ts':
          "import { cpu } from './device/cpu/cpu-backend.js';\nimport { array } from './ndarray/array/ndarray.js';\nexport const init = [cpu, array];\n",
      }),
    ).toEqual([]);
  });

  it('reject the pure core importing the semantic layer', async () => {
    expect(
      await violations({
        'src/ndarray/core/layout.ts': "import { NDArray } from '../array/ndarray.js';\nexport const layout = NDArray;\n",
        'src/ndarray/array/ndarray.ts': 'export class NDArray {}\n',
      }),
    ).toEqual(['core-is-pure']);
  });

  it('reject an executor importing the operation tables, and a backend picking a concrete backend', async () => {
    expect(
      await violations({
        'src/ndarray/ops/ufuncs.ts': 'export const UFUNCS = {};\n',
        'src/device/webgpu/elementwise.ts': "import { UFUNCS } from '../../ndarray/ops/ufuncs.js';\nexport const e = UFUNCS;\n",
        'src/device/cpu/cpu-backend.ts': 'export class CpuBackend {}\n',
        'src/ndarray/array/context.ts': "import { CpuBackend } from '../../device/cpu/cpu-backend.js';\nexport const c = CpuBackend;\n",
      }),
    ).toEqual(['executors-know-devices-not-numpy', 'semantics-use-the-backend-interface']);
  });

  it('reject cycles, type-only ones included', async () => {
    const found = await violations({
      'src/ndarray/array/ndarray.ts': "import { applyUfunc } from './ufunc.js';\nexport class NDArray { f = applyUfunc; }\n",
      'src/ndarray/array/ufunc.ts':
        "import type { NDArray } from './ndarray.js';\nexport function applyUfunc(a: NDArray): NDArray { return a; }\n",
    });
    expect(found).toContain('no-cycles');
  });
});
