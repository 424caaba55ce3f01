import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real HTTPS servers; give them room on a 2-core CI machine.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: a single worker on the 2-core machines,
    // while most of a bot test's time is spent waiting on sockets and child processes.
    maxWorkers: 2,
  },
});
