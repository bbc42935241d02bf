import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Bindings the tests depend on are pinned here, because .dev.vars is loaded
// into tests too and these take precedence over it.
const TEST_BINDINGS = {
  PUBLIC_ORIGIN: "https://sync.test",
  LOG_LEVEL: "warn",
  // 32 bytes of zeros, base64: a fixed test key, never used outside tests.
  ENCRYPTION_KEY: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
  ADMIN_TOKEN: "test-admin-token",
  LEVER_TIMEOUT_MS: "2000",
  LEVER_RETRY_BASE_MS: "20",
  LEVER_RETRY_CAP_MS: "1000",
};

export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.jsonc" },
        miniflare: {
          bindings: { ...TEST_BINDINGS, TEST_MIGRATIONS: migrations },
          // Every outbound fetch of the service, and of the tests, reaches the
          // Lever sandbox worker; nothing leaves the machine.
          outboundService: "lever-sandbox",
          workers: [
            {
              name: "lever-sandbox",
              modules: true,
              scriptPath: "sandbox/dist/index.js",
              compatibilityDate: "2026-08-22",
              bindings: { SANDBOX_API_KEY: "sandbox-test-key" },
            },
          ],
        },
      }),
    ],
    test: {
      setupFiles: ["./test/setup.ts"],
      include: ["test/**/*.test.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
