/**
 * Headless Firefox for the browser tests: Debian's /usr/bin/firefox-esr (or NDGPU_FIREFOX) run as a plain
 * process on one URL, with a fresh profile whose user.js turns WebGPU on (wgpu; Mesa's lavapipe where
 * there is no GPU) and everything that would reach the network off. playwright-core drives only
 * Playwright's own patched Firefox, so nothing drives this one: the page reports its results by POSTing
 * them to the test's server (test/e2e/pages/report.js), and the test ends the browser when they are in or
 * when time is up. A missing browser fails the tests: `scripts/setup-browsers.sh` installs it.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIREFOX = process.env.NDGPU_FIREFOX ?? '/usr/bin/firefox-esr';

type Pref = boolean | number | string;

/** WebGPU on, whatever the platform's default or blocklist says. */
export const WEBGPU_PREFS: Record<string, Pref> = {
  'dom.webgpu.enabled': true,
  'gfx.webgpu.ignore-blocklist': true,
  'gfx.webgpu.force-enabled': true,
};

/** A quiet browser: no first-run or what's-new pages, no updates, no telemetry, nothing fetched from the
 * network; the page's console goes to stdout so that the tests can look for errors. */
const QUIET_PREFS: Record<string, Pref> = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.startup.homepage': 'about:blank',
  'startup.homepage_welcome_url': 'about:blank',
  'startup.homepage_welcome_url.additional': '',
  'browser.aboutwelcome.enabled': false,
  'trailhead.firstrun.didSeeAboutWelcome': true,
  'browser.newtabpage.enabled': false,
  'browser.sessionstore.resume_from_crash': false,
  'browser.tabs.warnOnClose': false,
  'toolkit.startup.max_resumed_crashes': -1,
  'app.update.enabled': false,
  'app.update.auto': false,
  'app.update.disabledForTesting': true,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'browser.search.update': false,
  'media.gmp-manager.updateEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  // Remote settings, experiments, new-tab feeds: what Firefox's own remote agent turns off for automation.
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'services.settings.loglevel': 'off',
  'security.remote_settings.intermediates.enabled': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'messaging-system.rsexperimentloader.enabled': false,
  'browser.newtabpage.activity-stream.testing.shouldInitializeFeeds': false,
  'browser.newtabpage.activity-stream.showSponsoredTopSites': false,
  'browser.topsites.contile.enabled': false,
  'browser.discovery.enabled': false,
  'browser.backup.enabled': false,
  'browser.ml.enable': false,
  'browser.translations.enable': false,
  'browser.pagethumbnails.capturing_disabled': true,
  'browser.urlbar.merino.endpointURL': '',
  'browser.urlbar.suggest.searches': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.installDistroAddons': false,
  'dom.push.connection.enabled': false,
  'geo.provider.network.url': '',
  'datareporting.usage.uploadEnabled': false,
  'network.manage-offline-status': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'network.proxy.type': 0,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'devtools.console.stdout.content': true,
  'browser.dom.window.dump.enabled': true,
};

export interface FirefoxRun {
  /** What the browser wrote to stdout and stderr so far (the page's console, with the pref above). */
  output(): string;
  /** Settles when the browser process has exited, with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Ends the browser (its whole process group) and removes its profile. */
  close(): Promise<void>;
}

/** Starts headless Firefox on `url` with a fresh profile; `prefs` are added to (or override) the defaults. */
export function launchFirefox(url: string, prefs: Record<string, Pref> = {}): FirefoxRun {
  if (!existsSync(FIREFOX)) {
    throw new Error(
      `Firefox was not found at ${FIREFOX}: the browser tests need it. Run \`bash scripts/setup-browsers.sh\` ` +
        "(installs Debian's firefox-esr with apt), or point NDGPU_FIREFOX at a Firefox binary.",
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'ndgpu-firefox-'));
  const all = { ...QUIET_PREFS, ...WEBGPU_PREFS, ...prefs };
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries(all)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`)
      .join(''),
  );
  // MOZ_REMOTE_SETTINGS_DEVTOOLS lets services.settings.server above take effect.
  const env = { ...process.env, MOZ_HEADLESS: '1', MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' } as Record<string, string>;
  env.XDG_RUNTIME_DIR ??= mkdtempSync(join(tmpdir(), 'ndgpu-xdg-'));
  mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true });
  // Its own process group (detached), so that ending it ends its content and GPU processes as well.
  const child: ChildProcess = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, url], {
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 1 << 20) output = output.slice(-(1 << 19));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', (error) => {
      output += `\n${error.message}`;
      resolve(-1);
    });
  });
  let closing: Promise<void> | null = null;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  // Should the test process end first, it takes the browser with it.
  const onExit = () => signal('SIGKILL');
  process.once('exit', onExit);
  const close = () =>
    (closing ??= (async () => {
      process.removeListener('exit', onExit);
      if (child.pid !== undefined) {
        signal('SIGTERM');
        const ended = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
        // The group may outlive its leader for a moment: make sure nothing of it is left.
        signal('SIGKILL');
        if (!ended) await Promise.race([exited, sleep(5_000)]);
      }
      rmSync(profile, { recursive: true, force: true });
    })());
  return { output: () => output, exited, close };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What the pages of `origin` reported as errors in Firefox's output: their console.error calls (printed with
 * devtools.console.stdout.content; arguments as source, strings quoted) and their uncaught errors
 * ("JavaScript error: <url>, line N: ..."). Firefox's own modules log through prefixed consoles
 * ("console.error: services.settings: ..."), which are left out: they say nothing about the page.
 */
export function pageErrors(output: string, origin: string): string[] {
  return output.split('\n').filter((line) => {
    if (line.startsWith(`JavaScript error: ${origin}/`)) return true;
    return line.startsWith('console.error: ') && !/^console\.error: [A-Za-z][\w.-]*: /.test(line);
  });
}
