// `npm start` and `npm run demo`. Runs the service and the Lever sandbox on
// this machine with local D1 and Durable Objects, and creates a demo tenant
// with a fresh integration key. Then replays the fixture week of GoodTime
// events through the real webhook and prints what Lever now shows.
//
// Needs no Cloudflare account and no network. State lives in
// .wrangler/demo-state and is wiped at every start, because the sandbox keeps
// its Lever data in memory and the two must start from the same point.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  applyLocalMigrations,
  createWorkerGroup,
  ensureDevVars,
  requestJson,
  ROOT,
  sleep,
  waitForHealth,
} from "./local-workers.ts";

const STATE_DIR = join(ROOT, ".wrangler", "demo-state");
const LOG_DIR = join(ROOT, ".wrangler", "demo-logs");
const DEMO_FILE = join(ROOT, ".demo.json");
const FIXTURE_DIR = join(ROOT, "fixtures", "goodtime");

const SERVICE_PORT = Number(process.env.PORT ?? 8787);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 8788);
const SERVICE_URL = `http://127.0.0.1:${SERVICE_PORT}`;
const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
const SANDBOX_API_KEY = "sandbox-demo-key";
const GOODTIME_ORIGIN = "https://app.goodtime.example";
const DEMO_SLUG = "acme";
const SUPER_ADMIN_EMAIL = "ada.okafor@acme.example";
const WEBHOOK_SIGNATURE_TOKEN = readFileSync(join(ROOT, "fixtures", "lever", "webhook-signature-token.txt"), "utf8").trim();

const STARTUP_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 30_000;

const exitWhenConverged = process.argv.includes("--exit-when-converged");
const workers = createWorkerGroup({
  persistTo: STATE_DIR,
  logDir: LOG_DIR,
  onUnexpectedExit(name, code, logFile) {
    console.error(`\nThe ${name} worker exited with code ${code}; see ${logFile}`);
    stopChildren();
    process.exit(1);
  },
});

main().catch((error: unknown) => {
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`Worker logs: ${LOG_DIR}`);
  stopChildren();
  process.exit(1);
});

