/**
 * Token login, for simulators started with `authMode: 'token'` (the calls are described in the vendor's
 * wire.ts): `GET login/getTokenByApiKey` with the key, a user name and a password answers `{ Token }`, and a
 * token is good for `tokenTtlMs` by the simulator's clock. Tokens live in memory only.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CLINICEA_TOKEN_PARAM } from "../../vendors/clinicea/wire.js";
import { error, json } from "./answers.js";
export function createCliniceaTokens(credentials, users, ttlMs, clock) {
    const stats = { requests: 0, issued: 0, refused: 0, rejected: 0 };
    const live = new Map();
    const expectedKey = digest(credentials.apiKey);
    const login = (req) => {
        stats.requests += 1;
        const apiKey = req.query.get('apiKey');
        const username = req.query.get('loginUserName');
        const password = req.query.get('pwd');
        if (!apiKey || !username || password === null) {
            stats.refused += 1;
            return json(400, error('apiKey, loginUserName and pwd are required.'));
        }
        const keyMatches = timingSafeEqual(digest(apiKey), expectedKey);
        const user = users.find((candidate) => candidate.username === username);
        // Compare the password even for an unknown user, so that timing does not tell users apart.
        const passwordMatches = timingSafeEqual(digest(password), digest(user?.password ?? ''));
        if (!keyMatches || !user || !passwordMatches) {
            stats.refused += 1;
            return json(401, error('Invalid API key, user name or password.'));
        }
        const now = clock();
        for (const [token, expiresAt] of live)
            if (expiresAt <= now)
                live.delete(token);
        const token = randomBytes(24).toString('hex');
        live.set(token, now + ttlMs);
        stats.issued += 1;
        const body = { Token: token };
        return json(200, body);
    };
    const accepts = (req) => {
        const token = req.query.get(CLINICEA_TOKEN_PARAM);
        if (token === null)
            return undefined;
        const expiresAt = live.get(token);
        if (expiresAt !== undefined && clock() < expiresAt)
            return true;
        stats.rejected += 1;
        return false;
    };
    return { stats, login, accepts, revoke: () => live.clear() };
}
/** Hashing first gives equal-length buffers, which timingSafeEqual needs, whatever the caller sent. */
export function digest(value) {
    return createHash('sha256').update(value).digest();
}
//# sourceMappingURL=tokens.js.map