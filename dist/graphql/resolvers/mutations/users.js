import { badInput } from "../../errors.js";
/** More than this in one mutation is refused: it would hold the request past any sensible deadline. */
const MAX_USERS_PER_MUTATION = 1000;
export const userMutations = {
    createUsers: async (_parent, { input }, context) => {
        if (input.length === 0)
            throw badInput('input must hold at least one user', { argument: 'input' });
        if (input.length > MAX_USERS_PER_MUTATION) {
            throw badInput(`at most ${MAX_USERS_PER_MUTATION} users per mutation, got ${input.length}`, { argument: 'input' });
        }
        const results = await context.vendors.generic.createUsers(input, context.call);
        return {
            results: results.map((r) => ({ index: r.index, user: r.user, error: r.error })),
            createdCount: results.filter((r) => r.user !== null).length,
            failedCount: results.filter((r) => r.error !== null).length,
        };
    },
};
//# sourceMappingURL=users.js.map