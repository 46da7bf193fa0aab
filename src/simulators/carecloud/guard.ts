/**
 * Who may call and how often, in API Gateway's order: the route must exist, then the `x-api-key` must be known,
 * then the key's usage plan (./limits.ts) must admit the call.
 */
import { randomUUID } from 'node:crypto';
import { CARECLOUD_HEADERS } from '../../vendors/carecloud/wire.ts';
import type { SimRequest, SimResponse, SimRouter } from '../http.ts';
import { forbidden, gatewayError, header, missingToken } from './answers.ts';
import type { CareCloudLimiter } from './limits.ts';

export interface CareCloudGuard {
  /** Runs before routing: a 403 or 429 here ends the request. */
  readonly guard: (req: SimRequest) => SimResponse | undefined;
  /** Refunds a call an injected 429 answered, and adds the gateway's request id. */
  readonly decorate: (req: SimRequest, res: SimResponse) => Record<string, string>;
}

export function createCareCloudGuard(
  router: SimRouter,
  apiKeys: ReadonlySet<string>,
  limiter: CareCloudLimiter,
): CareCloudGuard {
  // Requests the limiter counted, so that an injected 429 (which the guard cannot see coming) is refunded: the
  // gateway never counts a throttled call against the quota. Keyed by the headers object, the one thing the
  // guard and decorate hooks share for a request.
  const counted = new WeakMap<object, { apiKey: string; month: string }>();

  return {
    guard: (req) => {
      // API Gateway matches the route before it looks at the key, so an unknown path never says Forbidden.
      if (!router.match(req.method, req.path)) return missingToken();
      const apiKey = header(req, CARECLOUD_HEADERS.apiKey);
      if (apiKey === undefined || !apiKeys.has(apiKey)) return forbidden();
      const admission = limiter.admit(apiKey);
      switch (admission.kind) {
        case 'quota_exceeded':
          return gatewayError(429, 'quotaExceeded');
        case 'throttled':
          return gatewayError(429, 'throttled');
        case 'allowed':
          counted.set(req.headers, { apiKey, month: admission.month });
          return undefined;
      }
    },
    decorate: (req, res) => {
      const admitted = counted.get(req.headers);
      counted.delete(req.headers);
      if (admitted && res.status === 429) limiter.refund(admitted.apiKey, admitted.month);
      return { 'x-amzn-RequestId': randomUUID() };
    },
  };
}
