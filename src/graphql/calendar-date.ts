/**
 * The `Date` scalar as the schema and codegen describe it: a `YYYY-MM-DD` string on the way in as well as out.
 * graphql-scalars' DateResolver checks the value but hands resolvers a JS Date at midnight UTC, which a vendor
 * form would then receive as `Tue Feb 28 1950 ...`; this keeps its checks and gives back the calendar date.
 */
import { GraphQLScalarType, type ValueNode } from 'graphql';
import { DateResolver } from 'graphql-scalars';

function calendarDay(value: unknown): string {
  // DateResolver returns a Date for every value it accepts, at midnight UTC of the day given.
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}

const config = DateResolver.toConfig();

export const CalendarDateResolver = new GraphQLScalarType({
  ...config,
  parseValue: (value: unknown) => calendarDay(DateResolver.parseValue(value)),
  parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) => calendarDay(DateResolver.parseLiteral(ast, variables)),
});
