// Starts the oilrisk runtime the way `npm start` does (a child process running the built
// dist/bin/oilrisk.js) on a free loopback port, and stops it with nothing left behind.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeLoopbackPort } from '../../sim/ports.js';

export const PACKAGE_ROOT = resolve(__dirname, '..', '..');

export const freePort = freeLoopbackPort;

export interface RuntimeHandle {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the child printed so far, for assertions and for failure messages. */
  output(): string;
  /** Resolves once `pattern` (global) has matched the output `count` times; rejects if the process exits first. */
  waitForOutput(pattern: RegExp, count?: number, timeoutMs?: number): Promise<void>;
  /** SIGTERM, wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would; resolves when the process is gone. */
  kill(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a data folder (for restart tests); a fresh temporary one otherwise. */
  dataDir?: string;
  /** Keep the data folder after stop (the caller removes it). */
  keepData?: boolean;
  readyTimeoutMs?: number;
}

export async function startRuntime(options: StartOptions = {}): Promise<RuntimeHandle> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'oilrisk-rt-'));
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'dist', 'bin', 'oilrisk.js')], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, OILRISK_SIM: 'off', ...options.env, PORT: String(port), OILRISK_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const cleanup = () => { if (!options.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true }); };

  const ready = await new Promise<boolean>((ok) => {
    const timer = setTimeout(() => ok(false), options.readyTimeoutMs ?? 30_000);
    const check = () => {
      if (out.includes('Started flows')) { clearTimeout(timer); child.stdout!.off('data', check); ok(true); }
    };
    child.stdout!.on('data', check);
    child.once('exit', () => { clearTimeout(timer); ok(false); });
    check();
  });
  const handle: RuntimeHandle = {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    child,
    output: () => out,
    waitForOutput(pattern, count = 1, timeoutMs = 30_000) {
      const global = pattern.global ? pattern : new RegExp(pattern.source, pattern.flags + 'g');
      const matched = () => (out.match(global)?.length ?? 0) >= count;
      return new Promise<void>((ok, fail) => {
        if (matched()) { ok(); return; }
        const onData = () => { if (matched()) { finish(); ok(); } };
        const onExit = () => { finish(); fail(new Error(`runtime exited before printing ${pattern} x${count}; its output:\n${out}`)); };
        const timer = setTimeout(() => { finish(); fail(new Error(`runtime did not print ${pattern} x${count} in time; its output:\n${out}`)); }, timeoutMs);
        const finish = () => { clearTimeout(timer); child.stdout!.off('data', onData); child.stderr!.off('data', onData); child.off('exit', onExit); };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', onExit);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      cleanup();
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  if (!ready) {
    await handle.kill();
    cleanup();
    throw new Error(`runtime did not start within the timeout; its output:\n${out}`);
  }
  return handle;
}
