// The operator CLI (scripts/admin.ts) against the running service: every
// command, its help, the exit codes and that it never prints the token.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_EMAIL,
  GOODTIME_ORIGIN,
  ROOT,
  SUPER_ADMIN_EMAIL,
  adminToken,
  createSandboxAccount,
  fixtureEvent,
  sandboxUrl,
  sendWebhook,
  serviceUrl,
} from "./support";

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const SLUG = "e2e-cli";

/** Runs `node scripts/admin.ts` with this Node (22, which strips types) and the given environment. */
function cli(args: string[], options: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      SERVICE_URL: serviceUrl(),
      ADMIN_TOKEN: adminToken(),
      ...options.env,
    };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    const child = spawn(process.execPath, ["scripts/admin.ts", ...args], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

/** Returns a port that was free a moment ago, so a connection to it is refused. */
function closedPort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as AddressInfo;
      server.close(() => resolvePromise(address.port));
    });
  });
}

function expectNoToken(result: CliResult): void {
  expect(result.stdout).not.toContain(adminToken());
  expect(result.stderr).not.toContain(adminToken());
}

describe("admin cli", () => {
  let workDir: string;
  let tokenFile: string;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), "goodtime-lever-cli-"));
    tokenFile = join(workDir, "admin-token");
    writeFileSync(tokenFile, `${adminToken()}\n`, { mode: 0o600 });
  });

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("prints help for every command", async () => {
    const general = await cli(["--help"]);
    expect(general.code).toBe(0);
    const commands = [
      "tenant create",
      "tenant update",
      "tenant show",
      "integration enable",
      "integration disable",
      "key generate",
      "key list",
      "key revoke",
      "audit",
    ];
    for (const command of commands) {
      expect(general.stdout).toContain(command);
      const help = await cli([...command.split(" "), "--help"]);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`Usage: npm run admin -- ${command}`);
      expect(help.stdout, command).toContain("--url URL");
      expect(help.stdout, command).toContain("--token-file FILE");
    }
    const create = await cli(["tenant", "create", "--help"]);
    expect(create.stdout).toMatch(/--lever-api-key-file FILE\s+\(required\) File that contains the tenant's Lever API key/);
    expect(create.stdout).toMatch(/--rate-limit-per-second N\s+Lever requests per second/);
  });

  it("runs the tenant and key lifecycle", async () => {
    const leverApiKey = await createSandboxAccount();
    const created = await cli(
      [
        "tenant",
        "create",
        SLUG,
        "--name",
        "Acme (CLI)",
        "--lever-api-base-url",
        `${sandboxUrl()}/v1`,
        "--lever-api-key-file",
        "-",
        "--lever-app-origin",
        sandboxUrl(),
        "--goodtime-origin",
        GOODTIME_ORIGIN,
      ],
      { stdin: `${leverApiKey}\n` },
    );
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/GoodTime integration\s+off/);
    expect(created.stdout).not.toContain(leverApiKey);

    const enabled = await cli(["integration", "enable", SLUG, "--acting-user", SUPER_ADMIN_EMAIL, "--token-file", tokenFile], {
      env: { ADMIN_TOKEN: undefined },
    });
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toContain(`GoodTime integration for ${SLUG} is now on.`);

    const generated = await cli(["key", "generate", SLUG, "--acting-user", SUPER_ADMIN_EMAIL]);
    expect(generated.code).toBe(0);
    expect(generated.stderr).toContain("It cannot be shown again.");
    const integrationKey = generated.stdout.trim();
    expect(integrationKey).toMatch(/^gtlk_[0-9A-Za-z]{36}$/);
    expectNoToken(generated);

    const accepted = await sendWebhook(integrationKey, fixtureEvent("e2e-cli"));
    expect(accepted.status).toBe(202);

    const listed = await cli(["key", "list", SLUG]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${integrationKey.slice(0, 9)}…`);
    expect(listed.stdout).not.toContain(integrationKey);
    const keyId = /^\s+([0-9a-f-]{36})\s/m.exec(listed.stdout)?.[1];
    expect(keyId).toBeDefined();

    const shown = await cli(["tenant", "show", SLUG, "--json"]);
    expect(shown.code).toBe(0);
    const body = JSON.parse(shown.stdout) as { tenant: { integrationEnabled: boolean }; keys: unknown[]; panels: Record<string, number> };
    expect(body.tenant.integrationEnabled).toBe(true);
    expect(body.keys).toHaveLength(1);
    expect(shown.stdout).not.toContain(leverApiKey);

    const updated = await cli(["tenant", "update", SLUG, "--name", "Acme (CLI, renamed)", "--rate-limit-burst", "20"]);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/Name\s+Acme \(CLI, renamed\)/);
    expect(updated.stdout).toMatch(/Lever rate limit\s+8\/s, burst 20/);

    const revoked = await cli(["key", "revoke", SLUG, keyId!, "--acting-user", SUPER_ADMIN_EMAIL]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked key ${keyId}`);
    const rejected = await sendWebhook(integrationKey, fixtureEvent("e2e-cli-revoked"));
    expect(rejected.status).toBe(403);

    const audit = await cli(["audit", SLUG, "--limit", "10"]);
    expect(audit.code).toBe(0);
    const actions = audit.stdout.split("\n").filter(Boolean).map((line) => line.split(/\s+/)[1]);
    expect(actions).toEqual(["key.revoked", "tenant.updated", "key.generated", "integration.enabled", "tenant.created"]);
    expect(audit.stdout).not.toContain(integrationKey);
    expect(audit.stdout).not.toContain(leverApiKey);
  });

  it("shows the API error for a non super admin", async () => {
    const result = await cli(["integration", "disable", SLUG, "--acting-user", ADMIN_EMAIL]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("403 forbidden: Only an active Lever Super Admin");
    expectNoToken(result);
  });

  it("shows validation issues", async () => {
    const result = await cli(["key", "generate", SLUG, "--acting-user", "not-an-email"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("400 invalid_request: The request body is invalid.");
    expect(result.stderr).toMatch(/actingUserEmail: /);
  });

  it("rejects a wrong token without printing it", async () => {
    const wrongToken = `wrong-${Date.now()}`;
    const result = await cli(["key", "list", SLUG], { env: { ADMIN_TOKEN: wrongToken } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("401 unauthorized");
    expect(result.stderr).toContain("Check ADMIN_TOKEN or --token-file.");
    expect(result.stderr).not.toContain(wrongToken);
    expect(result.stdout).toBe("");
  });

  it.each([
    ["no token", ["key", "list", SLUG], { ADMIN_TOKEN: undefined }, "No operator token"],
    ["missing argument", ["key", "revoke", SLUG], {}, "key revoke takes <slug> <key-id>"],
    ["missing option", ["key", "generate", SLUG], {}, "Missing --acting-user"],
    ["unknown option", ["key", "list", SLUG, "--bogus"], {}, "Unknown option '--bogus'"],
    ["unknown command", ["keys", "list"], {}, 'Unknown command "keys list"'],
    ["bad limit", ["audit", SLUG, "--limit", "0"], {}, "--limit must be a whole number from 1 to 500"],
    ["bad url", ["key", "list", SLUG, "--url", "ftp://example"], {}, "--url must be an http or https URL"],
    ["missing token file", ["key", "list", SLUG, "--token-file", "/nonexistent/token"], {}, "Cannot read --token-file"],
  ])("rejects %s with exit 2", async (_name, args, env, message) => {
    const result = await cli(args, { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expectNoToken(result);
  });

  it("reports an unreachable service", async () => {
    const port = await closedPort();
    const result = await cli(["key", "list", SLUG, "--url", `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Could not reach the service at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });
});
