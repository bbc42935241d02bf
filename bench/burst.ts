// Benchmark (b): a burst of 50 updates (versions 2..51) to one panel that is
// already synced, sent without waiting for the sync. Counts the Lever calls the
// burst causes until the panel settles on version 51, then checks that the
// panel in the sandbox matches version 51 field by field.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, sleep } from "../scripts/local-workers.ts";
import {
  isSuccessfulWrite,
  sandboxCalls,
  sandboxState,
  sendEvent,
  waitForSettled,
  type BenchTenant,
  type Endpoints,
  type SandboxInterview,
  type SyncRecord,
} from "./api.ts";
import { buildPanelEvent, type GoodTimeEvent } from "./events.ts";
import { countRoutes } from "./week.ts";

export const BURST_UPDATES = 50;
export const BURST_WRITE_GOAL = 2;
const SETTLE_TIMEOUT_MS = 60_000;
/** Extra wait after the panel settles, to catch Lever calls that arrive late. */
const TRAILING_WAIT_MS = 1_000;
const SHIFT_MINUTES_PER_VERSION = 5;

export type BurstMode = "sequential" | "concurrent";

export interface BurstResult {
  mode: BurstMode;
  externalPanelId: string;
  outcomes: Record<string, number>;
  sendMs: number;
  settleMs: number;
  writes: number;
  reads: number;
  rateLimited: number;
  writeRoutes: Record<string, number>;
  /** When each Lever write arrived at the sandbox, in ms after the first update was sent. */
  writeOffsetsMs: number[];
  readRoutes: Record<string, number>;
  finalState: string;
  appliedVersion: number | null;
  /** Empty when the sandbox panel matches version 51; otherwise each difference found. */
  mismatches: string[];
}

/**
 * Runs one burst. "sequential" sends the updates back to back, each after the
 * previous response. "concurrent" sends all of them at once, so they arrive in
 * any order and the service returns "stale" for the older ones.
 */
