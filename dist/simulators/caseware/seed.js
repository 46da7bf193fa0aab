import { daysAgo, email, FIRST_NAMES, guid, LAST_NAMES, pick, prng, SEED_ANCHOR, UK_TOWNS, ukMobile } from "../seed.js";
const FIRM_DOMAIN = 'harrisoncole.co.uk';
const STAFF_TITLES = [
    'Partner', 'Director', 'Audit Manager', 'Tax Manager', 'Senior Accountant', 'Audit Senior', 'Accountant',
    'Tax Assistant', 'Payroll Officer', 'Bookkeeper', 'Trainee Accountant', 'Practice Manager',
];
const ADMIN_TITLES = new Set(['Partner', 'Director', 'Practice Manager']);
const CONTACT_TITLES = ['Finance Director', 'Office Manager', 'Owner', 'Trustee', 'Company Secretary'];
const PERSONAL_DOMAINS = ['gmail.com', 'outlook.com', 'btinternet.com', 'yahoo.co.uk'];
const TRADES = [
    'Joinery', 'Plumbing', 'Dental', 'Logistics', 'Bakery', 'Engineering', 'Architects', 'Print', 'Motors',
    'Veterinary', 'Lettings', 'Software', 'Brewing', 'Catering', 'Garden Centre',
];
const STREETS = [
    'High Street', 'Station Road', 'Church Lane', 'Mill Lane', 'Victoria Road', 'Park Avenue', 'King Street',
    'Queen Street', 'The Green', 'London Road', 'Manor Road', 'Orchard Close',
];
/** Postcode area of each town in UK_TOWNS, so addresses look right to a British reader. */
const POSTCODE_AREAS = {
    Bristol: 'BS', Bath: 'BA', Leeds: 'LS', York: 'YO', Norwich: 'NR', Exeter: 'EX', Cardiff: 'CF', Swansea: 'SA',
    Glasgow: 'G', Leicester: 'LE', Nottingham: 'NG', Brighton: 'BN', Reading: 'RG', Oxford: 'OX', Cambridge: 'CB',
    Sheffield: 'S', Durham: 'DH', Chester: 'CH', Truro: 'TR',
};
/** Client codes start with a letter per kind of client, as practices commonly number them. */
const NUMBER_PREFIX = {
    Company: 'C',
    Individual: 'I',
    Partnership: 'P',
    Trust: 'T',
    Charity: 'H',
};
export function seedCaseware(options) {
    const users = seedUsers(prng(options.seed * 7919 + 1), options.users);
    const entities = seedEntities(prng(options.seed * 7919 + 2), prng(options.seed * 7919 + 5), options.entities, users);
    return {
        users,
        entities,
        groups: named(prng(options.seed * 7919 + 3), [
            ['Audit', 'Statutory and voluntary audit engagements'],
            ['Tax', 'Personal and corporate tax'],
            ['Accounts', 'Year-end accounts and bookkeeping'],
            ['Advisory', 'Business advisory and forecasting'],
            ['Payroll', 'Payroll bureau'],
            ['Partners', null],
        ]),
        roles: named(prng(options.seed * 7919 + 4), [
            ['Administrator', 'Manages users, settings and security'],
            ['Partner', 'Signs off engagements'],
            ['Manager', 'Reviews engagement files'],
            ['Staff', 'Prepares engagement files'],
            ['Read Only', null],
        ]),
    };
}
function seedUsers(random, count) {
    const users = [];
    for (let n = 0; n < count; n += 1) {
        const first = pick(random, FIRST_NAMES);
        const last = pick(random, LAST_NAMES);
        // The first user is always an active staff admin, so a demo has someone to log in as.
        const staff = n === 0 || random() < 0.85;
        const active = n === 0 || random() >= 0.15;
        const created = daysAgo(random, SEED_ANCHOR, 200 + Math.floor(random() * 1800));
        const modified = between(random, created, SEED_ANCHOR);
        const address = email(first, last, staff ? FIRM_DOMAIN : pick(random, PERSONAL_DOMAINS), n);
        const title = n === 0 ? 'Practice Manager' : staff ? pick(random, STAFF_TITLES) : contactTitle(random);
        users.push({
            CWGuid: guid(random),
            FirstName: first,
            LastName: last,
            MiddleName: random() < 0.3 ? pick(random, FIRST_NAMES) : null,
            Email: address,
            Title: title,
            UserName: address.split('@')[0] ?? address,
            OwnerType: staff ? 'Staff' : 'Contact',
            // Practices give admin rights to the people who run the practice, not to everyone.
            Admin: n === 0 || (staff && ADMIN_TITLES.has(title ?? '') && random() < 0.7),
            CanLogin: active && (staff || random() < 0.5),
            Type: active ? 'A' : 'I',
            InActiveDate: active ? null : modified.toISOString(),
            CreatedDate: created.toISOString(),
            ModifiedDate: modified.toISOString(),
        });
    }
    return users;
}
function contactTitle(random) {
    return random() < 0.6 ? pick(random, CONTACT_TITLES) : null;
}
/** Staff picks draw from `staffRandom`: how many draws they take depends on the user count. */
function seedEntities(random, staffRandom, count, users) {
    const activeStaff = users.filter((u) => u.OwnerType === 'Staff' && u.Type === 'A');
    const pool = activeStaff.length > 0 ? activeStaff : users;
    const numbers = new Map();
    const entities = [];
    for (let n = 0; n < count; n += 1) {
        const type = entityType(random());
        const town = pick(random, UK_TOWNS);
        const { name, emailAddress } = entityName(random, type, town, n);
        const next = (numbers.get(type) ?? 100) + 1 + Math.floor(random() * 3);
        numbers.set(type, next);
        const created = daysAgo(random, SEED_ANCHOR, 30 + Math.floor(random() * 2500));
        entities.push({
            CWGuid: guid(random),
            Name: name,
            Number: `${NUMBER_PREFIX[type]}${String(next).padStart(5, '0')}`,
            EntityType: type,
            Email: random() < 0.9 ? emailAddress : null,
            Phone: random() < 0.85 ? (type === 'Individual' ? ukMobile(random) : landline(random)) : null,
            Address: random() < 0.95 ? address(random, town) : null,
            CreatedDate: created.toISOString(),
            ModifiedDate: between(random, created, SEED_ANCHOR).toISOString(),
            StaffCWGuids: staffFor(staffRandom, pool),
        });
    }
    return entities;
}
function entityType(roll) {
    if (roll < 0.5)
        return 'Company';
    if (roll < 0.75)
        return 'Individual';
    if (roll < 0.85)
        return 'Partnership';
    if (roll < 0.93)
        return 'Trust';
    return 'Charity';
}
function entityName(random, type, town, n) {
    const a = pick(random, LAST_NAMES);
    const b = pick(random, LAST_NAMES.filter((last) => last !== a));
    const style = random();
    switch (type) {
        case 'Individual': {
            const first = pick(random, FIRST_NAMES);
            return { name: `${first} ${a}`, emailAddress: email(first, a, pick(random, PERSONAL_DOMAINS), n) };
        }
        case 'Company': {
            const trade = pick(random, TRADES);
            const name = style < 0.35
                ? `${a} & ${b} Ltd`
                : style < 0.55
                    ? `${a} Holdings Ltd`
                    : style < 0.8
                        ? `${town} ${trade} Ltd`
                        : `${a} ${trade} Ltd`;
            return { name, emailAddress: `accounts@${slug(name)}.co.uk` };
        }
        case 'Partnership': {
            const name = style < 0.5 ? `${a} & ${b} LLP` : `${a} ${b} Partners`;
            return { name, emailAddress: `office@${slug(name)}.co.uk` };
        }
        case 'Trust': {
            const name = style < 0.6 ? `The ${a} Family Trust` : `${a} Discretionary Trust`;
            return { name, emailAddress: `trustees@${slug(name)}.org.uk` };
        }
        case 'Charity': {
            const name = style < 0.4 ? `${town} Community Foundation` : style < 0.7 ? `Friends of ${town} Hospice` : `${town} Food Bank`;
            return { name, emailAddress: `info@${slug(name)}.org.uk` };
        }
    }
}
function staffFor(random, pool) {
    const wanted = Math.min(pool.length, 1 + Math.floor(random() * 4));
    const chosen = new Set();
    while (chosen.size < wanted)
        chosen.add(pick(random, pool).CWGuid);
    return [...chosen];
}
function named(random, rows) {
    return rows.map(([name, description]) => ({ CWGuid: guid(random), Name: name, Description: description }));
}
function between(random, from, to) {
    return new Date(from.getTime() + Math.floor(random() * (to.getTime() - from.getTime())));
}
function slug(name) {
    return name
        .toLowerCase()
        .replace(/\b(ltd|llp|the)\b/g, '')
        .replace(/[^a-z0-9]/g, '');
}
function landline(random) {
    const area = `01${String(100 + Math.floor(random() * 900))}`;
    return `${area} ${String(Math.floor(random() * 1e6)).padStart(6, '0')}`;
}
function address(random, town) {
    const area = POSTCODE_AREAS[town] ?? 'AB';
    const letters = 'ABDEFGHJLNPQRSTUWXYZ';
    const letter = () => letters[Math.floor(random() * letters.length)] ?? 'A';
    const outward = `${area}${1 + Math.floor(random() * 20)}`;
    const inward = `${Math.floor(random() * 10)}${letter()}${letter()}`;
    return `${1 + Math.floor(random() * 180)} ${pick(random, STREETS)}, ${town}, ${outward} ${inward}`;
}
//# sourceMappingURL=seed.js.map