import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { badInput } from '../../errors.ts';
import { publishChange } from '../../published-changes.ts';

/** More than this in one mutation is refused: it would hold the request past any sensible deadline. */
const MAX_USERS_PER_MUTATION = 1000;

export const userMutations: MutationResolvers = {
  createUsers: async (_parent, { input }, context) => {
    if (input.length === 0) throw badInput('input must hold at least one user', { argument: 'input' });
    if (input.length > MAX_USERS_PER_MUTATION) {
      throw badInput(`at most ${MAX_USERS_PER_MUTATION} users per mutation, got ${input.length}`, { argument: 'input' });
    }
    const results = await context.vendors.generic.createUsers(input, context.call);
    for (const { user, outcome } of results) {
      if (user && outcome) publishChange(context, outcome === 'created' ? 'CREATED' : 'UPDATED', { entityType: 'USER', entity: user });
    }
    return {
      results: results.map((r) => ({ index: r.index, user: r.user, outcome: outcomeOf(r.outcome), error: r.error })),
      createdCount: results.filter((r) => r.outcome === 'created').length,
      updatedCount: results.filter((r) => r.outcome === 'updated').length,
      failedCount: results.filter((r) => r.error !== null).length,
    };
  },
};

function outcomeOf(outcome: 'created' | 'updated' | null): 'CREATED' | 'UPDATED' | null {
  if (outcome === null) return null;
  return outcome === 'created' ? 'CREATED' : 'UPDATED';
}
