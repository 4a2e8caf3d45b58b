/**
 * The README's examples run: every ```ts block is written to a module of its own and run with tsx (in a
 * child process, on the default backend), after a prelude that makes `np` where the block does not. A
 * block that throws, or that no longer type-checks as TypeScript esbuild can strip, fails the test.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const blocks = [...readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const scratch = path.join(root, 'test-results', 'readme');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README examples', () => {
  it('has examples to run', () => {
    expect(blocks.length).toBeGreaterThan(2);
  });

  blocks.forEach((block, k) => {
    it(`block ${k + 1} runs`, () => {
      mkdirSync(scratch, { recursive: true });
      const makesContext = /const np = await init\(/.test(block);
      const prelude = makesContext ? '' : "import { init } from 'ndgpu';\nconst np = await init();\n";
      const file = path.join(scratch, `block-${k + 1}.mts`);
      writeFileSync(file, `${prelude}${block}\nprocess.exit(0);\n`);
      // tsx resolves 'ndgpu' to src/index.ts through tsconfig.json's paths.
      execFileSync(path.join(root, 'node_modules', '.bin', 'tsx'), [file], { cwd: root, stdio: 'pipe', timeout: 120_000 });
    }, 150_000);
  });
});
