import { defineConfig } from 'vitest/config';

// Suites that need ../shared/corpus and Debian's keepalived (installed by .ci/run).
export default defineConfig({
  test: { include: ['test/corpus/**/*.test.ts'], testTimeout: 600000 },
});
