/**
 * The playground is an ordinary Vite app that imports `ndgpu` as a user would. The bare specifier resolves
 * to the package's built entry (package.json `exports`, i.e. `dist/`, what npm ships), so `npm run build`
 * comes first; the npm scripts `demo` and `build:demo` do that.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import pkg from '../package.json' with { type: 'json' };

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const entry = path(`../${pkg.exports['.'].import}`);
if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (\`npm run demo\` does)`);

export default defineConfig({
  root: path('.'),
  base: './',
  resolve: {
    alias: [{ find: /^ndgpu$/, replacement: entry }],
  },
  build: {
    outDir: path('../demo-dist'),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
