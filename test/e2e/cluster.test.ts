/**
 * `npm run cluster -- --replicas 3` as a user runs it: three compiled gateways sharing Redis drain 2,000 Generic
 * API users together from a simulator limited to 10 requests per (epoch-aligned) second. Clients page with
 * `first: 20`, so each window costs about one vendor call (the cache is off): about 120 calls, some twelve
 * seconds of a rate worth measuring. Six clients, two per replica, each walk 100-record stretches of the list,
 * starting from cursors signed with the cluster's CURSOR_SECRET, so that all three replicas always have work
 * waiting for the one budget.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CursorCodec, scopeOf } from '../../src/graphql/connection.ts';
import { GENERIC_TOKEN_PATH } from '../../src/vendors/generic/wire.ts';
import { gql } from '../helpers/graphql.ts';

const LIMIT = 10;
const RECORDS = 2000;
const STRETCH = 100;
const WINDOW = 20;
const CLIENTS_PER_REPLICA = 2;

interface LogEntry {
  readonly at: number;
  readonly path: string;
  readonly status: number;
}

const cursorSecret = randomBytes(24).toString('hex');
let cluster: { child: ChildProcess; output: () => string; exited: Promise<number | null> } | undefined;
let log: LogEntry[] = [];
let drain = { started: 0, ended: 0 };
const seen = new Set<string>();
const failures: string[] = [];

/** Vendor calls that count against the limit (the token endpoint does not), per epoch second in [from, to). */
function perSecond(from: number, to: number): number[] {
  const counts: number[] = [];
  for (let second = Math.floor(from / 1000) * 1000; second < to; second += 1000) {
    counts.push(log.filter((e) => e.path !== GENERIC_TOKEN_PATH && e.at >= second && e.at < second + 1000).length);
  }
  return counts;
}

beforeAll(async () => {
  // The cluster outlives single tests, so it is not a processesPerTest child (those are killed after each).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/cluster.ts', '--replicas', '3', '--rate', `generic=${LIMIT}`, '--records', `generic=${RECORDS}`],
    {
      // PORT=0: free ports, whatever else runs on this machine. LOG_LEVEL=warn: a 429 or a Redis fallback shows.
      env: { ...process.env, PORT: '0', CACHE_TTL_MS: '0', CURSOR_SECRET: cursorSecret, LOG_LEVEL: 'warn', REDIS_URL: 'redis://127.0.0.1:6379' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const running = { child, output: () => output, exited: new Promise<number | null>((resolve) => child.once('exit', resolve)) };
  cluster = running;
  // The script builds dist/ first when it is stale; `npm test` has just built it.
  for (let waited = 0; !/^replica 3: /m.test(output); waited += 100) {
    if (child.exitCode !== null || waited > 110_000) throw new Error(`the cluster did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const replicas = [...output.matchAll(/^replica \d+: (\S+)$/gm)].map((m) => m[1] ?? '');
  const genericUrl = /^simulator generic: (\S+)$/m.exec(output)?.[1] ?? '';
  expect(replicas).toHaveLength(3);

  const codec = new CursorCodec(cursorSecret);
  const scope = scopeOf('users', { vendors: ['GENERIC'], filter: null });
  const stretches = Array.from({ length: RECORDS / STRETCH }, (_, i) => (i === 0 ? null : codec.encode(scope, { p: { GENERIC: i * STRETCH }, v: 'GENERIC' })));
  const query = `query ($after: String) { users(vendors: [GENERIC], first: ${WINDOW}, after: $after) { nodes { id } pageInfo { endCursor } } }`;
  const client = async (url: string) => {
    for (let stretch = stretches.shift(); stretch !== undefined; stretch = stretches.shift()) {
      let after = stretch;
      for (let read = 0; read < STRETCH; read += WINDOW) {
        const answer = await gql<{ users: { nodes: Array<{ id: string }>; pageInfo: { endCursor: string | null } } }>(url, query, { after });
        if (answer.errors || !answer.data) {
          failures.push(JSON.stringify(answer.errors ?? answer));
          break;
        }
        for (const node of answer.data.users.nodes) seen.add(node.id);
        after = answer.data.users.pageInfo.endCursor;
      }
    }
  };
  // Freshly started processes are slow at first (cold JIT, first token, first connections): warm each one with
  // a few small reads, so that the drain measures the budget and not start-up.
  for (let i = 0; i < 3; i += 1) await Promise.all(replicas.map((url) => gql(url, '{ users(vendors: [GENERIC], first: 1) { nodes { id } } }')));
  drain = { started: Date.now(), ended: 0 };
  await Promise.all(replicas.flatMap((url) => Array.from({ length: CLIENTS_PER_REPLICA }, () => client(url))));
  drain.ended = Date.now();
  log = (await (await fetch(new URL('/__sim/log', genericUrl))).json()) as LogEntry[];
}, 180_000);

afterAll(async () => {
  if (!cluster || cluster.child.exitCode !== null) return;
  cluster.child.kill('SIGTERM');
  await cluster.exited;
});

describe('three replicas sharing Redis', () => {
  it('drain every record, together never above the limit in any second, with 0 × 429', () => {
    expect(failures).toEqual([]);
    expect(seen.size).toBe(RECORDS);
    const calls = log.filter((e) => e.path !== GENERIC_TOKEN_PATH);
    expect(calls.length).toBeGreaterThanOrEqual(RECORDS / WINDOW);
    expect(log.filter((e) => e.status === 429)).toEqual([]);
    const counts = perSecond(drain.started, drain.ended + 1000);
    expect(Math.max(...counts), `calls per second: ${counts.join(' ')}`).toBeLessThanOrEqual(LIMIT);
    // No replica fell back to a local budget or met a vendor refusal (both log a warning).
    expect(cluster?.output()).not.toMatch(/unreachable|rate limit/i);
  });

  it('keep the aggregate rate above 90% of the limit while work is waiting', () => {
    const calls = log.filter((e) => e.path !== GENERIC_TOKEN_PATH && e.at >= drain.started && e.at <= drain.ended);
    const first = calls[0]?.at ?? drain.started;
    const last = calls[calls.length - 1]?.at ?? drain.ended;
    // Whole seconds strictly inside the drain: the first and the last are partly idle by construction.
    const inner = perSecond(Math.ceil(first / 1000) * 1000, Math.floor(last / 1000) * 1000);
    expect(inner.length).toBeGreaterThanOrEqual(8);
    const rate = inner.reduce((sum, n) => sum + n, 0) / inner.length;
    expect(rate, `calls per second: ${inner.join(' ')}`).toBeGreaterThan(0.9 * LIMIT);
  });

  it('reuse one replica’s OAuth token, so the vendor sees 1 token request in all', () => {
    expect(log.filter((e) => e.path === GENERIC_TOKEN_PATH)).toHaveLength(1);
  });

  it('stop every process on SIGTERM', async () => {
    if (!cluster?.child.pid) throw new Error('no cluster');
    // Its children: the simulators and three gateways (tsx may add a compiler service of its own, not counted).
    const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(cluster.child.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => /dist\/main\.js|serve-all/.test(line))
      .map((line) => Number(line.trim().split(/\s+/)[0]))
      .filter((pid) => pid > 0);
    expect(children).toHaveLength(4);
    cluster.child.kill('SIGTERM');
    expect(await cluster.exited).toBe(0);
    const alive = children.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
