/**
 * What keeps Dawn's start-up notices off a Node user's console (dist/device/webgpu/native-stderr.js, as
 * shipped): writes to descriptor 2 during the call are captured, the lines to drop are dropped and the
 * rest written back; stderr works as before afterwards, also when the call throws. Where stderr cannot be
 * reopened as the same stream (a regular file), nothing is filtered. Each case runs in a child process
 * whose stderr is a pipe or a file, as a user's would be.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureBuilt } from './support/build.js';

let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ndgpu-stderr-test-'));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A program that writes three lines to descriptor 2 inside the filter (then throws, if asked), and
 * one line after it. */
function program(throwInside: boolean): string {
  const module = pathToFileURL(join(DIST, 'device', 'webgpu', 'native-stderr.js')).href;
  return `
    import { writeSync } from 'node:fs';
    import { withNativeStderrFiltered } from ${JSON.stringify(module)};
    let value;
    try {
      value = withNativeStderrFiltered(() => {
        writeSync(2, 'Warning: drop me\\nkeep me\\nWarning: drop me too\\n');
        if (${throwInside}) throw new Error('thrown inside');
        return 42;
      }, /^Warning: drop/);
    } catch (error) {
      value = error.message;
    }
    writeSync(2, 'after: ' + value + '\\n');
  `;
}

/** Runs `code` under sh with stderr redirected by `redirect`, and returns what reached stderr. */
function stderrOf(code: string, redirect: string): string {
  const script = join(dir, 'program.mjs');
  execFileSync('sh', ['-c', `cat > "${script}"`], { input: code });
  return execFileSync('sh', ['-c', `"${process.execPath}" "${script}" ${redirect}`], { encoding: 'utf8' });
}

describe('native stderr filtering in Node', () => {
  it('drops the given lines from a pipe, writes the rest back, and restores stderr', () => {
    expect(stderrOf(program(false), '2>&1 | cat')).toBe('keep me\nafter: 42\n');
  });

  it('restores stderr when the call throws', () => {
    expect(stderrOf(program(true), '2>&1 | cat')).toBe('keep me\nafter: thrown inside\n');
  });

  it('leaves a regular file alone (it cannot be reopened at the same offset)', () => {
    const file = join(dir, 'stderr.txt');
    stderrOf(program(false), `2>"${file}"`);
    expect(readFileSync(file, 'utf8')).toBe('Warning: drop me\nkeep me\nWarning: drop me too\nafter: 42\n');
  });
});
