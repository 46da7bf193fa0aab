import { FIRST_NAMES, LAST_NAMES, SEED_ANCHOR, daysAgo, email, pick, prng } from "../seed.js";
const DOMAIN = 'example-org.test';
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
/** `usr_` + 12 base36 characters, the vendor's id shape (our choice). */
export function userId(random) {
    let out = 'usr_';
    for (let i = 0; i < 12; i += 1)
        out += BASE36[Math.floor(random() * 36)] ?? '0';
    return out;
}
/** Most people are members; a few admins and viewers, as in a real workspace. */
function role(random) {
    const r = random();
    if (r < 0.1)
        return 'admin';
    if (r < 0.75)
        return 'member';
    return 'viewer';
}
/**
 * `count` users in creation order. The first is an admin: the simulator makes it the OAuth client's service
 * user (`GET users/me`), so it is also listed like anyone else.
 */
export function seedGenericUsers(seed = 1, count = 45) {
    const random = prng(seed);
    const users = [];
    for (let n = 0; n < count; n += 1) {
        const firstName = pick(random, FIRST_NAMES);
        const lastName = pick(random, LAST_NAMES);
        const created = daysAgo(random, SEED_ANCHOR, 30 + Math.floor(random() * 700));
        const updated = new Date(created.getTime() + Math.floor(random() * (SEED_ANCHOR.getTime() - created.getTime())));
        users.push({
            id: userId(random),
            // n keeps emails unique even when two people share a name.
            email: email(firstName, lastName, DOMAIN, n + 1),
            firstName,
            lastName,
            role: n === 0 ? 'admin' : role(random),
            createdAt: created.toISOString(),
            updatedAt: updated.toISOString(),
        });
    }
    return users;
}
/**
 * The list order: lastName, then firstName, then id. Compared by code unit rather than locale so the order is
 * the same on every machine.
 */
export function compareGenericUsers(a, b) {
    return cmp(a.lastName, b.lastName) || cmp(a.firstName, b.firstName) || cmp(a.id, b.id);
}
function cmp(a, b) {
    if (a < b)
        return -1;
    return a > b ? 1 : 0;
}
//# sourceMappingURL=seed.js.map