/** The README's commands as real child processes, for end-to-end tests of what a user runs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

export interface Started {
  readonly child: ChildProcess;
  /** Everything the process printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output so far or to come; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
}

/**
 * Children started through the returned function are killed after each test. They run TypeScript through
 * tsx unless `tsx` is false (the compiled server).
 */
export function processesPerTest(): (args: string[], env: Record<string, string>, tsx?: boolean) => Started {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });
  return (args, env, tsx = true) => {
    const child = spawn(process.execPath, [...(tsx ? ['--import', 'tsx'] : []), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    const listeners = new Set<() => void>();
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const listener of listeners) listener();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return {
      child,
      output: () => output,
      exited: () => exit,
      // Under the 60 s test timeout: `tsx src/main.ts` compiles the gateway as it starts, and with four test
      // files on two cores that once took over 20 s.
      waitFor: (pattern, timeoutMs = 45_000) =>
        new Promise((resolve, reject) => {
          const check = () => {
            const match = output.match(pattern);
            if (!match) return;
            cleanup();
            resolve(match);
          };
          const timer = setTimeout(() => {
            cleanup();
            reject(new Error(`no match for ${pattern} in:\n${output}`));
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            listeners.delete(check);
          };
          listeners.add(check);
          void exit.then((code) => {
            if (!listeners.has(check)) return;
            check();
            if (listeners.has(check)) {
              cleanup();
              reject(new Error(`exited with ${code}:\n${output}`));
            }
          });
          check();
        }),
    };
  };
}