async function main(): Promise<void> {
  process.on("SIGINT", () => {
    stopChildren();
    process.exit(130);
  });
  process.on("SIGTERM", () => {
    stopChildren();
    process.exit(143);
  });

  const secrets = ensureDevVars();
  rmSync(STATE_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });

  step("Applying D1 migrations to the local database");
  await applyLocalMigrations(STATE_DIR, join(LOG_DIR, "migrations.log"));

  step(`Starting the Lever sandbox on ${SANDBOX_URL} and the service on ${SERVICE_URL}`);
  workers.start("sandbox", ["-c", "sandbox/wrangler.jsonc", "--port", String(SANDBOX_PORT), "--inspector-port", String(SANDBOX_PORT + 1000)]);
  workers.start("service", [
    "-c",
    "wrangler.jsonc",
    "--port",
    String(SERVICE_PORT),
    "--inspector-port",
    String(SERVICE_PORT + 1000),
    "--var",
    `PUBLIC_ORIGIN:${SERVICE_URL}`,
  ]);
  await Promise.all([
    waitForHealth(`${SANDBOX_URL}/healthz`, STARTUP_TIMEOUT_MS),
    waitForHealth(`${SERVICE_URL}/healthz`, STARTUP_TIMEOUT_MS),
  ]);

  step("Creating the demo tenant");
  const admin = (method: string, path: string, body?: unknown) =>
    requestJson(method, `${SERVICE_URL}/admin/v1${path}`, body, { authorization: `Bearer ${secrets.ADMIN_TOKEN}` });
  await admin("POST", "/tenants", {
    slug: DEMO_SLUG,
    name: "Acme (demo)",
    leverApiBaseUrl: `${SANDBOX_URL}/v1`,
    leverApiKey: SANDBOX_API_KEY,
    leverAppOrigin: SANDBOX_URL,
    goodtimeOrigin: GOODTIME_ORIGIN,
    leverWebhookToken: WEBHOOK_SIGNATURE_TOKEN,
  });
  await admin("PUT", `/tenants/${DEMO_SLUG}/integration`, { enabled: true, actingUserEmail: SUPER_ADMIN_EMAIL });
  const generated = (await admin("POST", `/tenants/${DEMO_SLUG}/keys`, { actingUserEmail: SUPER_ADMIN_EMAIL })) as {
    integrationKey: string;
  };
  const integrationKey = generated.integrationKey;

  writeFileSync(
    DEMO_FILE,
    JSON.stringify(
      { serviceUrl: SERVICE_URL, tenantSlug: DEMO_SLUG, integrationKey, sandboxUrl: SANDBOX_URL, sandboxApiKey: SANDBOX_API_KEY },
      null,
      2,
    ) + "\n",
    { mode: 0o600 },
  );
  console.log(`  Integration key (shown once; also saved in .demo.json): ${integrationKey}`);

  // The sandbox sends Lever's interview webhooks to the service, signed as Lever signs them.
  await sandbox("PUT", "/_sandbox/webhooks", {
    url: `${SERVICE_URL}/v1/lever/webhooks/${DEMO_SLUG}`,
    signatureToken: WEBHOOK_SIGNATURE_TOKEN,
    events: ["interviewCreated", "interviewUpdated", "interviewDeleted"],
  });

  step("Replaying a week of GoodTime events through POST /v1/goodtime/webhooks");
  await clearSandboxCalls();
  const files = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith(".json")).sort();
  for (const file of files) {
    const event = JSON.parse(readFileSync(join(FIXTURE_DIR, file), "utf8")) as FixtureEvent;
    const before = await leverWriteCount();
    const response = await fetch(`${SERVICE_URL}/v1/goodtime/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${integrationKey}`, "content-type": "application/json" },
      body: JSON.stringify(event),
    });
    const answer = (await response.json()) as { status?: string; error?: { code: string } };
    const record = await waitForSettled(integrationKey, event.scheduledPanel.externalPanelId, event.scheduledPanel.version);
    const writes = (await leverWriteCount()) - before;
    const outcome = record.reason ? `${record.state} (${record.reason})` : record.state;
    console.log(
      `  ${file.padEnd(36)} ${String(response.status)} ${(answer.status ?? answer.error?.code ?? "").padEnd(9)} ` +
        `Lever writes: ${writes}  panel: ${outcome}`,
    );
  }

  step("A cancel made in Lever stays canceled");
  await demonstrateCancelInLever(integrationKey);

  step("What Lever shows now");
  await printLeverState(integrationKey);

  step("Try it");
  console.log(`  Service            ${SERVICE_URL}   (GET /healthz)`);
  console.log(`  Settings page      ${SERVICE_URL}/settings   (operator token: ADMIN_TOKEN in .dev.vars)`);
  console.log(`  Sync record        curl -H "Authorization: Bearer $(node -p "require('./.demo.json').integrationKey")" \\`);
  console.log(`                       ${SERVICE_URL}/v1/goodtime/scheduled-panels/109416c3-b389-5188-a12b-67e0b043bed3`);
  console.log(`  View in GoodTime   ${SERVICE_URL}/links/${DEMO_SLUG}/panels/109416c3-b389-5188-a12b-67e0b043bed3`);
  console.log(`  Schedule link      ${SERVICE_URL}/links/${DEMO_SLUG}/candidates/549b0a98-ba2f-56c0-9d2d-3ca48085afe0/schedule`);
  console.log(`  Lever sandbox      ${SANDBOX_URL}/v1   (Basic auth, API key "${SANDBOX_API_KEY}")`);
  console.log(`                     curl -u ${SANDBOX_API_KEY}: ${SANDBOX_URL}/v1/opportunities/549b0a98-ba2f-56c0-9d2d-3ca48085afe0/panels`);
  console.log(`  Worker logs        ${LOG_DIR}/service.log (one JSON object per line)`);

  if (exitWhenConverged) {
    stopChildren();
    console.log("\nDemo converged; stopped both workers.");
    process.exit(0);
  }
  console.log("\nServing. Press Ctrl+C to stop.");
}

