/**
 * A second subgraph for the composition test: another team's "notes" service. It extends every entity of the
 * vendor graph, Client and Enquiry by the native key (`vendor vendorId`), User, Lead and File by our global
 * `id`, and implements Relay's `node`. It knows nothing of the vendors; it only holds references, which is
 * what a router has to turn into `_entities` calls on the vendor graph.
 *
 * A `node` shared by two subgraphs must resolve the same way in both (composition refuses runtime types that
 * do not intersect), so this one also answers the vendor graph's ids of the types it extends by `id`, with its
 * own fields; the router completes the rest from the vendor graph. It reads the type from the id, whose format the
 * vendor graph documents for federation partners (`base64url("v1:<VENDOR>:<Type>:<vendor id>")`).
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse } from 'graphql';

export const OTHER_SUBGRAPH_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])

  enum Vendor {
    CAREHQ
    CLINICEA
    CASEWARE
    CARECLOUD
    GENERIC
  }

  interface Node {
    id: ID!
  }

  type Note implements Node @key(fields: "id") {
    id: ID!
    text: String!
    users: [User!]!
    clients: [Client!]!
    enquiry: Enquiry
    lead: Lead
    file: File
  }

  type User implements Node @key(fields: "id") {
    id: ID!
    noteCount: Int!
  }

  type Lead implements Node @key(fields: "id") {
    id: ID!
    noteCount: Int!
  }

  type File implements Node @key(fields: "id") {
    id: ID!
    noteCount: Int!
  }

  type Client @key(fields: "vendor vendorId") {
    vendor: Vendor!
    vendorId: String!
    noteCount: Int!
  }

  type Enquiry @key(fields: "vendor vendorId") {
    vendor: Vendor!
    vendorId: String!
    noteCount: Int!
  }

  type Query {
    node(id: ID!): Node @shareable
    nodes(ids: [ID!]!): [Node]! @shareable
    notes: [Note!]!
  }
`;

export interface NativeRef {
  readonly vendor: string;
  readonly vendorId: string;
}

/** A note, as the test writes it: references by the key each type is extended by here. */
export interface Note {
  readonly id: string;
  readonly text: string;
  readonly userIds: readonly string[];
  readonly clients: readonly NativeRef[];
  readonly enquiry?: NativeRef;
  readonly leadId?: string;
  readonly fileId?: string;
}

export interface OtherSubgraph {
  readonly url: string;
  /** Representations this subgraph was asked to resolve, by type: what the router sent it. */
  readonly references: object[];
  close(): Promise<void>;
}

export async function startOtherSubgraph(notes: readonly Note[]): Promise<OtherSubgraph> {
  const references: OtherSubgraph['references'] = [];
  const sameNative = (a: NativeRef, b: NativeRef) => a.vendor === b.vendor && a.vendorId === b.vendorId;
  const withCount = (pick: (note: Note) => readonly (string | undefined)[]) => (reference: { __typename: string; id: string }) => ({
    ...reference,
    noteCount: notes.filter((note) => pick(note).includes(reference.id)).length,
  });
  const byId = {
    User: withCount((note) => note.userIds),
    Lead: withCount((note) => [note.leadId]),
    File: withCount((note) => [note.fileId]),
  };
  const recorded = (resolve: (reference: { __typename: string; id: string }) => object) => (reference: { __typename: string; id: string }) => {
    references.push(reference);
    return resolve(reference);
  };
  const countByNative = (pick: (note: Note) => readonly (NativeRef | undefined)[]) => (reference: { __typename: string } & NativeRef) => {
    references.push(reference);
    return { ...reference, noteCount: notes.filter((note) => pick(note).some((ref) => ref !== undefined && sameNative(ref, reference))).length };
  };
  const nodeById = (id: string) => {
    const note = notes.find((candidate) => candidate.id === id);
    if (note) return note;
    const type = vendorGraphType(id);
    return type ? byId[type]({ __typename: type, id }) : null;
  };
  const resolvers = {
    Query: {
      notes: () => notes,
      node: (_: unknown, { id }: { id: string }) => nodeById(id),
      nodes: (_: unknown, { ids }: { ids: string[] }) => ids.map(nodeById),
    },
    Node: { __resolveType: (node: { __typename?: string }) => node.__typename ?? 'Note' },
    Note: {
      __resolveReference: (reference: { id: string }) => notes.find((note) => note.id === reference.id) ?? null,
      users: (note: Note) => note.userIds.map((id) => ({ id })),
      clients: (note: Note) => note.clients,
      enquiry: (note: Note) => note.enquiry ?? null,
      lead: (note: Note) => (note.leadId ? { id: note.leadId } : null),
      file: (note: Note) => (note.fileId ? { id: note.fileId } : null),
    },
    User: { __resolveReference: recorded(byId.User) },
    Lead: { __resolveReference: recorded(byId.Lead) },
    File: { __resolveReference: recorded(byId.File) },
    Client: { __resolveReference: countByNative((note) => note.clients) },
    Enquiry: { __resolveReference: countByNative((note) => [note.enquiry]) },
  };
  const server = new ApolloServer({
    // The resolver map is typed loosely by @apollo/subgraph; these shapes are checked by the test's answers.
    schema: buildSubgraphSchema([{ typeDefs: parse(OTHER_SUBGRAPH_SDL), resolvers: resolvers as unknown as GraphQLResolverMap<unknown> }]),
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, references, close: () => server.stop() };
}

/** The type of a vendor-graph User, Lead or File global id; undefined for any other id. */
function vendorGraphType(id: string): 'User' | 'Lead' | 'File' | undefined {
  const [version, , type] = Buffer.from(id, 'base64url').toString('utf8').split(':');
  return version === 'v1' && (type === 'User' || type === 'Lead' || type === 'File') ? type : undefined;
}
