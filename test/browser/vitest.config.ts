// Node-side end-to-end tests: the settings pages in headless Chromium and the
// operator CLI, both against real `wrangler dev` processes that global-setup.ts
// starts. `npm test` runs this config after the Workers pool tests. The files
// end in .e2e.ts so the Workers project's `test/**/*.test.ts` never picks them up.

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "browser",
    environment: "node",
    include: ["test/browser/**/*.e2e.ts"],
    globalSetup: ["./test/browser/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Both files share the two workers, so running them one after another keeps their logs readable.
    fileParallelism: false,
  },
});
