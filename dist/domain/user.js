/** Name, then id: the stable order merged user lists follow. */
export function displayName(user) {
    const name = [user.firstName, user.lastName].filter((part) => part && part.trim()).join(' ');
    return name || user.email || user.vendorId;
}
//# sourceMappingURL=user.js.map