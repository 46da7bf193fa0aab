/**
 * The CareHQ simulator's starting data: care enquiries and the staff (users) they are assigned to, at a few
 * care homes. Deterministic per seed, dated before SEED_ANCHOR.
 */
import { FUNDING_TYPES, LOCATION_ROLES } from "../../vendors/carehq/wire.js";
import { FIRST_NAMES, LAST_NAMES, SEED_ANCHOR, daysAgo, email, hexId, pick, prng, ukMobile } from "../seed.js";
export const GENDERS = ['female', 'male', 'non_binary'];
export const CARE_REQUIREMENTS = ['residential', 'nursing', 'dementia', 'respite', 'day_care', 'end_of_life'];
export const SALES_CHANNELS = ['website', 'phone', 'referral', 'walk_in'];
const SERVICE_FOR = {
    residential: 'residential_care',
    nursing: 'nursing_care',
    dementia: 'dementia_care',
    respite: 'respite_care',
    day_care: 'day_care',
    end_of_life: 'nursing_care',
};
const CLOSING_NOTES = [
    'Family chose a home closer to their daughter in Leeds.',
    'Moved in on a respite stay, now permanent.',
    'Funding not agreed by the local authority; family will re-apply.',
    'No longer needs residential care after reablement at home.',
    'Sadly passed away before admission.',
    'Went with another provider on price.',
    'Placed at our sister home, which had a nursing bed free.',
];
const ENQUIRER_DOMAINS = ['example.com', 'example.co.uk', 'example.org'];
const STAFF_DOMAIN = 'meadowbank-care.example';
const LOCATION_COUNT = 4;
/**
 * Mongo-style ids: 8 hex of the creation epoch seconds, then 16 hex that look random. The last 6 of those are
 * a counter (as in a real ObjectId) so ids made in the same second still sort in the order they were made.
 */
