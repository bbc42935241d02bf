// `npm run bench`: starts the Lever sandbox and the service under
// `wrangler dev --local` on free ports with fresh local state. It then measures
// (a) Lever writes per GoodTime change for the fixture week, (b) a burst of 50
// updates to one panel, (d) webhook acceptance latency next to GET /healthz,
// and (c) 300 panels created at once for one tenant. (c) runs last because its
// backlog may outlast it. The results are printed and written to
// docs/benchmarks.md. All traffic goes to 127.0.0.1.

import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyLocalMigrations,
  createWorkerGroup,
  ensureDevVars,
  findFreePort,
  ROOT,
  runLogged,
  sleep,
  waitForHealth,
} from "../scripts/local-workers.ts";
import { createTenant, sandboxRateLimit, setSandboxRateLimit, type Endpoints } from "./api.ts";
import { formatBurst, runBurst } from "./burst.ts";
import { formatDrain, runDrain } from "./drain.ts";
import { formatLatency, LATENCY_LIMITS, runLatency } from "./latency.ts";
import { describeMachine, formatLoadAverage, renderReport, renderSummary, type BenchResults } from "./report.ts";
import { formatWeek, runWeek } from "./week.ts";

const LOG_DIR = join(ROOT, ".wrangler", "bench-logs");
const REPORT_FILE = join(ROOT, "docs", "benchmarks.md");

const STARTUP_TIMEOUT_MS = 90_000;
/** Hard limit for the whole run: about four times what a run took on the 2-core machine in docs/benchmarks.md. */
const BENCH_TIMEOUT_MS = 12 * 60_000;
const STOP_TIMEOUT_MS = 10_000;

const DRAIN_PANELS = 300;
const LATENCY_SAMPLES = 500;
/** The service's default tenant limit, set explicitly so the run does not depend on the default. */
const TENANT_LIMITS = { perSecond: 8, burst: 16 };

const tempDir = mkdtempSync(join(tmpdir(), "goodtime-lever-bench-"));
const stateDir = join(tempDir, "state");
const bundleDir = join(tempDir, "bundle");
const children: ChildProcess[] = [];
const workers = createWorkerGroup({
  persistTo: stateDir,
  logDir: LOG_DIR,
  onUnexpectedExit(name, code, logFile) {
    console.error(`\nThe ${name} worker exited with code ${code}; see ${logFile}`);
    void shutdown(1);
  },
});

let shuttingDown = false;

