// Starts the service and the Lever sandbox under `wrangler dev --local` on free
// 127.0.0.1 ports, with a fresh local D1 (migrations applied) and random
// secrets, for the Node-side tests in this folder. Stops both by process group
// when the run ends. Worker logs go to .wrangler/browser-test-logs.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

const ROOT = resolve(import.meta.dirname, "../..");
const LOG_DIR = join(ROOT, ".wrangler", "browser-test-logs");
const STARTUP_TIMEOUT_MS = 90_000;

declare module "vitest" {
  export interface ProvidedContext {
    serviceUrl: string;
    sandboxUrl: string;
    adminToken: string;
    logDir: string;
  }
}

const childEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  // Keeps wrangler from prompting. Local mode never reaches Cloudflare.
  CI: "true",
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stateDir = mkdtempSync(join(tmpdir(), "goodtime-lever-browser-"));
  mkdirSync(LOG_DIR, { recursive: true });
  const children: ChildProcess[] = [];

  const stop = async () => {
    await Promise.all(children.map(stopProcessGroup));
    rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    const [servicePort, serviceInspector, sandboxPort, sandboxInspector] = await freePorts(4);
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const adminToken = randomBytes(24).toString("base64url");
    const encryptionKey = randomBytes(32).toString("base64");

    await runToEnd(
      ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir, "-c", "wrangler.jsonc"],
      "migrations",
    );

    children.push(
      startWorker("sandbox", [
        "-c",
        "sandbox/wrangler.jsonc",
        "--port",
        String(sandboxPort),
        "--inspector-port",
        String(sandboxInspector),
        "--persist-to",
        stateDir,
        "--var",
        `SANDBOX_API_KEY:sbx-${randomBytes(12).toString("hex")}`,
      ]),
      startWorker("service", [
        "-c",
        "wrangler.jsonc",
        "--port",
        String(servicePort),
        "--inspector-port",
        String(serviceInspector),
        "--persist-to",
        stateDir,
        "--var",
        `PUBLIC_ORIGIN:${serviceUrl}`,
        "--var",
        `ADMIN_TOKEN:${adminToken}`,
        "--var",
        `ENCRYPTION_KEY:${encryptionKey}`,
        "--var",
        "LOG_LEVEL:warn",
      ]),
    );
    await Promise.all([waitForHealth(`${sandboxUrl}/healthz`, children[0]!), waitForHealth(`${serviceUrl}/healthz`, children[1]!)]);

    project.provide("serviceUrl", serviceUrl);
    project.provide("sandboxUrl", sandboxUrl);
    project.provide("adminToken", adminToken);
    project.provide("logDir", LOG_DIR);
  } catch (error) {
    await stop();
    throw new Error(`Could not start the workers for the browser tests (logs in ${LOG_DIR}): ${(error as Error).message}`);
  }
  return stop;
}

function startWorker(name: string, args: string[]): ChildProcess {
  const log = openSync(join(LOG_DIR, `${name}.log`), "w");
  return spawn(
    "npx",
    ["wrangler", "dev", "--local", "--ip", "127.0.0.1", "--show-interactive-dev-session=false", ...args],
    // detached: the child leads its own process group, so stopping it also stops workerd.
    { cwd: ROOT, env: childEnv, stdio: ["ignore", log, log], detached: true },
  );
}

function runToEnd(args: string[], name: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const log = openSync(join(LOG_DIR, `${name}.log`), "w");
    const child = spawn("npx", args, { cwd: ROOT, env: childEnv, stdio: ["ignore", log, log] });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`npx ${args.slice(0, 4).join(" ")} exited with ${code}; see ${name}.log`)),
    );
  });
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once("exit", () => resolvePromise()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the worker for ${url} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
  }
  throw new Error(`${url} did not answer within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

/** Returns ports that the OS reports free right now. Another process could still take one before wrangler binds it. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolvePromise, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolvePromise(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address for a probe socket");
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolvePromise) => server.close(resolvePromise))));
  return ports;
}
