import type { FileResolvers } from '../__generated__/resolvers-types.ts';
import { toGlobalId } from '../global-id.ts';
import { fromReference } from '../references.ts';

export const File: FileResolvers = {
  __resolveReference: (reference, context) => context.loaders.carecloudFile.load(fromReference(reference, 'File').id),
  id: (file) => toGlobalId(file.vendor, 'File', file.vendorId),
  downloadUrl: (file, _args, context) => context.downloadUrl(toGlobalId(file.vendor, 'File', file.vendorId)),
  uploadedBy: (file, _args, context) => (file.uploadedById ? context.loaders.genericUser.load(file.uploadedById) : null),
};
