import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node (and so Apollo, and production under tsx) loads graphql's CommonJS build; Vite would pick its ESM
    // build for our sources. Two copies break `instanceof GraphQLError`, so tests use the one Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // Generous: end-to-end tests start five simulators and a gateway, and CI's two cores run files in parallel.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most end-to-end tests wait on rate limits and latency, not the CPU: four workers on CI's two cores take a
    // third of the time one does (vitest's default there is cores - 1).
    maxWorkers: 4,
    // A worker keeps its modules from one test file to the next: importing the gateway afresh for each of ~120
    // files was about half of the suite's CPU (vitest's "import" time: 281 s of 709 s of tests; 59 s without).
    // Tests therefore build their own state (stacks, stores, clocks) and restore what they stub. Vitest keeps
    // the two projects in separate workers, and test/helpers/gateway.ts checks that STRICT_SIMULATORS still
    // says what it did when loaded.
    isolate: false,
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'] } },
      // The GraphQL suite again, against simulators that serve only what each vendor documents
      // (test/helpers/gateway.ts, strictSimulators): every feature works without our extensions, or says why not.
      { extends: true, test: { name: 'strict', include: ['test/graphql/*.test.ts'], env: { STRICT_SIMULATORS: '1' } } },
    ],
  },
});
