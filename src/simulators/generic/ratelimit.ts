/**
 * The Generic OAuth2 API's rate limit: a fixed window per OAuth client, and the several ways vendors of this
 * kind report it (vendors.md: Reset "in the wild" as epoch seconds, epoch ms or a delta, plus the IETF
 * fields). The limits object is read on every request, so tests and demos can change it while running.
 */
import {
  GENERIC_IETF_DRAFT_RATE_HEADERS,
  GENERIC_IETF_RATE_HEADERS,
  GENERIC_RATE_HEADERS,
} from '../../vendors/generic/wire.ts';

export const GENERIC_HEADER_STYLES = ['epoch-seconds', 'delta-seconds', 'epoch-ms', 'ietf', 'ietf-draft'] as const;
/**
 * - `epoch-seconds`: X-RateLimit-Limit / -Remaining / -Reset, Reset as epoch seconds.
 * - `delta-seconds`: the same, Reset as seconds until the window resets.
 * - `epoch-ms`: the same, Reset as epoch milliseconds.
 * - `ietf`: `RateLimit: "default";r=<remaining>;t=<seconds>` and `RateLimit-Policy: "default";q=<limit>;w=<window>`.
 * - `ietf-draft`: RateLimit-Limit / -Remaining / -Reset, Reset as seconds until the window resets.
 */
export type GenericHeaderStyle = (typeof GENERIC_HEADER_STYLES)[number];

export interface GenericLimits {
  /** Requests each client may make per window. Default 50. */
  limit: number;
  /** Window length in seconds; windows are aligned to multiples of it on the clock. Default 10. */
  windowSeconds: number;
  /** How the limit is reported on every answer. Default `epoch-seconds`. */
  headerStyle: GenericHeaderStyle;
}

export const DEFAULT_GENERIC_LIMITS: Readonly<GenericLimits> = Object.freeze({
  limit: 50,
  windowSeconds: 10,
  headerStyle: 'epoch-seconds',
});

/** Where a client stands in its current window. */
export interface WindowView {
  readonly limit: number;
  readonly remaining: number;
  readonly windowSeconds: number;
  readonly resetAtMs: number;
  readonly nowMs: number;
}

export type RateDecision = { kind: 'allowed'; view: WindowView } | { kind: 'limited'; view: WindowView };

interface WindowState {
  start: number;
  lengthMs: number;
  used: number;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, WindowState>();

  constructor(
    private readonly limits: GenericLimits,
    private readonly clock: () => number,
  ) {}

  /** Spends one request for `clientId` if the window has room; a refused request spends nothing. */
  take(clientId: string): RateDecision {
    const state = this.current(clientId);
    if (state.used >= this.limits.limit) return { kind: 'limited', view: this.view(state) };
    state.used += 1;
    return { kind: 'allowed', view: this.view(state) };
  }

  /** The client's standing without spending anything: for headers on answers already counted. */
  peek(clientId: string): WindowView {
    return this.view(this.current(clientId));
  }

  private current(clientId: string): WindowState {
    const now = this.clock();
    const lengthMs = Math.max(1, this.limits.windowSeconds * 1000);
    const start = Math.floor(now / lengthMs) * lengthMs;
    const existing = this.windows.get(clientId);
    // A changed window length starts a fresh window, so a live change takes effect at once.
    if (existing && existing.start === start && existing.lengthMs === lengthMs) return existing;
    const fresh: WindowState = { start, lengthMs, used: 0 };
    this.windows.set(clientId, fresh);
    return fresh;
  }

  private view(state: WindowState): WindowView {
    return {
      limit: this.limits.limit,
      remaining: Math.max(0, this.limits.limit - state.used),
      windowSeconds: this.limits.windowSeconds,
      resetAtMs: state.start + state.lengthMs,
      nowMs: this.clock(),
    };
  }
}

/** Whole seconds until the window resets, at least 1 so a client never retries in a tight loop. */
export function secondsUntilReset(view: WindowView): number {
  return Math.max(1, Math.ceil((view.resetAtMs - view.nowMs) / 1000));
}

export function rateLimitHeaders(style: GenericHeaderStyle, view: WindowView): Record<string, string> {
  const delta = secondsUntilReset(view);
  switch (style) {
    case 'epoch-seconds':
    case 'delta-seconds':
    case 'epoch-ms': {
      const reset =
        style === 'epoch-seconds' ? Math.ceil(view.resetAtMs / 1000) : style === 'epoch-ms' ? view.resetAtMs : delta;
      return {
        [GENERIC_RATE_HEADERS.limit]: String(view.limit),
        [GENERIC_RATE_HEADERS.remaining]: String(view.remaining),
        [GENERIC_RATE_HEADERS.reset]: String(reset),
      };
    }
    case 'ietf':
      return {
        [GENERIC_IETF_RATE_HEADERS.rateLimit]: `"default";r=${view.remaining};t=${delta}`,
        [GENERIC_IETF_RATE_HEADERS.policy]: `"default";q=${view.limit};w=${view.windowSeconds}`,
      };
    case 'ietf-draft':
      return {
        [GENERIC_IETF_DRAFT_RATE_HEADERS.limit]: String(view.limit),
        [GENERIC_IETF_DRAFT_RATE_HEADERS.remaining]: String(view.remaining),
        [GENERIC_IETF_DRAFT_RATE_HEADERS.reset]: String(delta),
      };
  }
}
