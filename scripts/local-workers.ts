// Helpers shared by scripts/start.ts and bench/run.ts: local secrets, D1
// migrations, and the service and Lever sandbox workers run under
// `wrangler dev --local`, each in its own process group so that stopping one
// also ends the workerd it started.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");
const DEV_VARS = join(ROOT, ".dev.vars");

/** Environment for every wrangler child: no metrics, no Cloudflare fetches, no prompts. */
export const WORKER_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  // Keeps wrangler from prompting; it never reaches Cloudflare in local mode.
  CI: "true",
};

export interface LocalSecrets {
  ENCRYPTION_KEY: string;
  ADMIN_TOKEN: string;
}

/**
 * Reads the service's secrets from .dev.vars, creating the missing ones:
 * ENCRYPTION_KEY as 32 random bytes in base64 and ADMIN_TOKEN as 24 random bytes
 * in base64url. Existing values are kept, so running workers stay compatible.
 */
export function ensureDevVars(): LocalSecrets {
  const values = new Map<string, string>();
  if (existsSync(DEV_VARS)) {
    for (const line of readFileSync(DEV_VARS, "utf8").split("\n")) {
      const match = /^\s*([A-Z0-9_]+)\s*=\s*"?([^"]*)"?\s*$/.exec(line);
      if (match) values.set(match[1]!, match[2]!);
    }
  }
  let changed = false;
  if (!values.get("ENCRYPTION_KEY")) {
    values.set("ENCRYPTION_KEY", randomBytes(32).toString("base64"));
    changed = true;
  }
  if (!values.get("ADMIN_TOKEN")) {
    values.set("ADMIN_TOKEN", randomBytes(24).toString("base64url"));
    changed = true;
  }
  if (changed) {
    const text = [...values].map(([name, value]) => `${name}="${value}"`).join("\n") + "\n";
    writeFileSync(DEV_VARS, text, { mode: 0o600 });
    console.log("Created local secrets in .dev.vars (git-ignored).");
  }
  return { ENCRYPTION_KEY: values.get("ENCRYPTION_KEY")!, ADMIN_TOKEN: values.get("ADMIN_TOKEN")! };
}

/** Runs a command to completion with its output in `logFile`; rejects on a non-zero exit. */
export function runLogged(command: string, args: string[], logFile: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const log = openSync(logFile, "w");
    const child = spawn(command, args, { cwd: ROOT, env: WORKER_ENV, stdio: ["ignore", log, log] });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}; see ${logFile}`)),
    );
  });
}

/** Applies the service's D1 migrations to the local database under `persistTo`. */
export function applyLocalMigrations(persistTo: string, logFile: string): Promise<void> {
  return runLogged("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], logFile);
}

export interface WorkerGroup {
  /** Starts `wrangler dev --local` with the extra arguments; output goes to `<logDir>/<name>.log`. */
  start(name: string, args: string[]): ChildProcess;
  /** Sends SIGTERM to the process group of every worker still running. */
  stop(): void;
}

/**
 * Creates a group of `wrangler dev` workers sharing one `--persist-to`
 * directory. A worker that exits with an error before `stop()` is reported
 * through `onUnexpectedExit`.
 */
export function createWorkerGroup(options: {
  persistTo: string;
  logDir: string;
  onUnexpectedExit: (name: string, code: number, logFile: string) => void;
}): WorkerGroup {
  const children: ChildProcess[] = [];
  let stopping = false;

  function stop(): void {
    stopping = true;
    for (const child of children) {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          // The child leads its own process group, so this also ends wrangler's workerd.
          process.kill(-child.pid, "SIGTERM");
        } catch {
          // Already gone.
        }
      }
    }
  }

  function start(name: string, args: string[]): ChildProcess {
    const logFile = join(options.logDir, `${name}.log`);
    const log = openSync(logFile, "w");
    const child = spawn(
      "npx",
      [
        "wrangler",
        "dev",
        "--local",
        "--ip",
        "127.0.0.1",
        "--persist-to",
        options.persistTo,
        "--show-interactive-dev-session=false",
        ...args,
      ],
      { cwd: ROOT, env: WORKER_ENV, stdio: ["ignore", log, log], detached: true },
    );
    child.on("exit", (code) => {
      if (code !== null && code !== 0 && !stopping) options.onUnexpectedExit(name, code, logFile);
    });
    children.push(child);
    return child;
  }

  return { start, stop };
}

/** Polls `url` until it returns a 2xx status; throws after `timeoutMs`. */
export async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`${url} did not respond within ${timeoutMs / 1000} s`);
}

/** Sends a JSON request and returns the parsed body; throws with the status and body on a non-2xx status. */
export async function requestJson(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${new URL(url).pathname} failed with status ${response.status}: ${text}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago. Another process
 * may still take it before wrangler binds it; wrangler then fails to start.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolvePromise(port) : reject(new Error("could not read the port of a probe socket"))));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}
