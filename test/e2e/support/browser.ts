/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium (or NDGPU_CHROMIUM) driven by
 * playwright-core, with WebGPU enabled (SwiftShader's Vulkan where there is no GPU). A missing browser
 * fails the tests: `scripts/setup-browsers.sh` installs it (npm test runs that first).
 */

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.NDGPU_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM}: the browser tests need it. Run \`bash scripts/setup-browsers.sh\` ` +
        "(installs Debian's chromium with apt), or point NDGPU_CHROMIUM at a Chromium or Chrome binary.",
    );
  }
  const env = { ...process.env } as Record<string, string>;
  env.XDG_RUNTIME_DIR ??= mkdtempSync(join(tmpdir(), 'ndgpu-xdg-'));
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, env, timeout: 60_000 });
}

/** Collects what would make a page "load with errors": uncaught exceptions, console errors, failed or
 * missing requests. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}
