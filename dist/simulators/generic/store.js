import { seedGenericUsers } from "./seed.js";
export function createGenericStore(settings) {
    const users = seedGenericUsers(settings.seed, settings.userCount);
    return {
        users,
        serviceUserId: users[0]?.id ?? '',
        tokens: new Map(),
        idempotency: new Map(),
    };
}
//# sourceMappingURL=store.js.map