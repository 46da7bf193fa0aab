/**
 * The leads a Clinicea simulator holds, the tombstones of deleted ones, and the log of every write: what a sync
 * by `lastSyncTimestamp` reads. Tests may read and change it directly.
 */
import type { CliniceaLead, CliniceaLeadCreateBody, CliniceaLeadUpdateBody } from '../../vendors/clinicea/wire.ts';
import { WRITABLE, validateWrite } from './lead-validation.ts';
import { FIRST_LEAD_ID, cliniceaDate } from './seed.ts';

/** What is left of a deleted lead, for syncs that started before the deletion. */
export interface CliniceaTombstone {
  readonly LeadID: string;
  /** Becomes the tombstone's `ModifiedDatetime` on the wire. */
  readonly DeletedDatetime: string;
  /** Kept so that a sync limited by startRange/endRange still reports the deletion. */
  readonly CreatedDatetime: string;
}

export interface CliniceaChange {
  readonly kind: 'added' | 'modified' | 'deleted';
  readonly LeadID: string;
  readonly at: string;
}

export interface CliniceaStore {
  /** Live leads by LeadID, each with DataStatusStr `None`. Edits made here show up on the next request. */
  readonly leads: Map<string, CliniceaLead>;
  /** Deleted leads by LeadID. */
  readonly tombstones: Map<string, CliniceaTombstone>;
  /** Every write through `create`/`update`/`remove` (HTTP writes included), oldest first. */
  readonly changes: CliniceaChange[];
  /** Validates like `POST leads`; throws CliniceaValidationError. Stamped with the clock. */
  create(body: CliniceaLeadCreateBody): CliniceaLead;
  /**
   * Validates like `PUT leads/{id}`; undefined when there is no such live lead. ModifiedDatetime moves only when
   * a value really changes, so a no-op update does not show up in the next sync.
   */
  update(id: string, patch: CliniceaLeadUpdateBody): CliniceaLead | undefined;
  /** Leaves a tombstone stamped with the clock; false when there is no such live lead. */
  remove(id: string): boolean;
}

export function createCliniceaStore(seeded: CliniceaLead[], clock: () => number): CliniceaStore {
  const leads = new Map(seeded.map((lead) => [lead.LeadID, lead]));
  const tombstones = new Map<string, CliniceaTombstone>();
  const changes: CliniceaChange[] = [];
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
      const lead: CliniceaLead = {
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
      if (!lead) return undefined;
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
      if (!lead) return false;
      const at = cliniceaDate(clock());
      leads.delete(id);
      tombstones.set(id, { LeadID: id, DeletedDatetime: at, CreatedDatetime: lead.CreatedDatetime });
      changes.push({ kind: 'deleted', LeadID: id, at });
      return true;
    },
  };
}
