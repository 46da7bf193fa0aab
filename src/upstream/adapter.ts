/**
 * The hooks a vendor fills in to use the shared upstream core. The core calls these and never asks which
 * vendor it is talking to.
 */
import type { UpstreamProblem } from './errors.ts';
import type { RateSignal, RateSpec } from './rate-limit.ts';
import type { OutgoingRequest, UpstreamResponse } from './request.ts';

export interface ClassifiedError {
  readonly problem: UpstreamProblem;
  /** Safe to show a client: the vendor's hint, never credentials or the raw body. */
  readonly message: string;
  /** Anything the vendor's data source needs from the error body later (e.g. per-item bulk results). */
  readonly details?: unknown;
}

/**
 * The correlation header sent to vendors. None of the five vendors' docs names one, and none limits the
 * headers a request may carry (CareHQ signs only the method, path and parameters); so each sends the de
 * facto `x-request-id`, which a vendor's support can search for and which costs nothing where it is ignored.
 */
export const REQUEST_ID_HEADER = 'x-request-id';

export interface VendorAdapter {
  /** Stable lower-case name used in errors, logs and metrics: `carehq`. */
  readonly vendor: string;
  /** Everything requests are relative to, e.g. `https://api.carehq.co.uk/v1/`. */
  readonly baseUrl: string;
  /**
   * Names the budget this adapter's calls draw on: one per vendor and credential (never the secret
   * itself), so two keys for one vendor get two budgets and two replicas with one key share one.
   */
  readonly budgetKey: string;
  /** The documented limit, used until responses say otherwise. */
  readonly rateSpec: RateSpec;
  /**
   * The request header the vendor accepts a caller's correlation id in; the core sends the request id of
   * the GraphQL request each call is made for. Unset: no id is sent.
   */
  readonly correlationHeader?: string;
  /** Adds credentials. Runs after the queue, right before sending, so timestamps and tokens are fresh. */
  authorize(request: OutgoingRequest): OutgoingRequest | Promise<OutgoingRequest>;
  /**
   * Called once after a 401, with the request the vendor refused (so a token cache can tell a stale token
   * from one already replaced). Resolve true when fresh credentials are worth exactly one more try (an
   * OAuth token refresh); false or absent means the 401 stands.
   */
  refreshCredentials?(refused: OutgoingRequest | undefined): Promise<boolean>;
  /**
   * Asked before a call joins the queue. Answer a problem to refuse it without touching the vendor (a
   * monthly quota known to be used up); undefined lets it through. May be async, for a count kept in Redis.
   */
  admit?(now: number): ClassifiedError | undefined | Promise<ClassifiedError | undefined>;
  /** Reads the vendor's rate-limit headers (and, for a 429, how long to back off). */
  readRateSignal(response: UpstreamResponse, now: number): RateSignal;
  /** Turns a non-2xx answer into a problem, reading the vendor's own error shape. */
  classifyError(response: UpstreamResponse, now: number): ClassifiedError;
}

