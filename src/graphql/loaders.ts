/**
 * Per-request DataLoaders: one per (vendor, type), capped at the vendor's batch size, so a query that names
 * the same user twenty times or asks for a hundred owners makes one batched call per batch, never one per
 * parent.
 */
import DataLoader from 'dataloader';
import type { Client } from '../domain/client.ts';
import type { Enquiry } from '../domain/enquiry.ts';
import type { StoredFile } from '../domain/file.ts';
import type { Lead } from '../domain/lead.ts';
import type { User } from '../domain/user.ts';
import type { CallContext } from '../upstream/client.ts';
import { createReverseEdgeLoaders, type ReverseEdgeLoaders } from './reverse-edges.ts';
import type { Vendors } from './vendors.ts';

/**
 * A DataLoader that also answers, without a promise, what one of its batches has already brought in during
 * this request: a resolver that returns a plain value keeps graphql-js on its synchronous path, where a
 * promise per list item costs a promise per item and per parent object.
 */
export class KnownLoader<V> extends DataLoader<string, V> {
  private readonly known: Map<string, V>;

  constructor(batch: (ids: readonly string[]) => Promise<ReadonlyArray<V | Error>>, options?: DataLoader.Options<string, V>) {
    const known = new Map<string, V>();
    super(async (ids) => {
      const values = await batch(ids);
      ids.forEach((id, i) => {
        const value = values[i];
        if (value !== undefined && !(value instanceof Error)) known.set(id, value);
      });
      return values;
    }, options);
    this.known = known;
  }

  /** The value a batch brought for `id`, or undefined when none has (yet, or it failed). */
  loaded(id: string): V | undefined {
    return this.known.get(id);
  }

  /** The value when already loaded, else the promise of it. */
  loadOrKnown(id: string): V | Promise<V> {
    const value = this.known.get(id);
    return value !== undefined ? value : this.load(id);
  }
}

export interface Loaders extends ReverseEdgeLoaders {
  readonly careHqUser: KnownLoader<User | null>;
  readonly careHqEnquiry: DataLoader<string, Enquiry | null>;
  readonly cliniceaLead: DataLoader<string, Lead | null>;
  readonly casewareUser: DataLoader<string, User | null>;
  readonly casewareClient: DataLoader<string, Client | null>;
  readonly carecloudFile: DataLoader<string, StoredFile | null>;
  readonly genericUser: DataLoader<string, User | null>;
}

/**
 * Each loader is made when a resolver first asks for it: most requests touch one or two of the seven, and a
 * DataLoader is a handful of objects and closures that would otherwise be built on every request.
 */
export function createLoaders(vendors: Vendors, call: CallContext): Loaders {
  return new LazyLoaders(vendors, call);
}

class LazyLoaders implements Loaders {
  private readonly made: { -readonly [K in keyof Loaders]?: Loaders[K] } = {};
  private reverse: ReverseEdgeLoaders | undefined;

  constructor(
    private readonly vendors: Vendors,
    private readonly call: CallContext,
  ) {}

  get careHqUser(): Loaders['careHqUser'] {
    const { carehq } = this.vendors;
    return (this.made.careHqUser ??= new KnownLoader((ids) => carehq.usersByIds(ids, this.call), { maxBatchSize: carehq.userBatchSize }));
  }

  get careHqEnquiry(): Loaders['careHqEnquiry'] {
    return (this.made.careHqEnquiry ??= new DataLoader((ids) => this.vendors.carehq.enquiriesByIds(ids, this.call)));
  }

  get cliniceaLead(): Loaders['cliniceaLead'] {
    return (this.made.cliniceaLead ??= new DataLoader((ids) => this.vendors.clinicea.leadsByIds(ids, this.call)));
  }

  get casewareUser(): Loaders['casewareUser'] {
    const { caseware } = this.vendors;
    return (this.made.casewareUser ??= new DataLoader((ids) => caseware.usersByIds(ids, this.call), { maxBatchSize: caseware.userBatchSize }));
  }

  get casewareClient(): Loaders['casewareClient'] {
    const { caseware } = this.vendors;
    return (this.made.casewareClient ??= new DataLoader((ids) => caseware.clientsByIds(ids, this.call), { maxBatchSize: caseware.userBatchSize }));
  }

  get carecloudFile(): Loaders['carecloudFile'] {
    return (this.made.carecloudFile ??= new DataLoader((names) => this.vendors.carecloud.filesByNames(names, this.call)));
  }

  private get reverseEdges(): ReverseEdgeLoaders {
    return (this.reverse ??= createReverseEdgeLoaders(this.vendors, this.call));
  }

  get assignedEnquiries(): Loaders['assignedEnquiries'] {
    return this.reverseEdges.assignedEnquiries;
  }

  get staffClients(): Loaders['staffClients'] {
    return this.reverseEdges.staffClients;
  }

  get genericUser(): Loaders['genericUser'] {
    const { generic } = this.vendors;
    return (this.made.genericUser ??= new DataLoader((ids) => generic.usersByIds(ids, this.call), { maxBatchSize: generic.userBatchSize }));
  }
}
