/**
 * The bench's two peers, each in a process of its own (`node --import tsx bench/peers.ts floor|bare <file>`),
 * answering from memory what the gateway answered for the same query, recorded in <file>:
 * - `floor`: Apollo Server with this project's schema (schema/*.graphql, as src/graphql/schema.ts loads it)
 *   whose resolvers return the recorded, already mapped records: the cost of Apollo and graphql-js alone.
 * - `bare`: node:http answering the recorded bytes: the cost of HTTP alone.
 * Prints `BENCH_PEER <url>` once listening.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { loadTypeDefs } from '../src/graphql/schema.ts';

async function floor(data: Record<string, unknown>): Promise<string> {
  // Every root field the recorded answer holds returns its recorded value; nested fields (assignees included)
  // are plain properties, which graphql-js's default resolver reads without a promise.
  const Query = Object.fromEntries(Object.entries(data).map(([field, value]) => [field, () => value]));
  const apollo = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(loadTypeDefs()), resolvers: { Query } }]) });
  const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } });
  return url;
}

async function bare(bytes: Buffer): Promise<string> {
  const server = createServer((req, res) => {
    // Drain the request body before answering, as any server reading a POST does.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
      res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  if (!file || (kind !== 'floor' && kind !== 'bare')) throw new Error(`usage: peers.ts floor|bare <recorded answer>, got ${process.argv.slice(2).join(' ')}`);
  const bytes = readFileSync(file);
  const url = kind === 'floor' ? await floor((JSON.parse(bytes.toString('utf8')) as { data: Record<string, unknown> }).data) : await bare(bytes);
  console.log(`BENCH_PEER ${url}`);
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