export async function runBurst(endpoints: Endpoints, tenant: BenchTenant, mode: BurstMode): Promise<BurstResult> {
  const externalPanelId = `bench-burst-${mode}`;
  const created = await sendEvent(endpoints, tenant, buildPanelEvent("onsite", externalPanelId, 1));
  if (created.outcome !== "accepted") throw new Error(`burst panel ${externalPanelId}: version 1 returned ${created.httpStatus} ${created.outcome}`);
  await waitForSettled(endpoints, tenant, externalPanelId, 1, { timeoutMs: SETTLE_TIMEOUT_MS, pollMs: 50 });

  const lastVersion = BURST_UPDATES + 1;
  const updates: GoodTimeEvent[] = [];
  for (let version = 2; version <= lastVersion; version++) {
    updates.push(buildPanelEvent("onsite", externalPanelId, version, { shiftMinutes: (version - 1) * SHIFT_MINUTES_PER_VERSION }));
  }

  const offset = (await sandboxCalls(endpoints, tenant)).calls.length;
  const startedAt = Date.now();
  const started = performance.now();
  const responses = [];
  if (mode === "sequential") {
    for (const update of updates) responses.push(await sendEvent(endpoints, tenant, update));
  } else {
    responses.push(...(await Promise.all(updates.map((update) => sendEvent(endpoints, tenant, update)))));
  }
  const sendMs = performance.now() - started;

  const record = await waitForSettled(endpoints, tenant, externalPanelId, lastVersion, { timeoutMs: SETTLE_TIMEOUT_MS, pollMs: 20 });
  const settleMs = performance.now() - started;
  await sleep(TRAILING_WAIT_MS);
  const calls = (await sandboxCalls(endpoints, tenant)).calls.slice(offset);

  const outcomes: Record<string, number> = {};
  for (const response of responses) {
    const key = `${response.httpStatus} ${response.outcome}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  const writes = calls.filter(isSuccessfulWrite);
  return {
    mode,
    externalPanelId,
    outcomes,
    sendMs,
    settleMs,
    writes: writes.length,
    reads: calls.filter((call) => call.method === "GET").length,
    rateLimited: calls.filter((call) => call.status === 429).length,
    writeRoutes: countRoutes(writes),
    writeOffsetsMs: writes.map((call) => call.at - startedAt),
    readRoutes: countRoutes(calls.filter((call) => call.method === "GET")),
    finalState: record.state,
    appliedVersion: record.appliedVersion,
    mismatches: await compareWithSandbox(endpoints, tenant, record, updates[updates.length - 1]!),
  };
}

/** Lists every difference between the sandbox's panel and the GoodTime version `expected`. */
async function compareWithSandbox(endpoints: Endpoints, tenant: BenchTenant, record: SyncRecord, expected: GoodTimeEvent): Promise<string[]> {
  const userIds = loadFixtureUserIds();
  const state = await sandboxState(endpoints, tenant);
  const panelSuffix = `/panels/${record.externalPanelId}`;
  const ours = state.opportunities
    .flatMap((opportunity) => opportunity.panels.map((panel) => ({ opportunityId: opportunity.id, panel })))
    .filter(({ panel }) => panel.externalUrl?.endsWith(panelSuffix) && !panel.canceledAt);

  const mismatches: string[] = [];
  if (ours.length !== 1) mismatches.push(`expected 1 live Lever panel for ${record.externalPanelId}, found ${ours.length}`);
  const found = ours.find(({ panel }) => panel.id === record.leverPanelId);
  if (!found) {
    mismatches.push(`Lever panel ${record.leverPanelId} from the sync record is not in the sandbox`);
    return mismatches;
  }
  const { opportunityId, panel } = found;
  const scheduled = expected.scheduledPanel;
  if (opportunityId !== scheduled.candidateId) mismatches.push(`panel is on opportunity ${opportunityId}, expected ${scheduled.candidateId}`);
  if (panel.note !== scheduled.title) mismatches.push(`panel note ${JSON.stringify(panel.note)}, expected ${JSON.stringify(scheduled.title)}`);
  if (panel.timezone !== scheduled.timezone) mismatches.push(`panel timezone ${panel.timezone}, expected ${scheduled.timezone}`);

  const live = panel.interviews.filter((interview) => !interview.canceledAt);
  if (live.length !== scheduled.scheduledEvents.length) {
    mismatches.push(`${live.length} interviews in Lever, expected ${scheduled.scheduledEvents.length}`);
  }
  for (const event of scheduled.scheduledEvents) {
    const interview = live.find((candidate) => candidate.subject === event.title);
    if (!interview) {
      mismatches.push(`no interview "${event.title}" in Lever`);
      continue;
    }
    mismatches.push(...compareInterview(interview, event, userIds));
  }
  return mismatches;
}

function compareInterview(
  interview: SandboxInterview,
  event: GoodTimeEvent["scheduledPanel"]["scheduledEvents"][number],
  userIds: ReadonlyMap<string, string>,
): string[] {
  const mismatches: string[] = [];
  const start = Date.parse(event.startTime);
  const minutes = Math.round((Date.parse(event.endTime) - start) / 60_000);
  if (interview.date !== start) {
    mismatches.push(`"${event.title}" starts ${new Date(interview.date).toISOString()}, expected ${event.startTime}`);
  }
  if (interview.duration !== minutes) mismatches.push(`"${event.title}" lasts ${interview.duration} min, expected ${minutes}`);
  if ((interview.location ?? "") !== (event.location ?? "")) mismatches.push(`"${event.title}" location differs`);
  if ((interview.feedbackTemplate ?? null) !== (event.interviewStepId ?? null)) mismatches.push(`"${event.title}" feedback form differs`);

  const expectedIds = event.interviewers.map((interviewer) => userIds.get(interviewer.email.toLowerCase()) ?? `unknown:${interviewer.email}`);
  const actualIds = interview.interviewers.map((interviewer) => interviewer.id);
  if ([...expectedIds].sort().join(",") !== [...actualIds].sort().join(",")) mismatches.push(`"${event.title}" interviewers differ`);
  return mismatches;
}

function loadFixtureUserIds(): Map<string, string> {
  const users = JSON.parse(readFileSync(join(ROOT, "fixtures", "lever", "users.json"), "utf8")) as {
    data: { id: string; email: string }[];
  };
  return new Map(users.data.map((user) => [user.email.toLowerCase(), user.id]));
}

/** Explains a burst that needed more writes than the goal, from its timings. */
export function explainBurst(result: BurstResult): string | null {
  if (result.writes <= BURST_WRITE_GOAL) return null;
  const offsets = result.writeOffsetsMs.map((ms) => `+${ms}`).join(", ");
  return (
    `The updates arrived over ${result.sendMs.toFixed(0)} ms and the writes reached Lever at ${offsets} ms. ` +
    "The panel object writes the newest stored version at each step and does not wait for updates to stop, so a burst " +
    "that lasts longer than one step (an opportunity read, then the write) costs one write per step."
  );
}

export function formatBurst(results: readonly BurstResult[]): string[] {
  const lines = [
    `| Mode | Webhook responses | Sent in | Settled after | Lever writes | Writes by route | Lever reads | 429s | Panel state | Lever matches v${BURST_UPDATES + 1} |`,
    "|---|---|---:|---:|---:|---|---:|---:|---|---|",
  ];
  for (const result of results) {
    const responses = Object.entries(result.outcomes)
      .map(([outcome, count]) => `${count}x ${outcome}`)
      .join(", ");
    const routes = Object.entries(result.writeRoutes)
      .map(([route, count]) => `${route} x${count}`)
      .join(", ");
    const verdict = result.mismatches.length === 0 ? "yes" : `no: ${result.mismatches.join("; ")}`;
    lines.push(
      `| ${result.mode} | ${responses} | ${result.sendMs.toFixed(0)} ms | ${result.settleMs.toFixed(0)} ms | ${result.writes} | ${routes || "none"} | ` +
        `${result.reads} | ${result.rateLimited} | ${result.finalState}, applied v${result.appliedVersion} | ${verdict} |`,
    );
  }
  return lines;
}
