import { fromGlobalId, toGlobalId } from "../global-id.js";
export const File = {
    __resolveReference: (reference, context) => context.loaders.carecloudFile.load(fromGlobalId(reference.id, 'File').id),
    id: (file) => toGlobalId(file.vendor, 'File', file.vendorId),
    downloadUrl: (file, _args, context) => context.downloadUrl(toGlobalId(file.vendor, 'File', file.vendorId)),
    uploadedBy: (file, _args, context) => (file.uploadedById ? context.loaders.genericUser.load(file.uploadedById) : null),
};
//# sourceMappingURL=File.js.map