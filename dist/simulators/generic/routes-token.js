/**
 * The token endpoint: client credentials in (HTTP Basic or the form body), a bearer token out. Not rate limited
 * and needs no bearer; see server.ts for why.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readForm } from "../http.js";
import { fail, header } from "./answers.js";
export function tokenHandler(settings, store, stats) {
    const { clock, credentials } = settings;
    function issueToken(req) {
        stats.tokenRequests += 1;
        const form = readForm(req);
        const client = clientCredentials(req, form);
        if (!client || !sameSecret(client, credentials)) {
            return {
                ...fail(401, 'INVALID_CLIENT', 'client authentication failed: unknown client_id or wrong client_secret'),
                headers: { 'www-authenticate': 'Basic realm="generic-api"' },
            };
        }
        const grantType = form.get('grant_type')?.[0];
        if (grantType !== 'client_credentials') {
            return fail(400, 'UNSUPPORTED_GRANT_TYPE', 'only grant_type=client_credentials is supported', {
                field: 'grant_type',
                value: grantType ?? null,
            });
        }
        const accessToken = `gat_${randomBytes(24).toString('base64url')}`;
        store.tokens.set(accessToken, { clientId: client.clientId, expiresAt: clock() + settings.tokenTtlSeconds * 1000 });
        stats.tokensIssued += 1;
        const body = {
            access_token: accessToken,
            token_type: 'Bearer',
            expires_in: settings.tokenTtlSeconds,
        };
        // RFC 6749 5.1: token answers must not be cached.
        return { status: 200, headers: { 'cache-control': 'no-store', pragma: 'no-cache' }, body };
    }
    return issueToken;
}
/** client_id/client_secret from HTTP Basic (preferred, RFC 6749 2.3.1) or the form body. */
function clientCredentials(req, form) {
    const basic = /^Basic\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
    if (basic?.[1]) {
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0)
            return undefined;
        // RFC 6749 2.3.1 form-encodes both parts before Basic encoding them.
        const unform = (s) => {
            try {
                return decodeURIComponent(s.replace(/\+/g, ' '));
            }
            catch {
                return s;
            }
        };
        return { clientId: unform(decoded.slice(0, colon)), clientSecret: unform(decoded.slice(colon + 1)) };
    }
    const clientId = form.get('client_id')?.[0];
    const clientSecret = form.get('client_secret')?.[0];
    return clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : undefined;
}
function sameSecret(given, known) {
    const digest = (s) => createHash('sha256').update(s).digest();
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    return given.clientId === known.clientId && timingSafeEqual(digest(given.clientSecret), digest(known.clientSecret));
}
//# sourceMappingURL=routes-token.js.map