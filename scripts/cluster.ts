/**
 * `npm run cluster -- --replicas 3`: the local stand-in for the compose deployment. It starts the simulators
 * once, in a process of their own (src/simulators/serve-all.ts), then N compiled gateways (`node dist/main.js`)
 * on consecutive ports from PORT (default 4000; PORT=0 gives each a free port), every vendor live against
 * those simulators and every rate budget shared through the Redis at REDIS_URL (default
 * redis://127.0.0.1:6379). It prints `simulator <vendor>: <base url>` and `replica N: <graphql url>`, and
 * stops them all on SIGINT or SIGTERM: gateways first (they drain), then the simulators.
 *
 * Options: --replicas N (default 3); --rate VENDOR=R and --records VENDOR=N go to the simulators (see
 * serve-all.ts). Children's own output is passed through with a `[replica N]` or `[simulators]` prefix.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { SERVE_ALL_READY, vendorNumbers } from '../src/simulators/serve-all.ts';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const GATEWAY_ENTRY = 'dist/main.js';
const SIMULATORS_ENTRY = 'dist/simulators/serve-all.js';
/** How long a child may take to say it is ready. */
const START_TIMEOUT_MS = 30_000;
/** After SIGTERM, how long a gateway may drain before it is killed: its SHUTDOWN_GRACE_MS plus a margin. */
const STOP_MARGIN_MS = 5_000;

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function options() {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        replicas: { type: 'string', default: '3' },
        rate: { type: 'string', multiple: true, default: [] },
        records: { type: 'string', multiple: true, default: [] },
      },
    });
    const replicas = Number(values.replicas);
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) throw new Error(`expected --replicas to be 1..64, got "${values.replicas}"`);
    // Checked here so a typo fails before anything starts; serve-all gets the flags as given.
    vendorNumbers('--rate', values.rate);
    vendorNumbers('--records', values.records);
    const simulatorArgs = [...values.rate.flatMap((pair) => ['--rate', pair]), ...values.records.flatMap((pair) => ['--records', pair])];
    // The launcher passes its environment on to the children; config.ts validates the variables it uses itself.
    const { PORT, REDIS_URL, SHUTDOWN_GRACE_MS } = process.env;
    const config = loadConfig({ PORT, REDIS_URL, SHUTDOWN_GRACE_MS });
    return { replicas, simulatorArgs, port: config.port, redisUrl: config.redisUrl ?? DEFAULT_REDIS_URL, graceMs: config.shutdownGraceMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    fail(`${error instanceof ConfigError ? 'configuration error:\n' : ''}${message}\nusage: npm run cluster -- [--replicas N] [--rate VENDOR=R]... [--records VENDOR=N]...`);
  }
}

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm run build` unless dist/ holds both entries and is newer than every file under src/. */
function buildIfStale(): void {
  const built = [GATEWAY_ENTRY, SIMULATORS_ENTRY].map((path) => (existsSync(path) ? statSync(path).mtimeMs : 0));
  if (Math.min(...built) > newestChange('src')) return;
  console.log('dist/ is missing or older than src/: npm run build');
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) fail('npm run build failed');
}

/** Starts `entry`, passing each output line to `onLine` and echoing the rest with the child's name. */
function start(name: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => boolean): Child {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (!onLine(line)) console.log(`[${name}] ${line}`);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, process: child, exited };
}

/** Resolves with `ready`'s value once the child reports it, rejects if the child exits or takes too long first. */
function ready<T>(child: Child, value: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    void child.exited.then((code) => reject(new Error(`${child.name} exited with code ${code} before it was ready`)));
    void value.then((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

async function stop(children: readonly Child[], graceMs: number): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.process.exitCode !== null || child.process.signalCode !== null) return;
      child.process.kill('SIGTERM');
      const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
      await child.exited;
      clearTimeout(timer);
    }),
  );
}

async function main(): Promise<void> {
  const { replicas, simulatorArgs, port, redisUrl, graceMs } = options();
  buildIfStale();

  const gateways: Child[] = [];
  let simulators: Child | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // Gateways drain first: their requests in flight still need the simulators.
    await stop(gateways, graceMs + STOP_MARGIN_MS);
    if (simulators) await stop([simulators], STOP_MARGIN_MS);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const gatewayEnv: Record<string, string> = {};
    let announce: () => void = () => undefined;
    const simsReady = new Promise<void>((resolve) => (announce = resolve));
    simulators = start('simulators', [SIMULATORS_ENTRY, ...simulatorArgs], process.env, (line) => {
      const variable = /^\s+([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (variable?.[1] !== undefined && variable[2] !== undefined) {
        gatewayEnv[variable[1]] = variable[2];
        return true;
      }
      if (line.startsWith('simulator ')) console.log(line);
      if (line === SERVE_ALL_READY) announce();
      return line.startsWith('simulator ') || line === SERVE_ALL_READY || line.startsWith('gateway environment');
    });
    const sims = simulators;
    void sims.exited.then((code) => {
      if (!stopping) {
        console.error(`simulators exited with code ${code}; stopping the cluster`);
        void shutdown(1);
      }
    });
    await ready(sims, simsReady);

    // Every replica signs cursors with the same secret, or a cursor would not survive a hop between them.
    const cursorSecret = process.env.CURSOR_SECRET || randomBytes(32).toString('hex');
    const urls = await Promise.all(
      Array.from({ length: replicas }, (_, i) => {
        let found: (url: string) => void = () => undefined;
        const url = new Promise<string>((resolve) => (found = resolve));
        const env = { ...process.env, ...gatewayEnv, PORT: String(port === 0 ? 0 : port + i), REDIS_URL: redisUrl, CURSOR_SECRET: cursorSecret };
        const gateway = start(`replica ${i + 1}`, [GATEWAY_ENTRY], env, (line) => {
          const match = /^GraphQL gateway ready at (\S+)/.exec(line);
          if (match?.[1]) found(match[1]);
          return false;
        });
        gateways.push(gateway);
        void gateway.exited.then((code) => {
          if (!stopping) console.error(`replica ${i + 1} exited with code ${code}`);
        });
        return ready(gateway, url);
      }),
    );
    urls.forEach((url, i) => console.log(`replica ${i + 1}: ${url}`));
    console.log(`${replicas} replica(s) sharing rate budgets through ${redisUrl.replace(/\/\/[^@]*@/, '//***@')}; Ctrl-C stops them all`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await shutdown(1);
  }
}

void main();
