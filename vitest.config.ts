import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Simulators listen on loopback; suites run in parallel files but each starts its own servers.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
