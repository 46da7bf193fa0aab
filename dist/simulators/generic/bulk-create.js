/**
 * `POST users/bulk`: up to GENERIC_BULK_MAX users checked one by one with a result per item (201, 207 or 400),
 * and Idempotency-Key replay of the first answer for the same key and body.
 */
import { createHash } from 'node:crypto';
import { GENERIC_BULK_MAX, GENERIC_IDEMPOTENCY_HEADER, GENERIC_IDEMPOTENT_REPLAY_HEADER, GENERIC_ROLES, } from "../../vendors/generic/wire.js";
import { prng } from "../seed.js";
import { fail, header } from "./answers.js";
import { userId } from "./seed.js";
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME_LENGTH = 100;
export function bulkCreateHandler(deps) {
    const { settings, store, stats, webhooks, clientOf } = deps;
    const { clock } = settings;
    const idRandom = prng((settings.seed ^ 0x5eed) >>> 0);
    function bulkCreate(req) {
        const key = header(req, GENERIC_IDEMPOTENCY_HEADER);
        if (key === undefined)
            return createUsers(req.rawBody);
        const slot = `${clientOf(req)}:${key}`;
        const fingerprint = createHash('sha256').update(req.rawBody).digest('hex');
        const stored = store.idempotency.get(slot);
        if (stored && clock() - stored.at < settings.idempotencyTtlSeconds * 1000) {
            if (stored.fingerprint !== fingerprint) {
                return fail(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different body', {
                    field: 'Idempotency-Key',
                    value: key,
                });
            }
            return { status: stored.status, headers: { [GENERIC_IDEMPOTENT_REPLAY_HEADER]: 'true' }, body: stored.body };
        }
        const answer = createUsers(req.rawBody);
        store.idempotency.set(slot, { at: clock(), fingerprint, status: answer.status, body: answer.body });
        return answer;
    }
    function createUsers(rawBody) {
        let items;
        try {
            items = JSON.parse(rawBody.toString('utf8'));
        }
        catch {
            return fail(400, 'INVALID_INPUT', 'body must be a JSON array of users', { field: 'body', value: null });
        }
        if (!Array.isArray(items) || items.length === 0 || items.length > GENERIC_BULK_MAX) {
            return fail(400, 'INVALID_INPUT', `body must be a JSON array of 1 to ${GENERIC_BULK_MAX} users`, {
                field: 'body',
                value: Array.isArray(items) ? items.length : typeof items,
            });
        }
        const taken = new Set(store.users.map((u) => u.email.toLowerCase()));
        const results = items.map((item, index) => {
            const checked = checkNewUser(item, taken);
            if ('error' in checked)
                return { index, status: 'error', error: checked.error };
            taken.add(checked.email.toLowerCase());
            const now = new Date(clock()).toISOString();
            const user = { id: freshId(), ...checked, createdAt: now, updatedAt: now };
            store.users.push(user);
            stats.usersCreated += 1;
            webhooks.emit('user.created', user);
            return { index, status: 'created', user };
        });
        const created = results.filter((r) => r.status === 'created').length;
        if (created === results.length)
            return { status: 201, body: { data: results } };
        if (created > 0)
            return { status: 207, body: { data: results } };
        const none = {
            error: { code: 'INVALID_INPUT', message: 'no user in the batch could be created' },
            data: results,
        };
        return { status: 400, body: none };
    }
    function freshId() {
        const ids = new Set(store.users.map((u) => u.id));
        let id = userId(idRandom);
        while (ids.has(id))
            id = userId(idRandom);
        return id;
    }
    return bulkCreate;
}
/** Validates one bulk item; `taken` holds lower-cased emails already in use, this batch's included. */
function checkNewUser(item, taken) {
    const bad = (field, value, message, code = 'INVALID_INPUT') => ({
        error: { code, message, details: { field, value: value ?? null } },
    });
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        return bad('item', item, 'each item must be an object { email, firstName, lastName, role? }');
    }
    const { email, firstName, lastName, role } = item;
    if (typeof email !== 'string' || !EMAIL_PATTERN.test(email.trim())) {
        return bad('email', email, 'email is not a valid address');
    }
    for (const [field, value] of [['firstName', firstName], ['lastName', lastName]]) {
        if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME_LENGTH) {
            return bad(field, value, `${field} is required (1 to ${MAX_NAME_LENGTH} characters)`);
        }
    }
    const roles = GENERIC_ROLES;
    if (role !== undefined && !roles.includes(role)) {
        return bad('role', role, `role must be one of ${GENERIC_ROLES.join(', ')}`);
    }
    const cleanEmail = email.trim();
    if (taken.has(cleanEmail.toLowerCase())) {
        return bad('email', cleanEmail, 'a user with this email already exists', 'CONFLICT');
    }
    return {
        email: cleanEmail,
        firstName: firstName.trim(),
        lastName: lastName.trim(),
        role: role ?? 'member',
    };
}
//# sourceMappingURL=bulk-create.js.map