import { buildCareHqSeed } from "./seed.js";
export function createCareHqStore(settings) {
    const seeded = buildCareHqSeed(settings);
    return { enquiries: seeded.enquiries, users: seeded.users };
}
//# sourceMappingURL=store.js.map