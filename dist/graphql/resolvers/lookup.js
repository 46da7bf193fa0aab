export async function loadUser(id, context) {
    switch (id.vendor) {
        case 'CAREHQ':
            return context.loaders.careHqUser.load(id.id);
        case 'CASEWARE':
            return context.loaders.casewareUser.load(id.id);
        case 'GENERIC':
            return context.loaders.genericUser.load(id.id);
        default:
            return null;
    }
}
export async function loadNode(id, context) {
    const { loaders } = context;
    switch (`${id.vendor}:${id.type}`) {
        case 'CAREHQ:Enquiry':
            return loaders.careHqEnquiry.load(id.id);
        case 'CLINICEA:Lead':
            return loaders.cliniceaLead.load(id.id);
        case 'CASEWARE:Client':
            return loaders.casewareClient.load(id.id);
        case 'CARECLOUD:File':
            return loaders.carecloudFile.load(id.id);
        default:
            return id.type === 'User' ? loadUser(id, context) : null;
    }
}
/** Records of one vendor by vendor id, dropping unknown ones; a failed lookup fails the field. */
export async function loadAll(loader, ids) {
    const results = await loader.loadMany(ids);
    const failure = results.find((r) => r instanceof Error);
    if (failure)
        throw failure;
    return results.filter((r) => r !== null);
}
//# sourceMappingURL=lookup.js.map