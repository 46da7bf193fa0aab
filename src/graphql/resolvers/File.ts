import type { FileResolvers } from '../__generated__/resolvers-types.ts';
import { fromGlobalId, toGlobalId } from '../global-id.ts';

export const File: FileResolvers = {
  __resolveReference: (reference, context) => context.loaders.carecloudFile.load(fromGlobalId(reference.id, 'File').id),
  id: (file) => toGlobalId(file.vendor, 'File', file.vendorId),
  downloadUrl: (file, _args, context) => context.downloadUrl(toGlobalId(file.vendor, 'File', file.vendorId)),
  uploadedBy: (file, _args, context) => (file.uploadedById ? context.loaders.genericUser.load(file.uploadedById) : null),
};
