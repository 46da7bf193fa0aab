/**
 * Sessions: `POST auth/token` trades the API client's id and secret for a bearer token that lives
 * `tokenTtlMs` by the clock; the guard looks tokens up here.
 */
import { randomBytes } from 'node:crypto';
import { error } from "./answers.js";
/** `credentials` is read on every token request, so a reset secret applies at once. */
export function createCasewareAuth(settings, credentials, stats) {
    const { clock } = settings;
    const sessions = new Map();
    function issueToken(req) {
        let body;
        try {
            body = JSON.parse(req.rawBody.toString('utf8'));
        }
        catch {
            return error(400, 'Expected a JSON body {"ClientId","ClientSecret","Language"}');
        }
        const fields = typeof body === 'object' && body !== null ? body : {};
        const { ClientId: clientId, ClientSecret: clientSecret, Language: language } = fields;
        if (typeof clientId !== 'string' || typeof clientSecret !== 'string') {
            return error(400, 'ClientId and ClientSecret are required strings');
        }
        if (language !== undefined && typeof language !== 'string')
            return error(400, 'Language must be a string');
        // One message for a wrong id and a wrong secret, and neither is echoed back.
        if (clientId !== credentials.clientId || clientSecret !== credentials.clientSecret) {
            return error(401, 'Invalid client credentials');
        }
        const token = randomBytes(32).toString('base64url');
        sessions.set(token, { clientId, expiresAt: clock() + settings.tokenTtlMs });
        stats.tokensIssued += 1;
        const answer = { Token: token };
        return { status: 200, body: answer };
    }
    function authenticate(headers) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
        if (!match?.[1])
            return 'Missing bearer token';
        const session = sessions.get(match[1]);
        if (!session)
            return 'Invalid or expired token';
        if (clock() >= session.expiresAt) {
            sessions.delete(match[1]);
            return 'Invalid or expired token';
        }
        return session;
    }
    return { issueToken, authenticate, endSessions: () => sessions.clear() };
}
//# sourceMappingURL=auth.js.map