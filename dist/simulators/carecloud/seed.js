/**
 * The files a fresh CareCloud simulator holds: care plans, invoices and CSV exports a care group syncs, with
 * small deterministic contents so checksums and sizes are the same on every run.
 */
import { createHash } from 'node:crypto';
import { daysAgo, FIRST_NAMES, guid, hexId, LAST_NAMES, pick, prng, SEED_ANCHOR, UK_TOWNS } from "../seed.js";
export const CARECLOUD_DEFAULT_WORKSPACE_ID = 'cw-4f1c9a27-demo-care-group';
export const CARECLOUD_DEFAULT_BUCKET_IDS = ['care-records', 'finance-exports'];
/** One demo workspace with two buckets; the seed files go to the first bucket. */
export const CARECLOUD_DEFAULT_WORKSPACES = Object.freeze({
    [CARECLOUD_DEFAULT_WORKSPACE_ID]: CARECLOUD_DEFAULT_BUCKET_IDS,
});
const PDF = 'application/pdf';
const CSV = 'text/csv';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export function sha256Hex(bytes) {
    return createHash('sha256').update(bytes).digest('hex');
}
export function seedCareCloudFiles(options) {
    const random = prng(options.seed);
    const uploaders = options.uploaderIds.length > 0 ? options.uploaderIds : [1, 2, 3, 4, 5].map(() => hexId(random));
    const files = [];
    const used = new Set();
    for (let i = 0; files.length < options.count; i += 1) {
        const created = daysAgo(random, SEED_ANCHOR, 1 + Math.floor(random() * 365));
        const draft = draftFile(random, created, i);
        // Names are the key within a bucket; a rare collision just draws again.
        if (used.has(draft.name))
            continue;
        used.add(draft.name);
        const bytes = Buffer.from(draft.text, 'utf8');
        const modified = random() < 0.3 ? new Date(created.getTime() + Math.floor(random() * 5 * 86_400_000)) : created;
        files.push({
            bytes,
            meta: {
                FileId: guid(random).toLowerCase(),
                Name: draft.name,
                Size: bytes.length,
                ContentType: draft.contentType,
                ChecksumSha256: sha256Hex(bytes),
                WorkspaceId: options.workspaceId,
                BucketId: options.bucketId,
                // Some files arrive by SFTP (vendors.md), where no uploading user is known.
                UploadedBy: random() < 0.15 ? null : pick(random, uploaders),
                CreatedAt: created.toISOString(),
                ModifiedAt: (modified < SEED_ANCHOR ? modified : created).toISOString(),
                Status: 'complete',
            },
        });
    }
    return files;
}
function draftFile(random, created, index) {
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    const town = pick(random, UK_TOWNS);
    const day = created.toISOString().slice(0, 10);
    const slug = `${first}-${last}`.toLowerCase().replace(/[^a-z-]/g, '');
    switch (index % 4) {
        case 0:
            return {
                name: `care-plan-${slug}-${day}.pdf`,
                contentType: PDF,
                text: pdf([`Care plan: ${first} ${last}`, `Home: ${town}`, `Reviewed: ${day}`]),
            };
        case 1: {
            const number = 10_000 + Math.floor(random() * 90_000);
            const pence = 50_000 + Math.floor(random() * 400_000);
            return {
                name: `invoice-INV-${number}.pdf`,
                contentType: PDF,
                text: pdf([`Invoice INV-${number}`, `Resident: ${first} ${last}`, `Total: GBP ${(pence / 100).toFixed(2)}`]),
            };
        }
        case 2: {
            const rows = [1, 2, 3].map(() => {
                const f = pick(random, FIRST_NAMES);
                const l = pick(random, LAST_NAMES);
                return `${hexId(random, 8)},${f},${l.includes(',') ? `"${l}"` : l},${pick(random, UK_TOWNS)}`;
            });
            return {
                name: `residents-export-${town.toLowerCase()}-${day}.csv`,
                contentType: CSV,
                text: ['resident_id,first_name,last_name,home', ...rows].join('\n') + '\n',
            };
        }
        default:
            return {
                name: `risk-assessment-${slug}-${day}.docx`,
                contentType: DOCX,
                // Not a real .docx; a stand-in whose bytes are stable so checksums hold across runs.
                text: `Risk assessment for ${first} ${last} (${town}), ${day}\nFalls: low\nMedication: reviewed\n`,
            };
    }
}
/** A tiny text stand-in for a PDF: enough for a download to look like one, stable for checksums. */
function pdf(lines) {
    return ['%PDF-1.4', ...lines.map((line) => `% ${line}`), '%%EOF', ''].join('\n');
}
//# sourceMappingURL=seed.js.map