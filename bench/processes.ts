/** Child processes of a bench run: started with their output watched, stopped by their own pid only. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Child {
  readonly pid: number;
  /** Resolves with the first match of `pattern` in the output so far or to come; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/** A crashed bench must not leave gateways and simulators behind. */
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function start(name: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Child {
  // Only what the child needs from this environment: a vendor variable set in the shell must not turn a
  // simulated vendor live or the other way round.
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child = spawn(process.execPath, args, { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  running.add(child);
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    // A long run prints little, but keep the tail bounded all the same.
    if (output.length > 1_000_000) output = output.slice(-500_000);
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    pid: child.pid,
    output: () => output,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) done(() => resolve(match));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`${name}: no ${pattern} within ${timeoutMs} ms:\n${output.slice(-2000)}`))), timeoutMs);
        const done = (then: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
        void exited.then((code) => {
          if (listeners.has(check)) done(() => reject(new Error(`${name} exited with ${code}:\n${output.slice(-2000)}`)));
        });
        check();
      }),
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Peak resident set size of a live process, MB of 10^6 bytes (Linux: VmHWM); undefined where /proc is not there. */
export function peakRssMB(pid: number): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    return match?.[1] ? (Number(match[1]) * 1024) / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time a live process has used so far, user and system, ms (Linux: /proc/<pid>/stat); undefined elsewhere. */
export function cpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th of those.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux this runs on.
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