export function objectIdFactory(random) {
    const machine = hexId(random, 10);
    let counter = Math.floor(random() * 0x100000);
    return (epochSeconds) => {
        counter = (counter + 1) % 0x1000000;
        const time = Math.max(0, Math.floor(epochSeconds)).toString(16).padStart(8, '0').slice(-8);
        return `${time}${machine}${counter.toString(16).padStart(6, '0')}`;
    };
}
export function buildCareHqSeed(options) {
    const random = prng(options.seed);
    const nextId = objectIdFactory(random);
    const locations = Array.from({ length: LOCATION_COUNT }, () => hexId(random));
    const users = buildUsers(random, nextId, locations, options.users);
    const enquiries = buildEnquiries(random, nextId, locations, [...users.values()], options.enquiries);
    return { enquiries, users, locations };
}
function buildUsers(random, nextId, locations, count) {
    const created = sortedTimes(random, count, 400, 1200);
    const users = new Map();
    created.forEach((at, i) => {
        const first = pick(random, FIRST_NAMES);
        const last = pick(random, LAST_NAMES);
        const home = pick(random, locations);
        // Managers and a few others cover more than one home.
        const second = random() < 0.25 ? pick(random, locations) : home;
        const accepted = random() < 0.85;
        const invited = new Date(at.getTime() + 3_600_000);
        const user = {
            _id: nextId(at.getTime() / 1000),
            created: at.toISOString(),
            modified: later(random, at).toISOString(),
            email: email(first, last, STAFF_DOMAIN, i + 1),
            first_name: first,
            last_name: last,
            mobile: random() < 0.9 ? ukMobile(random) : null,
            // Cycling guarantees every role appears once there are enough users.
            location_role: LOCATION_ROLES[i % LOCATION_ROLES.length] ?? null,
            locations: [...new Set([home, second])],
            mfa_enabled: random() < 0.5,
            invited: invited.toISOString(),
            invite_accepted: accepted ? new Date(invited.getTime() + Math.floor(random() * 5 * 86_400_000)).toISOString() : null,
        };
        users.set(user._id, user);
    });
    return users;
}
function buildEnquiries(random, nextId, locations, users, count) {
    const created = sortedTimes(random, count, 1, 365);
    const enquiries = new Map();
    created.forEach((at, i) => {
        const first = pick(random, FIRST_NAMES);
        const last = pick(random, LAST_NAMES);
        const needs = [...new Set([pick(random, CARE_REQUIREMENTS), ...(random() < 0.35 ? [pick(random, CARE_REQUIREMENTS)] : [])])];
        const location = pick(random, locations);
        const staff = users.filter((u) => u.locations.includes(location));
        const anonymized = random() < 0.03;
        const enquiry = {
            _id: nextId(at.getTime() / 1000),
            created: at.toISOString(),
            modified: later(random, at).toISOString(),
            first_name: first,
            last_name: last,
            email: random() < 0.9 ? email(first, last, pick(random, ENQUIRER_DOMAINS), i + 1) : null,
            mobile: random() < 0.85 ? ukMobile(random) : null,
            // Ofcom's drama range for Bristol: looks real, rings nobody.
            phone: random() < 0.3 ? `0117 496 0${Math.floor(random() * 1000).toString().padStart(3, '0')}` : null,
            dob: random() < 0.7 ? dobBetween(random, 65, 101) : null,
            genders: [genderFor(random, first)],
            enquiring_for_self: tri(random, 0.25, 0.1),
            funding_type: pick(random, FUNDING_TYPES),
            care_requirements: needs,
            dementia: needs.includes('dementia') ? true : tri(random, 0.2, 0.3),
            location,
            service: SERVICE_FOR[needs[0] ?? 'residential'],
            sales_channel: pick(random, SALES_CHANNELS),
            assigned_to: staff.length > 0 && random() < 0.8 ? pick(random, staff)._id : null,
            closing_notes: random() < 0.1 ? pick(random, CLOSING_NOTES) : null,
            anonymized,
        };
        enquiries.set(enquiry._id, anonymized ? anonymize(enquiry) : enquiry);
    });
    return enquiries;
}
/** What CareHQ keeps of an enquiry after a data-erasure request: the business facts, none of the person. */
function anonymize(enquiry) {
    return { ...enquiry, first_name: null, last_name: null, email: null, mobile: null, phone: null, dob: null };
}
/** Creation times in ascending order, so ids (which start with the time) sort the same way. */
function sortedTimes(random, count, minDays, maxDays) {
    const times = Array.from({ length: count }, () => daysAgo(random, SEED_ANCHOR, minDays + Math.floor(random() * (maxDays - minDays))));
    return times.sort((a, b) => a.getTime() - b.getTime());
}
function later(random, from) {
    const ms = Math.floor(random() * (SEED_ANCHOR.getTime() - from.getTime()));
    return new Date(from.getTime() + ms);
}
function dobBetween(random, minAge, maxAge) {
    const ageDays = Math.floor((minAge + random() * (maxAge - minAge)) * 365.25);
    return new Date(SEED_ANCHOR.getTime() - ageDays * 86_400_000).toISOString().slice(0, 10);
}
// The male names in FIRST_NAMES, so a seeded Margaret is not recorded as male.
const MALE_NAMES = new Set([
    'Oliver', 'George', 'Noah', 'Arthur', 'Muhammad', 'Leo', 'Harry', 'Oscar', 'Archie', 'Henry', 'Theodore', 'Brian',
    'Kenneth', 'Derek', 'Alan', 'Wojciech', 'Rhys', 'Gareth', 'Callum',
]);
function genderFor(random, firstName) {
    if (random() < 0.03)
        return 'non_binary';
    return MALE_NAMES.has(firstName) ? 'male' : 'female';
}
/** true with `pTrue`, null with `pNull`, false otherwise. */
function tri(random, pTrue, pNull) {
    const r = random();
    if (r < pTrue)
        return true;
    return r < pTrue + pNull ? null : false;
}
//# sourceMappingURL=seed.js.map