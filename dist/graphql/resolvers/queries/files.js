import { offsetConnection, scopeOf } from "../../connection.js";
import { fromGlobalId } from "../../global-id.js";
export const fileQueries = {
    file: (_parent, { id }, context) => {
        const decoded = fromGlobalId(id, 'File');
        return decoded.vendor === 'CARECLOUD' ? context.loaders.carecloudFile.load(decoded.id) : null;
    },
    files: (_parent, args, context) => {
        const { carecloud } = context.vendors;
        const source = carecloud.files(context.call);
        return offsetConnection(source, args, context.vendors.cursors, scopeOf('files', [carecloud.workspaceId, carecloud.bucketId]));
    },
};
//# sourceMappingURL=files.js.map