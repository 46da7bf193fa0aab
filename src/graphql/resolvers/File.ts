import type { FileResolvers } from '../__generated__/resolvers-types.ts';
import { globalIdOf } from '../global-id.ts';
import { fromReference } from '../references.ts';

export const File: FileResolvers = {
  __resolveReference: (reference, context) => context.loaders.carecloudFile.load(fromReference(reference, 'File').id),
  id: (file) => globalIdOf(file, 'File'),
  downloadUrl: (file, _args, context) => context.downloadUrl(globalIdOf(file, 'File')),
  uploadedBy: (file, _args, context) => (file.uploadedById ? context.loaders.genericUser.load(file.uploadedById) : null),
};
