import type { QueryResolvers, VendorStatus } from '../../__generated__/resolvers-types.ts';
import type { VendorHandle } from '../../vendors.ts';

const CIRCUIT = { closed: 'CLOSED', open: 'OPEN', 'half-open': 'HALF_OPEN', isolated: 'ISOLATED' } as const;

async function statusOf(handle: VendorHandle): Promise<VendorStatus> {
  const status = await handle.client.status();
  const { stats, budget } = status;
  // Judged from calls already made, so asking costs the vendor nothing: a 5xx or a failed connection as the
  // latest outcome, or an open circuit, means unreachable.
  const lastWasFailure = (stats.lastFailureAt ?? 0) > (stats.lastSuccessAt ?? 0) && (stats.lastStatus === undefined || stats.lastStatus >= 500);
  const quota = await handle.quota?.();
  const date = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));
  return {
    vendor: handle.vendor,
    mode: handle.mode,
    reachable: status.circuit !== 'open' && !lastWasFailure,
    circuit: CIRCUIT[status.circuit],
    rateBudget: {
      limit: budget.limit,
      remaining: Math.max(0, budget.remaining),
      blockedUntil: budget.blockedUntil > Date.now() ? new Date(budget.blockedUntil) : null,
      learned: budget.learned,
    },
    queueDepth: status.queueDepth,
    quota: quota ?? null,
    calls: stats.calls,
    failures: stats.failures,
    rateLimitedResponses: stats.rateLimited,
    lastStatus: stats.lastStatus ?? null,
    lastSuccessAt: date(stats.lastSuccessAt),
    lastFailureAt: date(stats.lastFailureAt),
    extensions: (handle.extensions?.() ?? []).map((learned) => ({
      name: learned.extension,
      support: learned.support === 'supported' ? 'SUPPORTED' : 'UNSUPPORTED',
      since: new Date(learned.since),
    })),
  };
}

export const statusQueries: QueryResolvers = {
  vendorStatus: (_parent, _args, context) => Promise.all(context.vendors.handles.map(statusOf)),
};
