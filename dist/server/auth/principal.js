import { ANONYMOUS_LOCAL, principal } from "../../domain/access.js";
import { API_KEY_PREFIX, ApiKeyRing } from "./api-keys.js";
import { AuthenticationError } from "./authentication-error.js";
import { createJwtVerifier } from "./jwt.js";
export { AuthenticationError } from "./authentication-error.js";
/** The credential a request carries, if any: from x-api-key, or the Bearer token. */
export function presentedCredential(req) {
    const header = req.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key !== undefined && key.trim() !== '')
        return key.trim();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return match?.[1];
}
/** `jwt`: how tokens are verified when JWT_* is configured (timeouts, clock, logger); see jwt.ts for defaults. */
export function createAuthenticator(auth, options = {}) {
    if (auth.mode === 'open')
        return () => Promise.resolve(ANONYMOUS_LOCAL);
    const keys = new ApiKeyRing(auth.apiKeys);
    const verifyJwt = auth.jwt ? createJwtVerifier(auth.jwt, options.jwt) : undefined;
    return (req) => {
        const credential = presentedCredential(req);
        if (credential === undefined) {
            return Promise.reject(new AuthenticationError('credentials are required: send x-api-key: <key> or Authorization: Bearer <key or JWT>', 'missing'));
        }
        if (credential.startsWith(API_KEY_PREFIX)) {
            const record = keys.match(credential);
            if (!record)
                return Promise.reject(new AuthenticationError('the API key is not valid'));
            return Promise.resolve(principal(`key:${record.name}`, 'api_key', record.scopes));
        }
        if (verifyJwt)
            return verifyJwt(credential);
        return Promise.reject(new AuthenticationError('the bearer token is not valid: this gateway accepts API keys (vgk_...) only'));
    };
}
//# sourceMappingURL=principal.js.map