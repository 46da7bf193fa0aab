/**
 * Who may call and how often: the `api` header key, compared in constant time (or, in token mode, a live
 * `api_key` token instead), then a fixed window per key.
 */
import { timingSafeEqual } from 'node:crypto';
import { CLINICEA_API_KEY_HEADER, CLINICEA_TOKEN_PATH } from "../../vendors/clinicea/wire.js";
import { error, json } from "./answers.js";
import { digest } from "./tokens.js";
const WINDOW_MS = 1000;
export function createCliniceaGuard(credentials, limits, clock, 
/** Set in token mode: tokens are accepted besides the header key. */
tokens) {
    const expectedKey = digest(credentials.apiKey);
    const rateWindow = { start: -1, count: 0 };
    const tooManyRequests = () => {
        const now = clock();
        const windowEnd = (Math.floor(now / WINDOW_MS) + 1) * WINDOW_MS;
        return json(429, error('Too many requests'), {
            'retry-after': String(Math.max(1, Math.ceil((windowEnd - now) / 1000))),
        });
    };
    const guard = (req) => {
        // The login checks its own key, user and password, and is not counted against the key's rate (our choice).
        if (tokens && req.path === CLINICEA_TOKEN_PATH)
            return undefined;
        const sent = req.headers[CLINICEA_API_KEY_HEADER];
        const keyAccepted = typeof sent === 'string' && timingSafeEqual(digest(sent), expectedKey);
        if (!keyAccepted && tokens?.accepts(req) !== true) {
            return json(401, error('Authorization has been denied for this request.'));
        }
        // A fixed window per key: vendors.md lists 429 but no algorithm or headers (our choice).
        const start = Math.floor(clock() / WINDOW_MS) * WINDOW_MS;
        if (start !== rateWindow.start)
            Object.assign(rateWindow, { start, count: 0 });
        rateWindow.count += 1;
        return rateWindow.count > limits.perSecond ? tooManyRequests() : undefined;
    };
    return { guard, tooManyRequests };
}
//# sourceMappingURL=guard.js.map