import { defineConfig } from 'vitest/config';

// Tests that run whole checks in-process take a few seconds alone and several times that on a
// loaded 2-core machine (CI runners, parallel jobs): a generous limit keeps them from failing on load.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
