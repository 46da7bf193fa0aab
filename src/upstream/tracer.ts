/**
 * The hook the core calls so that each upstream attempt can be traced. It names no tracing library: the
 * server fills it in (src/server/tracing.ts, OpenTelemetry) and the core only reports what it does. The
 * current trace is whatever the implementation keeps in async context, so nothing rides in CallContext.
 */

/** What an attempt is, in the same low-cardinality terms as metrics: never ids, bodies or credentials. */
export interface AttemptInfo {
  readonly vendor: string;
  readonly operation: string;
  readonly method: string;
}

export interface UpstreamTracer {
  /** An attempt starts: it joins the rate queue now. Must not throw. */
  attemptStarted(info: AttemptInfo): AttemptTrace;
}

export interface AttemptTrace {
  /** The attempt left the queue and is about to be sent. Answers headers to send with it (W3C `traceparent`). */
  sending(): Readonly<Record<string, string>>;
  /** The attempt is over: `status` undefined when no answer came, `outcome` `ok` or the problem kind. */
  end(status: number | undefined, outcome: string): void;
}
