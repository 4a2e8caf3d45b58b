/**
 * The library under test: the built package in dist/ (what users run), loaded at run time. Importing the
 * TypeScript sources would run them through tsx's transform, whose helpers add microseconds to every
 * call and would distort the per-call cases. `npm run bench` builds first.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Ndgpu from '../src/index.js';

const entry = new URL('../dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) throw new Error('bench: dist/ is missing; run `npm run build` first (npm run bench does)');

export const { init } = (await import(entry.href)) as typeof Ndgpu;
