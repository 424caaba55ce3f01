import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real HTTPS servers and bot processes (tsx loads all of src each time);
    // a 2-core CI machine running two workers needs room. A timeout only bounds a failing test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: a single worker on the 2-core machines,
    // while most of a bot test's time is spent waiting on sockets and child processes.
    maxWorkers: 2,
  },
});
