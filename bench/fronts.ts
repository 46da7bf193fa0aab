/**
 * Figure 1c (issue 7's "HTTP layer"): the gateway's own fastify front door against a plain node:http server
 * serving the same gateway's GraphQL, both in one process (bench/fronts-gateway.ts, run through tsx, so only
 * the HTTP layer differs), loaded in turn with figure 1a's query, cache warm. Above 1, fastify serves more
 * requests per second; below 0.95 it costs requests per second, and the README says so.
 */
import { post } from './client.ts';
import { gatewayEnv } from './gateway.ts';
import { load, type LoadResult } from './load.ts';
import { start } from './processes.ts';
import { ENQUIRIES_WITH_ASSIGNEES } from './queries.ts';
import { median, type Figure } from './report.ts';
import type { ThroughputSettings } from './throughput.ts';

const FRONTS_READY = /BENCH_FRONTS (\{.*\})/;
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 2) : 'n/a');

export async function frontsFigure(s: ThroughputSettings): Promise<Figure> {
  const env = gatewayEnv(s.sims, s.key, { ...s.gatewayEnv, CACHE_TTL_MS: '600000' });
  const child = start('gateway (node:http and fastify)', ['--import', 'tsx', new URL('./fronts-gateway.ts', import.meta.url).pathname], env);
  try {
    const [, json = '{}'] = await child.waitFor(FRONTS_READY);
    const urls = JSON.parse(json) as { node: string; fastify: string };
    // Warms the cache through one door; both must then answer the same bytes.
    const viaNode = await post(urls.node, s.key.headers, ENQUIRIES_WITH_ASSIGNEES);
    const viaFastify = await post(urls.fastify, s.key.headers, ENQUIRIES_WITH_ASSIGNEES);
    if (viaNode.text !== viaFastify.text) throw new Error(`node:http and fastify answered differently:\n${viaNode.text.slice(0, 300)}\n${viaFastify.text.slice(0, 300)}`);
    const common = { headers: { 'content-type': 'application/json', ...s.key.headers }, connections: s.connections, seconds: s.seconds, failureMarker: '"errors"' };
    const body = JSON.stringify({ query: ENQUIRIES_WITH_ASSIGNEES });
    const runs: Array<{ node: LoadResult; fastify: LoadResult }> = [];
    for (let run = 0; run < s.runs; run += 1) {
      // Alternating which goes first, so that neither always meets the machine's load first.
      const [first, second] = run % 2 === 0 ? (['node', 'fastify'] as const) : (['fastify', 'node'] as const);
      const a = await load({ ...common, url: urls[first], body });
      const b = await load({ ...common, url: urls[second], body });
      const result = first === 'node' ? { node: a, fastify: b } : { node: b, fastify: a };
      runs.push(result);
      s.log(`  1c run ${run + 1}: node:http ${fmt(result.node.requestsPerSecond)} req/s (p50 ${fmt(result.node.p50Ms)} ms), fastify ${fmt(result.fastify.requestsPerSecond)} req/s (p50 ${fmt(result.fastify.p50Ms)} ms)`);
    }
    const ratio = runs.map((r) => r.fastify.requestsPerSecond / r.node.requestsPerSecond);
    const value = median(ratio);
    return {
      id: '1c',
      name: 'req/s, fastify front door ÷ plain node:http, same gateway in one process, cache warm',
      value,
      unit: '×',
      target: { kind: 'none' },
      runs: ratio,
      notes:
        `node:http ${fmt(median(runs.map((r) => r.node.requestsPerSecond)))} req/s (p50 ${fmt(median(runs.map((r) => r.node.p50Ms)))} ms), ` +
        `fastify ${fmt(median(runs.map((r) => r.fastify.requestsPerSecond)))} req/s (p50 ${fmt(median(runs.map((r) => r.fastify.p50Ms)))} ms); ` +
        `same bytes from both; failures ${runs.reduce((n, r) => n + r.node.failures + r.fastify.failures, 0)}; ` +
        verdict(value),
    };
  } finally {
    await child.stop();
  }
}

/** Runs on a shared machine differ by several per cent on their own; within 5 % is no difference. */
function verdict(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'not measured';
  if (ratio < 0.95) return 'fastify loses requests per second against plain node:http';
  if (ratio > 1.05) return 'fastify serves more requests per second';
  return 'no difference beyond 5 %: fastify does not lose requests per second';
}
