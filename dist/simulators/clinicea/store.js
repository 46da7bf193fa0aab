import { WRITABLE, validateWrite } from "./lead-validation.js";
import { FIRST_LEAD_ID, cliniceaDate } from "./seed.js";
export function createCliniceaStore(seeded, clock) {
    const leads = new Map(seeded.map((lead) => [lead.LeadID, lead]));
    const tombstones = new Map();
    const changes = [];
    // Ids are never reused, even after a delete, so a tombstone can never shadow a newer lead.
    const nextId = () => {
        const ids = [...leads.keys(), ...tombstones.keys()].map(Number);
        return String(Math.max(FIRST_LEAD_ID - 1, ...ids) + 1);
    };
    return {
        leads,
        tombstones,
        changes,
        create(body) {
            const fields = validateWrite(body, 'create');
            const at = cliniceaDate(clock());
            const lead = {
                LeadID: nextId(),
                FirstName: fields.FirstName,
                LastName: fields.LastName ?? null,
                Email: fields.Email ?? null,
                Mobile: fields.Mobile ?? null,
                Source: fields.Source ?? null,
                Status: fields.Status ?? 'New',
                Notes: fields.Notes ?? null,
                OwnerUserID: fields.OwnerUserID ?? null,
                CreatedDatetime: at,
                ModifiedDatetime: at,
                DataStatusStr: 'None',
            };
            leads.set(lead.LeadID, lead);
            changes.push({ kind: 'added', LeadID: lead.LeadID, at });
            return { ...lead };
        },
        update(id, patch) {
            const fields = validateWrite(patch, 'update');
            const lead = leads.get(id);
            if (!lead)
                return undefined;
            const changed = WRITABLE.some((key) => key in fields && fields[key] !== lead[key]);
            if (changed) {
                const at = cliniceaDate(clock());
                Object.assign(lead, fields, { ModifiedDatetime: at });
                changes.push({ kind: 'modified', LeadID: id, at });
            }
            return { ...lead };
        },
        remove(id) {
            const lead = leads.get(id);
            if (!lead)
                return false;
            const at = cliniceaDate(clock());
            leads.delete(id);
            tombstones.set(id, { LeadID: id, DeletedDatetime: at, CreatedDatetime: lead.CreatedDatetime });
            changes.push({ kind: 'deleted', LeadID: id, at });
            return true;
        },
    };
}
//# sourceMappingURL=store.js.map