main().then(
  (exitCode) => shutdown(exitCode),
  (error: unknown) => {
    console.error(`\nnpm run bench failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`Worker logs: ${LOG_DIR}`);
    return shutdown(1);
  },
);

async function main(): Promise<number> {
  process.on("SIGINT", () => void shutdown(130));
  process.on("SIGTERM", () => void shutdown(143));
  setTimeout(() => {
    console.error(`\nnpm run bench timed out after ${BENCH_TIMEOUT_MS / 60_000} min; stopping the workers. Logs: ${LOG_DIR}`);
    void shutdown(1);
  }, BENCH_TIMEOUT_MS).unref();

  const startedAt = new Date();
  const started = performance.now();
  mkdirSync(LOG_DIR, { recursive: true });

  step("Machine");
  const machine = describeMachine();
  console.log(
    `  nproc ${machine.nproc}, ${machine.memoryGiB} GiB, ${machine.cpuModel}; load ${machine.loadAverage}; ` +
      `Node ${machine.node}, wrangler ${machine.wrangler}`,
  );

  const secrets = ensureDevVars();
  const [servicePort, sandboxPort, serviceInspectorPort, sandboxInspectorPort] = await findDistinctFreePorts(4);
  const endpoints: Endpoints = {
    serviceUrl: `http://127.0.0.1:${servicePort}`,
    sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
    adminToken: secrets.ADMIN_TOKEN,
  };

  step(`Applying D1 migrations to fresh local state in ${stateDir}`);
  mkdirSync(stateDir);
  await applyLocalMigrations(stateDir, join(LOG_DIR, "migrations.log"));

  step("Bundling a snapshot of src/ and sandbox/src/");
  const [serviceEntry, sandboxEntry] = await Promise.all([
    bundleSnapshot("src/index.ts", "service"),
    bundleSnapshot("sandbox/src/index.ts", "sandbox"),
  ]);

  step(`Starting the Lever sandbox on ${endpoints.sandboxUrl} and the service on ${endpoints.serviceUrl}`);
  children.push(
    workers.start("sandbox", [
      sandboxEntry,
      "-c",
      "sandbox/wrangler.jsonc",
      "--port",
      String(sandboxPort),
      "--inspector-port",
      String(sandboxInspectorPort),
    ]),
  );
  children.push(
    workers.start("service", [
      serviceEntry,
      "-c",
      "wrangler.jsonc",
      "--port",
      String(servicePort),
      "--inspector-port",
      String(serviceInspectorPort),
      "--var",
      `PUBLIC_ORIGIN:${endpoints.serviceUrl}`,
    ]),
  );
  await Promise.all([
    waitForHealth(`${endpoints.sandboxUrl}/healthz`, STARTUP_TIMEOUT_MS),
    waitForHealth(`${endpoints.serviceUrl}/healthz`, STARTUP_TIMEOUT_MS),
  ]);

  const results: BenchResults = {
    startedAt,
    durationMs: 0,
    machine,
    week: null,
    bursts: [],
    drain: null,
    latency: null,
    failures: [],
    serviceWarnings: {},
    loadAverageAtEnd: "",
  };

  await phase(results, "(a) fixture week", async () => {
    const tenant = await createTenant(endpoints, "bench-week", TENANT_LIMITS);
    console.log("  Created tenant bench-week with a new integration key and sandbox account.");
    results.week = await runWeek(endpoints, tenant);
    printLines(formatWeek(results.week));
  });

  await phase(results, "(b) burst of updates", async () => {
    const tenant = await createTenant(endpoints, "bench-burst", TENANT_LIMITS);
    console.log("  Created tenant bench-burst with a new integration key and sandbox account.");
    results.bursts.push(await runBurst(endpoints, tenant, "sequential"));
    results.bursts.push(await runBurst(endpoints, tenant, "concurrent"));
    printLines(formatBurst(results.bursts));
  });

  await phase(results, "(d) webhook latency", async () => {
    const tenant = await createTenant(endpoints, "bench-latency", LATENCY_LIMITS);
    await setSandboxRateLimit(endpoints, tenant, LATENCY_LIMITS);
    console.log(
      `  Created tenant bench-latency with a new integration key; tenant and sandbox account limited to ` +
        `${LATENCY_LIMITS.perSecond}/s, burst ${LATENCY_LIMITS.burst}.`,
    );
    results.latency = await runLatency(endpoints, tenant, LATENCY_SAMPLES);
    printLines(formatLatency(results.latency));
  });

  await phase(results, `(c) ${DRAIN_PANELS} panels at once`, async () => {
    const tenant = await createTenant(endpoints, "bench-drain", TENANT_LIMITS);
    const sandboxLimits = await sandboxRateLimit(endpoints, tenant);
    console.log(
      `  Created tenant bench-drain (${tenant.rateLimitPerSecond}/s, burst ${tenant.rateLimitBurst}) on a sandbox account ` +
        `limited to ${sandboxLimits.perSecond}/s, burst ${sandboxLimits.burst}.`,
    );
    results.drain = await runDrain(endpoints, tenant, DRAIN_PANELS, sandboxLimits);
    printLines(formatDrain(results.drain));
  });

  // An interrupted run keeps the previous report instead of overwriting it with failures.
  if (shuttingDown) return 1;
  results.serviceWarnings = countServiceWarnings(join(LOG_DIR, "service.log"));
  results.durationMs = performance.now() - started;
  results.loadAverageAtEnd = formatLoadAverage();
  writeFileSync(REPORT_FILE, renderReport(results) + "\n");

  step("Summary");
  printLines(renderSummary(results));
  console.log(`  Run time ${(results.durationMs / 1000).toFixed(0)} s. Report: docs/benchmarks.md. Worker logs: ${LOG_DIR}`);
  return results.failures.length > 0 ? 1 : 0;
}

/** Runs one measurement; a failure is recorded and reported, and the next phase still runs. */
async function phase(results: BenchResults, name: string, body: () => Promise<void>): Promise<void> {
  if (shuttingDown) return;
  step(name);
  const started = performance.now();
  try {
    await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`  FAILED: ${message}`);
    results.failures.push({ phase: name, message });
  }
  console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * Bundles a worker's source as it is now into the temporary directory, so the
 * run measures one version of the code. `wrangler dev` reloads a worker when a
 * watched source file changes, and a reload of the sandbox drops its in-memory
 * accounts, so the workers run from these copies instead of the working tree.
 * The flags follow the package's build:sandbox script.
 */
async function bundleSnapshot(entry: string, name: string): Promise<string> {
  const outfile = join(bundleDir, `${name}.js`);
  await runLogged(
    "npx",
    [
      "esbuild",
      entry,
      "--bundle",
      "--format=esm",
      "--platform=neutral",
      "--main-fields=module,main",
      "--conditions=workerd,worker,browser",
      "--external:cloudflare:*",
      `--outfile=${outfile}`,
      "--log-level=warning",
    ],
    join(LOG_DIR, `bundle-${name}.log`),
  );
  return outfile;
}

async function findDistinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let attempt = 0; ports.size < count && attempt < count * 10; attempt++) ports.add(await findFreePort());
  if (ports.size < count) throw new Error(`found only ${ports.size} free ports on 127.0.0.1, need ${count}`);
  return [...ports];
}

/** Counts the warn and error events that the service logged as JSON lines. */
function countServiceWarnings(logFile: string): Record<string, number> {
  const counts: Record<string, number> = {};
  let text: string;
  try {
    text = readFileSync(logFile, "utf8");
  } catch {
    return counts;
  }
  // wrangler prints warn and error lines behind a coloured "[WARNING]" or "[ERROR]" prefix.
  for (const line of text.split("\n")) {
    const json = /\{"level":.*\}/.exec(line)?.[0];
    if (!json) continue;
    try {
      const entry = JSON.parse(json) as { level?: string; event?: string };
      if ((entry.level === "warn" || entry.level === "error") && entry.event) counts[entry.event] = (counts[entry.event] ?? 0) + 1;
    } catch {
      // Not one of the service's log lines.
    }
  }
  return counts;
}

/** Stops both workers by process group, waits for them to exit, removes the temporary state and exits. */
async function shutdown(exitCode: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  workers.stop();
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (children.some((child) => child.exitCode === null && child.signalCode === null) && Date.now() < deadline) await sleep(100);
  rmSync(tempDir, { recursive: true, force: true });
  process.exit(exitCode);
}

function step(message: string): void {
  console.log(`\n== ${message}`);
}

function printLines(lines: readonly string[]): void {
  for (const line of lines) console.log(`  ${line}`);
}
