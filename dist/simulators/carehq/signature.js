/**
 * How the CareHQ simulator checks a request's signature (vendors.md, "CareHQ", signing). Written from the
 * vendor's SDKs, not shared with the gateway's signer: if both read the docs the same wrong way, a shared
 * implementation would hide it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { CAREHQ_AUTH_HEADERS, CAREHQ_PREFIX } from "../../vendors/carehq/wire.js";
/** Sorted `[key, value]` pairs: keys sorted, each key's values sorted, as both SDK schemes order them. */
export function canonicalPairs(params) {
    const byKey = new Map();
    for (const [key, value] of params)
        byKey.set(key, [...(byKey.get(key) ?? []), value]);
    const out = [];
    for (const key of [...byKey.keys()].sort()) {
        for (const value of (byKey.get(key) ?? []).sort())
            out.push([key, value]);
    }
    return out;
}
/** Version 2.0: the lines the HMAC covers. No parameters still leaves a trailing `\n` after the path. */
export function stringToSignV2(timestamp, nonce, method, path, params) {
    const cleanPath = path.replace(/^\/+|\/+$/g, '');
    const lines = canonicalPairs(params).map(([key, value]) => `${key}=${value}`);
    return [timestamp, nonce, method.toUpperCase(), `${CAREHQ_PREFIX}/${cleanPath}`, lines.join('\n')].join('\n');
}
export function signV2(secret, toSign) {
    return createHmac('sha256', secret).update(toSign, 'utf8').digest('hex');
}
/** Legacy: SHA-1 of timestamp + every key followed by its values + secret. */
export function signLegacy(secret, timestamp, pairs) {
    let body = '';
    let previous;
    for (const [key, value] of pairs) {
        // A key is written once, then each of its values, so pairs must arrive grouped by key.
        if (key !== previous)
            body += key;
        body += value;
        previous = key;
    }
    return createHash('sha1').update(`${timestamp}${body}${secret}`, 'utf8').digest('hex');
}
/**
 * Remembers v2 nonces for as long as their timestamp would still pass the staleness check; after that the
 * timestamp check alone rejects a replay, so the entry can go.
 */
export class NonceLedger {
    seen = new Map();
    /** False when `nonce` was already used; otherwise records it. */
    claim(nonce, timestampSeconds, nowSeconds, toleranceSeconds) {
        for (const [key, at] of this.seen) {
            if (at + toleranceSeconds < nowSeconds)
                this.seen.delete(key);
        }
        if (this.seen.has(nonce))
            return false;
        this.seen.set(nonce, timestampSeconds);
        return true;
    }
    get size() {
        return this.seen.size;
    }
}
/** Checks the signature headers of a request whose account id and API key are already known to be right. */
export function verifyCareHqSignature(req, ctx) {
    const timestamp = header(req.headers, CAREHQ_AUTH_HEADERS.timestamp);
    const signature = header(req.headers, CAREHQ_AUTH_HEADERS.signature);
    const version = header(req.headers, CAREHQ_AUTH_HEADERS.signatureVersion);
    if (!timestamp || !signature) {
        return reject('Missing X-CareHQ-Timestamp or X-CareHQ-Signature header.');
    }
    // The v2 SDKs send integer seconds; the legacy PHP SDK sends microtime(true), e.g. `1717232400.1234`.
    const pattern = version === undefined ? /^\d+(\.\d+)?$/ : /^\d+$/;
    if (!pattern.test(timestamp))
        return reject('X-CareHQ-Timestamp must be epoch seconds.');
    const skew = Math.abs(Number(timestamp) - ctx.nowSeconds);
    if (skew > ctx.toleranceSeconds) {
        return reject(`Stale timestamp: more than ${ctx.toleranceSeconds} seconds from the server's time.`);
    }
    if (version === undefined)
        return verifyLegacy(req, ctx, timestamp, signature);
    if (version !== '2.0')
        return reject('Unsupported X-CareHQ-Signature-Version; expected 2.0.');
    const nonce = header(req.headers, CAREHQ_AUTH_HEADERS.nonce);
    if (!nonce)
        return reject('Missing X-CareHQ-Nonce header.');
    const expected = signV2(ctx.secret, stringToSignV2(timestamp, nonce, req.method, decodePath(req.path), req.params));
    if (!sameHex(expected, signature))
        return reject('Signature does not match the request.');
    // Claimed only after the signature holds, so a forger cannot burn nonces that a real client will use.
    if (!ctx.nonces.claim(nonce, Number(timestamp), ctx.nowSeconds, ctx.toleranceSeconds)) {
        return reject('Nonce already used; every request needs a fresh X-CareHQ-Nonce.');
    }
    return { kind: 'ok' };
}
function verifyLegacy(req, ctx, timestamp, signature) {
    // The documented order is sorted; the old Python and PHP SDKs concatenate in insertion order, which is the
    // order the parameters arrive in. Either is accepted, as both clients exist in the wild.
    const sorted = signLegacy(ctx.secret, timestamp, canonicalPairs(req.params));
    const asSent = signLegacy(ctx.secret, timestamp, groupedInArrivalOrder(req.params));
    if (sameHex(sorted, signature) || sameHex(asSent, signature))
        return { kind: 'ok' };
    return reject('Signature does not match the request.');
}
function groupedInArrivalOrder(params) {
    const byKey = new Map();
    for (const [key, value] of params)
        byKey.set(key, [...(byKey.get(key) ?? []), value]);
    return [...byKey].flatMap(([key, values]) => values.map((value) => [key, value]));
}
function sameHex(expected, given) {
    const a = Buffer.from(expected, 'utf8');
    const b = Buffer.from(given.toLowerCase(), 'utf8');
    // timingSafeEqual throws on unequal lengths; compare against itself so the time spent does not reveal it.
    if (a.length !== b.length) {
        timingSafeEqual(a, a);
        return false;
    }
    return timingSafeEqual(a, b);
}
/** Clients sign the path as they wrote it, before their HTTP library percent-encoded it. */
function decodePath(path) {
    try {
        return decodeURIComponent(path);
    }
    catch {
        return path;
    }
}
export function header(headers, name) {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
}
function reject(hint) {
    return { kind: 'rejected', hint };
}
//# sourceMappingURL=signature.js.map