interface FixtureEvent {
  id: string;
  scheduledPanel: { externalPanelId: string; version: number; title: string; candidateId: string };
}

interface SyncRecord {
  state: string;
  leverPanelId: string | null;
  reason: string | null;
  version: number;
  appliedVersion: number | null;
  scheduledEvents: { externalEventId: string; scorecardUrl: string | null }[];
}

interface LeverPanel {
  id: string;
  externalUrl: string | null;
  externallyManaged: boolean;
  timezone: string;
  note: string;
  interviews: {
    id: string;
    subject: string;
    date: number;
    duration: number;
    feedbackTemplate: string | null;
    interviewers: { id: string; name: string }[];
  }[];
}

function stopChildren(): void {
  workers.stop();
}

function sandbox(method: string, path: string, body?: unknown): Promise<unknown> {
  return requestJson(method, `${SANDBOX_URL}${path}`, body, {
    authorization: `Basic ${Buffer.from(`${SANDBOX_API_KEY}:`).toString("base64")}`,
  });
}

async function clearSandboxCalls(): Promise<void> {
  await sandbox("DELETE", "/_sandbox/calls");
}

async function leverWriteCount(): Promise<number> {
  const calls = (await sandbox("GET", "/_sandbox/calls")) as { writes: number };
  return calls.writes;
}

async function waitForSettled(integrationKey: string, externalPanelId: string, version: number): Promise<SyncRecord> {
  return waitForRecord(integrationKey, externalPanelId, `settle on version ${version}`, (record) =>
    record.version >= version &&
    (record.state === "needs_attention" ||
      (record.appliedVersion === record.version && record.state !== "pending" && record.state !== "retrying")),
  );
}

async function printLeverState(integrationKey: string): Promise<void> {
  const templates = (await sandbox("GET", "/v1/feedback_templates?limit=100")) as { data: { id: string; text: string }[] };
  const templateNames = new Map(templates.data.map((template) => [template.id, template.text]));
  const opportunities = (await sandbox("GET", "/v1/opportunities?limit=100")) as { data: { id: string }[] };

  for (const opportunity of opportunities.data) {
    const panels = (await sandbox("GET", `/v1/opportunities/${opportunity.id}/panels?limit=100`)) as { data: LeverPanel[] };
    const ours = panels.data.filter((panel) => panel.externalUrl?.startsWith(`${SERVICE_URL}/links/`));
    console.log(`  Opportunity ${opportunity.id}: ${ours.length} GoodTime panel(s), ${panels.data.length - ours.length} other`);
    for (const panel of ours) {
      console.log(`    Panel ${panel.id}  "${panel.note}"  (${panel.timezone}, externally managed: ${panel.externallyManaged})`);
      console.log(`      View in External App -> ${panel.externalUrl}`);
      for (const interview of panel.interviews) {
        const local = new Intl.DateTimeFormat("en-US", {
          timeZone: panel.timezone,
          weekday: "short",
          year: "numeric",
          month: "short",
          day: "numeric",
          hour: "numeric",
          minute: "2-digit",
          timeZoneName: "short",
        }).format(interview.date);
        const template = interview.feedbackTemplate ? templateNames.get(interview.feedbackTemplate) ?? interview.feedbackTemplate : "none";
        console.log(`      - ${interview.subject}: ${local}, ${interview.duration} min, feedback form: ${template}`);
        console.log(`        interviewers: ${interview.interviewers.map((interviewer) => interviewer.name).join(", ")}`);
        console.log(`        feedback link: ${SANDBOX_URL}/interviews/${interview.id}`);
      }
    }
  }

  for (const externalPanelId of ["13839707-8eee-50fc-ba51-712298a4ed55", "109416c3-b389-5188-a12b-67e0b043bed3"]) {
    const record = (await requestJson("GET", `${SERVICE_URL}/v1/goodtime/scheduled-panels/${externalPanelId}`, undefined, {
      authorization: `Bearer ${integrationKey}`,
    })) as SyncRecord;
    console.log(`  Scheduled panel ${externalPanelId}: ${record.state}, version ${record.appliedVersion}`);
  }
}

