/**
 * The Clinicea simulator's seeded leads: a clinic's enquiries over the 18 months before SEED_ANCHOR, the same
 * for the same seed on every machine.
 */
import { CLINICEA_NULL_DATE, } from "../../vendors/clinicea/wire.js";
import { FIRST_NAMES, LAST_NAMES, SEED_ANCHOR, daysAgo, email, hexId, pick, prng, ukMobile } from "../seed.js";
/** The first seeded LeadID; ids grow with creation time, with the odd gap where a lead was purged. */
export const FIRST_LEAD_ID = 100_001;
const SPAN_DAYS = 548;
const DAY_MS = 86_400_000;
const OWNER_COUNT = 12;
/** Share of leads with an owner, and of leads the vendor reports as never modified (sentinel date). */
const OWNED_SHARE = 0.8;
const UNMODIFIED_SHARE = 0.05;
const EMAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.co.uk', 'hotmail.co.uk', 'icloud.com', 'btinternet.com'];
/** Weighted so that paid social and the website dominate, as they do for clinics. */
const SOURCES = [
    'Website', 'Website', 'Website', 'Facebook', 'Facebook', 'Instagram', 'Google Ads', 'Referral', 'Referral',
    'Walk-in', 'Phone', 'Phone',
];
const NOTES = [
    'Interested in a laser hair removal consultation.',
    'Asked about teeth whitening prices; sent the price list.',
    'Wants a call back after 5pm on weekdays.',
    'Enquired about physiotherapy for a knee injury.',
    'Booked a free skin consultation, then cancelled.',
    'Price-sensitive; sent the package offers.',
    'Referred by an existing patient.',
    'Asked whether the clinic takes private health insurance.',
    'Follow up after the summer holidays.',
    'Prefers WhatsApp to phone calls.',
];
/** `YYYY-MM-DDTHH:mm:ss` in UTC, the vendor's zone-less form. */
export function cliniceaDate(ms) {
    return new Date(ms).toISOString().slice(0, 19);
}
/** The owner ids used when the caller passes none; stable per seed. */
export function generatedOwnerIds(seed) {
    const random = prng(seed ^ 0x0c11c1ea);
    return Array.from({ length: OWNER_COUNT }, () => `usr_${hexId(random, 16)}`);
}
/** Live leads (DataStatusStr `None`) in LeadID order. */
export function seedCliniceaLeads(options) {
    const random = prng(options.seed);
    const owners = options.ownerUserIds ?? generatedOwnerIds(options.seed);
    const anchor = SEED_ANCHOR.getTime();
    // Every lead draws the same number of values whatever the options, so owners never shift the names.
    const drafts = Array.from({ length: options.count }, (_, n) => {
        const created = daysAgo(random, SEED_ANCHOR, Math.floor(random() * SPAN_DAYS)).getTime();
        const first = pick(random, FIRST_NAMES);
        const last = pick(random, LAST_NAMES);
        const contact = random();
        const mailDomain = pick(random, EMAIL_DOMAINS);
        const mobile = ukMobile(random);
        const source = pick(random, SOURCES);
        const statusRoll = random();
        const notesRoll = random();
        const note = pick(random, NOTES);
        const ownerRoll = random();
        const unmodifiedRoll = random();
        const editedAfter = random() * Math.min(anchor - created, 90 * DAY_MS);
        const gapRoll = random();
        return {
            created,
            gap: gapRoll < 0.08 ? 1 + Math.floor(gapRoll * 40) : 0,
            lead: {
                FirstName: first,
                LastName: last,
                // Walk-ins and phone callers often leave only one way to reach them.
                Email: contact < 0.12 ? null : email(first, last, mailDomain, n + 1),
                Mobile: contact > 0.9 ? null : mobile,
                Source: source,
                Status: status(statusRoll, (anchor - created) / DAY_MS),
                Notes: notesRoll < 0.35 ? null : note,
                OwnerUserID: owner(ownerRoll, owners),
                CreatedDatetime: cliniceaDate(created),
                ModifiedDatetime: unmodifiedRoll < UNMODIFIED_SHARE ? CLINICEA_NULL_DATE : cliniceaDate(created + editedAfter),
                DataStatusStr: 'None',
            },
        };
    });
    drafts.sort((a, b) => a.created - b.created);
    let next = FIRST_LEAD_ID;
    return drafts.map(({ lead, gap }) => {
        next += gap;
        const LeadID = String(next);
        next += 1;
        return { LeadID, ...lead };
    });
}
/** About OWNED_SHARE of rolls land on an owner, spread evenly over the list; the rest stay unassigned. */
function owner(roll, owners) {
    return roll < OWNED_SHARE ? (owners[Math.floor((roll / OWNED_SHARE) * owners.length)] ?? null) : null;
}
/** Fresh leads are mostly untouched; old ones have been worked to a conclusion. */
function status(roll, ageDays) {
    if (ageDays < 14)
        return roll < 0.6 ? 'New' : roll < 0.9 ? 'Contacted' : 'Qualified';
    if (roll < 0.08)
        return 'New';
    if (roll < 0.3)
        return 'Contacted';
    if (roll < 0.5)
        return 'Qualified';
    if (roll < 0.78)
        return 'Converted';
    return 'Lost';
}
//# sourceMappingURL=seed.js.map