/**
 * Figure 3: vendor calls per query against the fewest the answer needs, read from the simulators' request
 * logs, with the cache off (every run reaches the vendors) and the vendors at their documented limits. Token
 * calls are left out: a process pays them once per token lifetime, not per query.
 */
import { clearSimLog, data, isDataCall, simLog, sleep } from './client.ts';
import type { GatewayProcess } from './gateway.ts';
import { CALLS_QUERIES, NODES_LOWER_BOUND, NODES_QUERY } from './queries.ts';
import { median, type Figure } from './report.ts';
import { VENDORS, type SimulatorSet } from './sim-set.ts';

interface Ided {
  readonly id: string;
}

async function callsFor(gateway: GatewayProcess, sims: SimulatorSet, headers: Readonly<Record<string, string>>, query: string, variables: Record<string, unknown> = {}): Promise<{ calls: number; byVendor: string }> {
  await Promise.all(VENDORS.map((vendor) => clearSimLog(sims[vendor].baseUrl)));
  await data(gateway.url, headers, query, variables);
  const counts = await Promise.all(VENDORS.map(async (vendor) => [vendor, (await simLog(sims[vendor].baseUrl)).filter(isDataCall).length] as const));
  return {
    calls: counts.reduce((sum, [, n]) => sum + n, 0),
    byVendor: counts.filter(([, n]) => n > 0).map(([vendor, n]) => `${vendor} ${n}`).join(', '),
  };
}

/** Six global ids of each kind, from the answers of the list queries. */
async function mixedIds(gateway: GatewayProcess, headers: Readonly<Record<string, string>>): Promise<string[]> {
  const six = (items: readonly Ided[]) => items.slice(0, 6).map((item) => item.id);
  const e = await data<{ enquiries: { nodes: Ided[] } }>(gateway.url, headers, '{ enquiries(first: 6) { nodes { id } } }');
  const l = await data<{ leads: { nodes: Ided[] } }>(gateway.url, headers, '{ leads(first: 6) { nodes { id } } }');
  const c = await data<{ clients: { nodes: Ided[] } }>(gateway.url, headers, '{ clients(first: 6) { nodes { id } } }');
  const hq = await data<{ users: { nodes: Ided[] } }>(gateway.url, headers, '{ users(first: 6, vendors: [CAREHQ]) { nodes { id } } }');
  const g = await data<{ users: { nodes: Ided[] } }>(gateway.url, headers, '{ users(first: 6, vendors: [GENERIC]) { nodes { id } } }');
  const ids = [...six(e.enquiries.nodes), ...six(l.leads.nodes), ...six(c.clients.nodes), ...six(hq.users.nodes), ...six(g.users.nodes)];
  if (ids.length !== 30) throw new Error(`expected 30 ids for nodes, got ${ids.length}`);
  // Interleaved, as a client holding a mixed list would send them.
  return ids.map((id, i) => ({ id, order: (i % 6) * 5 + Math.floor(i / 6) })).sort((a, b) => a.order - b.order).map((x) => x.id);
}

export async function upstreamCallFigures(
  gateway: GatewayProcess,
  sims: SimulatorSet,
  headers: Readonly<Record<string, string>>,
  runs: number,
  log: (line: string) => void,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  // Tokens first, so that no measured query pays for a login.
  await data(gateway.url, headers, '{ users(first: 1) { nodes { id } } clients(first: 1) { nodes { id } } }');
  const ids = await mixedIds(gateway, headers);
  const cases = [
    ...CALLS_QUERIES.map((q) => ({ ...q, variables: {} as Record<string, unknown> })),
    { id: '3e', name: 'nodes(ids:) over 30 mixed ids', query: NODES_QUERY, variables: { ids }, lowerBound: NODES_LOWER_BOUND.calls, why: NODES_LOWER_BOUND.why },
  ];
  for (const c of cases) {
    const seen: Array<{ calls: number; byVendor: string }> = [];
    for (let run = 0; run < runs; run += 1) {
      // A fresh second each time: at the documented limits a run must not wait on the previous one's budget.
      await sleep(1100);
      seen.push(await callsFor(gateway, sims, headers, c.query, c.variables));
    }
    const calls = seen.map((s) => s.calls);
    log(`  ${c.id} ${c.name}: ${calls.join(', ')} calls (lower bound ${c.lowerBound}; ${seen[0]?.byVendor ?? ''})`);
    figures.push({
      id: c.id,
      name: `vendor calls ÷ lower bound: ${c.name}`,
      value: median(calls) / c.lowerBound,
      unit: '×',
      target: { kind: 'at_most', value: 1 },
      runs: calls.map((n) => n / c.lowerBound),
      notes: `${median(calls)} calls (${seen[0]?.byVendor ?? ''}); bound ${c.lowerBound}: ${c.why}`,
    });
  }
  return figures;
}
