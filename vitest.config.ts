import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start real servers on 127.0.0.1; forks keep each file's sockets and
    // child processes isolated so one crash cannot take the run down.
    pool: 'forks',
  },
});