// Schedules one more interview, cancels it in Lever as a recruiter would (the
// sandbox sends the signed interviewDeleted webhook), then replays the GoodTime
// event and runs the cron job: the interview must stay canceled in Lever.
async function demonstrateCancelInLever(integrationKey: string): Promise<void> {
  const event = JSON.parse(readFileSync(join(FIXTURE_DIR, "01-onsite-created.json"), "utf8")) as FixtureEvent & {
    scheduledPanel: { scheduledEvents: unknown[] };
  };
  const externalPanelId = "demo-canceled-in-lever";
  event.id = "evt_demo_canceled_in_lever";
  event.scheduledPanel.externalPanelId = externalPanelId;
  event.scheduledPanel.title = "Debrief (to be canceled in Lever)";
  event.scheduledPanel.scheduledEvents = event.scheduledPanel.scheduledEvents.slice(0, 1);

  const send = () =>
    fetch(`${SERVICE_URL}/v1/goodtime/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${integrationKey}`, "content-type": "application/json" },
      body: JSON.stringify(event),
    }).then((response) => response.json() as Promise<{ status: string }>);

  const accepted = await send();
  const synced = await waitForSettled(integrationKey, externalPanelId, 1);
  console.log(`  GoodTime schedules "${event.scheduledPanel.title}": ${accepted.status}, panel ${synced.state} (Lever panel ${synced.leverPanelId})`);

  await sandbox("DELETE", `/_sandbox/opportunities/${event.scheduledPanel.candidateId}/panels/${synced.leverPanelId}`);
  const removed = await waitForState(integrationKey, externalPanelId, "removed_in_lever");
  console.log(`  A recruiter cancels it in Lever; Lever's webhook arrives: panel ${removed.state}`);

  const replay = await send();
  const cron = await fetch(`${SERVICE_URL}/cdn-cgi/handler/scheduled`);
  await cron.arrayBuffer();
  await sleep(1_000);
  const after = await waitForState(integrationKey, externalPanelId, "removed_in_lever");
  const panels = (await sandbox("GET", `/v1/opportunities/${event.scheduledPanel.candidateId}/panels?limit=100`)) as { data: LeverPanel[] };
  const recreated = panels.data.filter((panel) => panel.externalUrl?.endsWith(`/panels/${externalPanelId}`)).length;
  console.log(`  GoodTime retries the old event (${replay.status}) and the cron job runs: panel ${after.state}, Lever panels recreated: ${recreated}`);
}

async function waitForState(integrationKey: string, externalPanelId: string, state: string): Promise<SyncRecord> {
  return waitForRecord(integrationKey, externalPanelId, `reach ${state}`, (record) => record.state === state);
}

// Polls the panel's sync record until `done` holds, for at most SETTLE_TIMEOUT_MS.
async function waitForRecord(
  integrationKey: string,
  externalPanelId: string,
  goal: string,
  done: (record: SyncRecord) => boolean,
): Promise<SyncRecord> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let last: SyncRecord | undefined;
  while (Date.now() < deadline) {
    last = (await requestJson("GET", `${SERVICE_URL}/v1/goodtime/scheduled-panels/${externalPanelId}`, undefined, {
      authorization: `Bearer ${integrationKey}`,
    })) as SyncRecord;
    if (done(last)) return last;
    await sleep(50);
  }
  throw new Error(`panel ${externalPanelId} did not ${goal} within ${SETTLE_TIMEOUT_MS / 1000} s: ${JSON.stringify(last)}`);
}

function step(message: string): void {
  console.log(`\n== ${message}`);
}
