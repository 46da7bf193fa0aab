import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { badInput } from '../../errors.ts';
import { fromGlobalId } from '../../global-id.ts';
import { publishChange, publishRemoval } from '../../published-changes.ts';
import { fileNameProblem } from '../../../vendors/carecloud/ids.ts';
import { attemptWrite } from '../../write-outcome.ts';

/**
 * Largest file accepted inline as base64: its base64 (4/3 of it) and the rest of the operation must fit in the
 * 1 MiB `/graphql` body cap. Larger ones go through the plain HTTP upload route.
 */
export const MAX_INLINE_UPLOAD_BYTES = 700 * 1024;

export function decodeBase64(content: string): Buffer {
  const compact = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw badInput('input.contentBase64 is not valid base64', { argument: 'input.contentBase64' });
  }
  return Buffer.from(compact, 'base64');
}

export const fileMutations: MutationResolvers = {
  uploadFile: async (_parent, { input }, context) => {
    // Before anything else, on either transport: the name becomes a URL path segment or an SFTP path.
    const invalidName = fileNameProblem(input.name);
    if (invalidName) throw badInput(`input.name: ${invalidName}`, { argument: 'input.name' });
    // Checked on the encoded length first so a huge string is refused before it is decoded.
    if ((input.contentBase64.length * 3) / 4 > MAX_INLINE_UPLOAD_BYTES + 3) {
      throw badInput(`contentBase64 holds more than ${MAX_INLINE_UPLOAD_BYTES} bytes; use PUT /files/{name} for larger files`, {
        argument: 'input.contentBase64',
      });
    }
    const bytes = decodeBase64(input.contentBase64);
    const uploader = input.uploadedById ? fromGlobalId(input.uploadedById, 'User') : undefined;
    if (uploader && uploader.vendor !== 'GENERIC') throw badInput('uploadedById must be a Generic API user', { argument: 'input.uploadedById' });
    const file = await context.vendors.carecloud.upload(
      { name: input.name, contentType: input.contentType, bytes, uploadedById: uploader?.id ?? null },
      context.call,
      // An explicit null means the default, as an omitted field does.
      input.transport === 'SFTP' ? 'sftp' : 'https',
    );
    publishChange(context, 'CREATED', { entityType: 'FILE', entity: file });
    return { file };
  },
  deleteFile: async (_parent, { id }, context) => {
    // A File's vendor id is its name; the id's shape check has already applied the name rule.
    const { vendor, id: name } = fromGlobalId(id, 'File');
    const outcome = await attemptWrite(() => context.vendors.carecloud.deleteFile(name, context.call));
    context.loaders.carecloudFile.clear(name);
    const deleted = outcome.fieldErrors.length === 0;
    if (deleted) publishRemoval(context, { entityType: 'FILE', vendor, vendorId: name });
    return { deletedFileId: deleted ? id : null, fieldErrors: outcome.fieldErrors };
  },
};
