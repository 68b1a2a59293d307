import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites start their own Dovecot, DNS responder and Bot API double on free ports.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
