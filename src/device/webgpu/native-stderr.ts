/**
 * Keeping known notices that native code prints at start-up off a Node user's console. Dawn (npm
 * `webgpu`) writes them with `fprintf(stderr)` while it enumerates adapters, synchronously inside
 * `requestAdapter()`: JavaScript cannot intercept such writes, and the bindings have no setting for them.
 * So for that one synchronous call the process's descriptor 2 is pointed at a temporary file and then
 * pointed back, and what was captured is written back to stderr without the known notices: anything else
 * still reaches the user.
 *
 * Node has no `dup2`: descriptor 2 is closed and the next `open` takes it (the lowest free descriptor),
 * and `/proc/self/fd/N` reopens the terminal or pipe it was. That is done only where it gives back the
 * same stream: on Linux, when stderr is a terminal or a pipe (a regular file would be reopened at another
 * offset; a socket cannot be reopened). Elsewhere the notices pass through. Uses no import statement
 * (`process.getBuiltinModule`), so that browser builds never see a Node module.
 */

interface Stats {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
}

/** The few `node:fs` functions used here (the library's own build has no Node types). */
interface NodeFs {
  openSync(path: string, flags: number, mode?: number): number;
  closeSync(fd: number): void;
  fstatSync(fd: number): Stats;
  readFileSync(path: string, encoding: 'utf8'): string;
  writeSync(fd: number, text: string): number;
  mkdtempSync(prefix: string): string;
  rmSync(path: string, options: { recursive: boolean; force: boolean }): void;
  constants: Record<'O_WRONLY' | 'O_CREAT' | 'O_EXCL' | 'O_APPEND' | 'O_NOCTTY', number>;
}

interface NodeProcess {
  platform?: string;
  getBuiltinModule?: (name: string) => unknown;
}

/** Runs `body` with what native code writes to stderr during it filtered: lines matching `drop` are
 * removed, the rest is written to stderr afterwards. Runs `body` unfiltered where that cannot be done. */
export function withNativeStderrFiltered<T>(body: () => T, drop: RegExp): T {
  const node = (globalThis as { process?: NodeProcess }).process;
  if (node?.platform !== 'linux' || typeof node.getBuiltinModule !== 'function') return body();
  const fs = node.getBuiltinModule('fs') as NodeFs | undefined;
  const os = node.getBuiltinModule('os') as { tmpdir(): string } | undefined;
  if (!fs || !os || !canReopenStderr(fs)) return body();
  const { O_WRONLY, O_CREAT, O_EXCL, O_APPEND, O_NOCTTY } = fs.constants;

  let dir: string;
  let saved: number;
  try {
    dir = fs.mkdtempSync(`${os.tmpdir()}/ndgpu-stderr-`);
  } catch {
    return body();
  }
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    // The terminal or pipe of stderr, to point descriptor 2 back at afterwards.
    saved = fs.openSync('/proc/self/fd/2', O_WRONLY | O_NOCTTY);
  } catch {
    removeDir();
    return body();
  }
  const capturePath = `${dir}/stderr`;
  /** Points the free descriptor 2 back at stderr's stream. */
  const restore = () => {
    const fd = fs.openSync(`/proc/self/fd/${saved}`, O_WRONLY | O_NOCTTY);
    // Another thread may have taken descriptor 2 in the instant it was free: it is that thread's now.
    if (fd !== 2) fs.closeSync(fd);
  };

  try {
    fs.closeSync(2);
    let capture = -1;
    try {
      capture = fs.openSync(capturePath, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0o600);
    } catch {
      restore();
      return body();
    }
    if (capture !== 2) {
      // Taken by another thread in that instant (see restore): leave it, and the notices pass.
      fs.closeSync(capture);
      return body();
    }
    try {
      return body();
    } finally {
      fs.closeSync(2);
      restore();
      const rest = withoutLines(fs.readFileSync(capturePath, 'utf8'), drop);
      if (rest) fs.writeSync(2, rest);
    }
  } finally {
    fs.closeSync(saved);
    removeDir();
  }
}

/** `text` without its lines that match `drop`. */
export function withoutLines(text: string, drop: RegExp): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines
    .filter((line) => !drop.test(line))
    .map((line) => `${line}\n`)
    .join('');
}

/** Whether descriptors 0 to 2 are open (so that closing 2 frees the lowest descriptor) and 2 is a
 * terminal or a pipe (which /proc/self/fd reopens as the same stream). */
function canReopenStderr(fs: NodeFs): boolean {
  try {
    fs.fstatSync(0);
    fs.fstatSync(1);
    const stderr = fs.fstatSync(2);
    return stderr.isFIFO() || stderr.isCharacterDevice();
  } catch {
    return false;
  }
}
