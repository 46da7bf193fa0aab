import { GraphQLError } from 'graphql';
import { EVENT_ENTITY_SCOPES, SubscriptionLimitError, type EventEntityType, type VendorEvent } from '../../domain/events.ts';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import { ErrorCode, forbidden } from '../errors.ts';

const ALL_TYPES = Object.keys(EVENT_ENTITY_SCOPES) as EventEntityType[];

export const Subscription: SubscriptionResolvers = {
  vendorEvents: {
    // Checked once, when the subscription starts: a caller never receives an entity its scopes do not reach.
    subscribe: (_parent, { vendor, entityType }, context) => {
      const asked = entityType ? [entityType] : ALL_TYPES;
      const readable = asked.filter((type) => context.principal.can(EVENT_ENTITY_SCOPES[type]));
      if (readable.length === 0) {
        const scopes = asked.map((type) => EVENT_ENTITY_SCOPES[type]);
        throw forbidden(scopes, 'Subscription.vendorEvents', scopes.map((scope) => [scope]));
      }
      try {
        return context.events.subscribe(context.principal.id, { vendor, entityTypes: new Set(readable) }, () => context.dropSlowConsumer?.());
      } catch (error) {
        if (error instanceof SubscriptionLimitError) {
          throw new GraphQLError(error.message, { extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS, max: error.max } });
        }
        throw error;
      }
    },
    // Each event is the field's value as it stands.
    resolve: (event: VendorEvent) => event,
  },
};
