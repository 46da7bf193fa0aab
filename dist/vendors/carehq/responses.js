import { problemForStatus } from "../../upstream/errors.js";
import { parseRetryAfter, readLimitRemainingReset } from "../../upstream/rate-headers.js";
import { CAREHQ_RATE_HEADERS } from "./wire.js";
export function readRateSignal(response, now) {
    const signal = readLimitRemainingReset(response.headers, now, CAREHQ_RATE_HEADERS);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
    if (response.status !== 429)
        return signal;
    // A 429 without Retry-After: wait for the window the headers name, else a whole window (1 s).
    const untilReset = signal.resetAt !== undefined ? Math.max(0, signal.resetAt - now) : 1000;
    return { ...signal, retryAfterMs: retryAfterMs ?? untilReset };
}
function isErrorBody(body) {
    return typeof body === 'object' && body !== null && 'hint' in body;
}
export function classifyError(response, now) {
    const body = isErrorBody(response.body) ? response.body : undefined;
    const hint = typeof body?.hint === 'string' && body.hint ? body.hint : `CareHQ answered ${response.status}`;
    // The SDKs treat 405 like 403. Checked first: problemForStatus calls any unnamed 4xx bad_request.
    if (response.status === 405)
        return { problem: { kind: 'forbidden' }, message: hint };
    const base = problemForStatus(response.status);
    if (base.kind === 'bad_request') {
        return {
            problem: { kind: 'bad_request', fieldErrors: body?.arg_errors, vendorCode: body?.error_type },
            message: hint,
        };
    }
    if (base.kind === 'rate_limited') {
        return { problem: { kind: 'rate_limited', retryAfterMs: readRateSignal(response, now).retryAfterMs ?? 1000 }, message: hint };
    }
    return { problem: base, message: hint };
}
//# sourceMappingURL=responses.js.map