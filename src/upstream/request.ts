/**
 * The shape of one upstream call, before and after it is turned into bytes. Vendors describe calls as
 * `UpstreamRequest`; their `authorize` hook sees the `OutgoingRequest` about to be sent.
 */

import type { ResponseHeaders } from './response-headers.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ParamValue = string | number | boolean | readonly (string | number | boolean)[] | null | undefined;
export type Params = Readonly<Record<string, ParamValue>>;

export interface UpstreamRequest {
  readonly method: HttpMethod;
  /** Relative to the vendor's base URL, without a leading slash: `care-enquiries/abc`. */
  readonly path: string;
  /** Null and undefined values are left out; arrays repeat the key. */
  readonly query?: Params;
  /** A URL-encoded form body (CareHQ). Arrays repeat the key. */
  readonly form?: Params;
  readonly json?: unknown;
  readonly bytes?: { readonly data: Uint8Array; readonly contentType: string };
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Whether sending the call twice is harmless. Default: true for GET only. A vendor whose PUT creates a
   * record (CareHQ) must leave it false; only calls marked true are retried after a 5xx or a timeout.
   */
  readonly idempotent?: boolean;
  /** Keep a GET's answer for this long, in ms. Default 0: only identical in-flight GETs share an answer. */
  readonly cacheTtlMs?: number;
  /** A short name for logs and metrics, e.g. `listEnquiries`. Default: the method and path. */
  readonly operation?: string;
}

export interface OutgoingRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  /** The request's path relative to the base URL, as the vendor's signature schemes want it. */
  readonly path: string;
  /** The query (for GET) or form (otherwise) as ordered key/value pairs, for signature schemes. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  readonly body: unknown;
  readonly bytes: Uint8Array;
}

export function toPairs(params: Params | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === null || value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values as ReadonlyArray<string | number | boolean>) pairs.push([key, String(v)]);
  }
  return pairs;
}

/**
 * A GET's identity for the response cache and in-flight sharing: base URL, path and query, as the URL would
 * carry them. Built as a string, not a URL: a cache hit makes one on every lookup, and parsing and serialising
 * a URL there cost more than the hit itself.
 */
export function requestKey(baseUrl: string, req: UpstreamRequest): string {
  let key = `${baseUrl}${req.path.replace(/^\/+/, '')}`;
  let separator = '?';
  for (const [k, v] of toPairs(req.query)) {
    key += `${separator}${encodeURIComponent(k)}=${encodeURIComponent(v)}`;
    separator = '&';
  }
  return key;
}

export function buildOutgoing(baseUrl: string, req: UpstreamRequest): OutgoingRequest {
  const path = req.path.replace(/^\/+/, '');
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const queryPairs = toPairs(req.query);
  // Serialised once, as appending pair by pair would serialise and reparse the URL's search on every append.
  // Added to any query the path itself carries, as append would.
  if (queryPairs.length > 0) {
    const query = new URLSearchParams(url.search);
    for (const [k, v] of queryPairs) query.append(k, v);
    url.search = query.toString();
  }
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | Uint8Array | undefined;
  let params: Array<[string, string]> = queryPairs;
  if (req.form !== undefined) {
    params = toPairs(req.form);
    body = new URLSearchParams(params).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['content-type'] = 'application/json';
  } else if (req.bytes !== undefined) {
    body = req.bytes.data;
    headers['content-type'] = req.bytes.contentType;
  }
  if (req.method !== 'GET' && req.form === undefined) params = [];
  return { method: req.method, url, path, params, headers, body };
}
