import type { Vendor } from './vendor.ts';

/** A stored file's state, as the GraphQL `FileStatus` enum names it. */
export type FileStatus = 'COMPLETE';

/** A data file stored with a vendor (CareCloud), in a workspace and bucket. */
export interface StoredFile {
  readonly __typename: 'File';
  readonly vendor: Vendor;
  readonly vendorId: string;
  /** The vendor's own id for the stored file, kept across re-uploads of the same name. */
  readonly fileId: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly checksumSha256: string;
  readonly workspaceId: string;
  readonly bucketId: string;
  /** The uploader's id in the Generic OAuth2 API's user directory. */
  readonly uploadedById: string | null;
  /** Null when the vendor reports a state we do not know. */
  readonly status: FileStatus | null;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface NewFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  /** Who uploads it (a Generic OAuth2 API user id), when known. */
  readonly uploadedById?: string | null;
}
