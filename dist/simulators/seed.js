/**
 * Deterministic seed data shared by every simulator: the same seed gives the same records on every machine,
 * so tests can name what they expect and a demo looks the same each time.
 */
/** mulberry32: tiny, fast and good enough for fake people; not for anything secret. */
export function prng(seed) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
export function pick(random, items) {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined)
        throw new Error('pick() needs a non-empty list');
    return item;
}
/** A hex id of `length` characters, like the 24-character ids Mongo-backed APIs hand out. */
export function hexId(random, length = 24) {
    let out = '';
    while (out.length < length)
        out += Math.floor(random() * 16).toString(16);
    return out;
}
/** A v4-shaped GUID, upper-case like Caseware's CWGuid. */
export function guid(random) {
    const h = hexId(random, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}
export const FIRST_NAMES = [
    'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia', 'Grace', 'Freya',
    'Oliver', 'George', 'Noah', 'Arthur', 'Muhammad', 'Leo', 'Harry', 'Oscar', 'Archie', 'Henry', 'Theodore',
    'Margaret', 'Dorothy', 'Joan', 'Patricia', 'Eileen', 'Sheila', 'Brian', 'Kenneth', 'Derek', 'Alan', 'Priya',
    'Aisha', 'Fatima', 'Wojciech', 'Siobhan', 'Eilidh', 'Rhys', 'Gareth', 'Niamh', 'Callum', 'Zara', 'Anika',
];
export const LAST_NAMES = [
    'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts',
    'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris',
    'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark',
    'Khan', 'Nowak', "O'Neill", 'MacDonald', 'Ahmed', 'Singh', 'Kowalski', 'Baker', 'Price', 'Bennett', 'Reid',
];
export const UK_TOWNS = [
    'Bristol', 'Bath', 'Leeds', 'York', 'Norwich', 'Exeter', 'Cardiff', 'Swansea', 'Glasgow', 'Leicester',
    'Nottingham', 'Brighton', 'Reading', 'Oxford', 'Cambridge', 'Sheffield', 'Durham', 'Chester', 'Truro',
];
export function email(first, last, domain, n) {
    const clean = (s) => s.toLowerCase().replace(/[^a-z]/g, '');
    return `${clean(first)}.${clean(last)}${n}@${domain}`;
}
/** A UK mobile number in the national format people type into forms. */
export function ukMobile(random) {
    return `07${Math.floor(random() * 1e9).toString().padStart(9, '0')}`;
}
/** A time `daysBack` days before `anchor`, at a random time of day. */
export function daysAgo(random, anchor, daysBack) {
    return new Date(anchor.getTime() - daysBack * 86_400_000 - Math.floor(random() * 86_400_000));
}
/** The fixed "now" seed data is dated against, so seeded records never drift between runs. */
export const SEED_ANCHOR = new Date('2026-06-01T09:00:00Z');
//# sourceMappingURL=seed.js.map