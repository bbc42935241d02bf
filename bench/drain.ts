// Benchmark (c): many panels created at once for one tenant. Measures the
// Lever request rate the sandbox saw, the 429s, and the drain time (first
// webhook sent to last panel settled) against the minimum that the tenant's
// token bucket allows for the number of Lever calls the sync made.

import { sleep } from "../scripts/local-workers.ts";
import {
  getSyncRecord,
  isSettled,
  mapWithConcurrency,
  panelsByState,
  sandboxCalls,
  sendEvent,
  type BenchTenant,
  type CallRecord,
  type Endpoints,
  type SyncRecord,
} from "./api.ts";
import { buildPanelEvent, type GoodTimeEvent } from "./events.ts";
import { timeHealthCheck } from "./latency.ts";
import { bucketMinimumMs, bucketWindowCapacity, countPerSecond, formatMs, peakInWindow, percentile } from "./stats.ts";
import { countRoutes } from "./week.ts";

export const DRAIN_GOAL_RATIO = 1.15;
/** Webhook requests in flight while the panels are created. */
const SEND_CONCURRENCY = 50;
const POLL_MS = 250;
/**
 * The wait for all panels is bounded at this multiple of the minimum drain time
 * for the calls needed (at least MIN_DRAIN_TIMEOUT_MS). A slower drain is
 * reported as unfinished, with the counts reached by then. The environment
 * variable BENCH_DRAIN_TIMEOUT_FACTOR overrides the multiple (1 to 20).
 */
const DRAIN_TIMEOUT_FACTOR = readTimeoutFactor(process.env.BENCH_DRAIN_TIMEOUT_FACTOR, 2);
const MIN_DRAIN_TIMEOUT_MS = 120_000;
/** Windows that start this long after the first call are past the initial burst. */
const STEADY_STATE_AFTER_MS = 3_000;
const CREATE_PANEL_ROUTE = "/v1/opportunities/:opportunity/panels";
const SETTLED_STATES = ["synced", "needs_attention", "canceled", "removed_in_lever"];

export interface DrainResult {
  panels: number;
  tenantLimits: { perSecond: number; burst: number };
  sandboxLimits: { perSecond: number; burst: number };
  outcomes: Record<string, number>;
  acceptMs: number;
  /** Every panel settled within timeoutMs. */
  completed: boolean;
  timeoutMs: number;
  statesAtEnd: Record<string, number>;
  notSynced: string[];
  /** First webhook sent to last panel settled; when not completed, to the end of the wait. */
  drainMs: number;
  calls: number;
  /** Distinct interviewer and onBehalfOf emails across the panels. */
  distinctUsers: number;
  /** Lever calls if every distinct user and the feedback forms were read once and each panel made its two calls. */
  idealCalls: number;
  routes: Record<string, number>;
  rateLimited: number;
  otherFailures: number;
  peak: number;
  peakSteady: number;
  sandboxWindowCapacity: number;
  tenantWindowCapacity: number;
  minimumMs: number;
  idealMinimumMs: number;
  /** drainMs / minimumMs; a lower bound when not completed. */
  ratio: number;
  idealRatio: number;
  firstCallDelayMs: number;
  callSpanMs: number;
  tailMs: number;
  callsPerSecond: number[];
  /** Per 30 s from the first call: [panel creates, other Lever calls]. */
  createsPer30s: [number, number][];
  /** GET /healthz times sampled once per poll while the panels drained. */
  healthDuringDrainMs: number[];
}

/**
 * Creates `count` panels, alternating the onsite template on the first fixture
 * opportunity and the screen template on the second, and waits for all of them.
 */
export async function runDrain(
  endpoints: Endpoints,
  tenant: BenchTenant,
  count: number,
  sandboxLimits: { perSecond: number; burst: number },
): Promise<DrainResult> {
  const events: GoodTimeEvent[] = [];
  for (let index = 0; index < count; index++) {
    const id = `bench-drain-${String(index + 1).padStart(4, "0")}`;
    events.push(buildPanelEvent(index % 2 === 0 ? "onsite" : "screen", id, 1));
  }
  const emails = new Set(
    events.flatMap((event) => [
      ...(event.onBehalfOf ? [event.onBehalfOf] : []),
      ...event.scheduledPanel.scheduledEvents.flatMap((scheduled) => scheduled.interviewers.map((interviewer) => interviewer.email)),
    ]),
  );

  const offset = (await sandboxCalls(endpoints, tenant)).calls.length;
  const startedAt = Date.now();
  const started = performance.now();
  const responses = await mapWithConcurrency(events, SEND_CONCURRENCY, (event) => sendEvent(endpoints, tenant, event));
  const acceptMs = performance.now() - started;

  const outcomes: Record<string, number> = {};
  for (const response of responses) {
    const key = `${response.httpStatus} ${response.outcome}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }

  const idealCalls = emails.size + 1 + 2 * count;
  const idealMinimumMs = bucketMinimumMs(idealCalls, tenant.rateLimitPerSecond, tenant.rateLimitBurst);
  const timeoutMs = Math.max(MIN_DRAIN_TIMEOUT_MS, DRAIN_TIMEOUT_FACTOR * idealMinimumMs);
  const deadline = startedAt + timeoutMs;
  let states: Record<string, number> = {};
  let completed = false;
  const healthDuringDrainMs: number[] = [];
  while (Date.now() < deadline) {
    healthDuringDrainMs.push(await timeHealthCheck(endpoints.serviceUrl));
    states = await panelsByState(endpoints, tenant.slug);
    const settled = SETTLED_STATES.reduce((sum, state) => sum + (states[state] ?? 0), 0);
    if (settled >= count) {
      completed = true;
      break;
    }
    await sleep(POLL_MS);
  }

  // The index can lag the objects; the sync records are the source of truth.
  const records: SyncRecord[] = await mapWithConcurrency(events, 8, (event) =>
    getSyncRecord(endpoints, tenant, event.scheduledPanel.externalPanelId),
  );
  const notSynced = records.filter((record) => !(isSettled(record, 1) && record.state === "synced")).map((record) => record.externalPanelId);
  const settledTimes = records.filter((record) => isSettled(record, 1)).map((record) => Date.parse(record.updatedAt));
  const lastSettledAt = completed && settledTimes.length > 0 ? Math.max(...settledTimes) : startedAt + timeoutMs;
  const calls = (await sandboxCalls(endpoints, tenant)).calls.slice(offset);
  const times = calls.map((call) => call.at).sort((a, b) => a - b);
  const firstCallAt = times[0] ?? startedAt;
  const lastCallAt = times[times.length - 1] ?? startedAt;

  const perSecond = tenant.rateLimitPerSecond;
  const burst = tenant.rateLimitBurst;
  const minimumMs = bucketMinimumMs(calls.length, perSecond, burst);
  const drainMs = lastSettledAt - startedAt;

  return {
    panels: count,
    tenantLimits: { perSecond, burst },
    sandboxLimits,
    outcomes,
    acceptMs,
    completed,
    timeoutMs,
    statesAtEnd: states,
    notSynced,
    drainMs,
    calls: calls.length,
    distinctUsers: emails.size,
    idealCalls,
    routes: countRoutes(calls),
    rateLimited: calls.filter((call) => call.status === 429).length,
    otherFailures: calls.filter((call) => call.status !== 429 && (call.status === null || call.status >= 400)).length,
    peak: peakInWindow(times, 1000).count,
    peakSteady: peakInWindow(
      times.filter((at) => at >= firstCallAt + STEADY_STATE_AFTER_MS),
      1000,
    ).count,
    sandboxWindowCapacity: bucketWindowCapacity(sandboxLimits.perSecond, sandboxLimits.burst, 1000),
    tenantWindowCapacity: bucketWindowCapacity(perSecond, burst, 1000),
    minimumMs,
    idealMinimumMs,
    ratio: drainMs / minimumMs,
    idealRatio: drainMs / idealMinimumMs,
    firstCallDelayMs: firstCallAt - startedAt,
    callSpanMs: lastCallAt - firstCallAt,
    tailMs: lastSettledAt - lastCallAt,
    callsPerSecond: countPerSecond(times, firstCallAt),
    createsPer30s: countCreatesPer30s(calls, firstCallAt),
    healthDuringDrainMs,
  };
}

function countCreatesPer30s(calls: readonly CallRecord[], origin: number): [number, number][] {
  const isCreate = (call: CallRecord) => call.method === "POST" && call.route === CREATE_PANEL_ROUTE;
  const creates = countPerSecond(calls.filter(isCreate).map((call) => call.at), origin);
  const others = countPerSecond(calls.filter((call) => !isCreate(call)).map((call) => call.at), origin);
  const buckets: [number, number][] = [];
  for (let second = 0; second < Math.max(creates.length, others.length); second++) {
    const index = Math.floor(second / 30);
    buckets[index] ??= [0, 0];
    buckets[index][0] += creates[second] ?? 0;
    buckets[index][1] += others[second] ?? 0;
  }
  return buckets;
}

export function formatDrain(result: DrainResult): string[] {
  const { perSecond, burst } = result.tenantLimits;
  const responses = Object.entries(result.outcomes)
    .map(([outcome, count]) => `${count}x ${outcome}`)
    .join(", ");
  const routes = Object.entries(result.routes)
    .sort(([, a], [, b]) => b - a)
    .map(([route, count]) => `${route}: ${count} (${(count / result.panels).toFixed(2)} per panel)`);
  const atLeast = result.completed ? "" : "more than ";
  let verdict = result.ratio <= DRAIN_GOAL_RATIO ? "met" : "missed";
  if (!result.completed) verdict = "missed, unfinished";
  const settled = result.completed
    ? "all"
    : `NOT all within ${formatMs(result.timeoutMs)} (${DRAIN_TIMEOUT_FACTOR}x the minimum for the calls needed)`;

  return [
    `| Measure | Value |`,
    `|---|---|`,
    `| Panels created | ${result.panels} (webhook responses: ${responses}; the last after ${formatMs(result.acceptMs)}) |`,
    `| Tenant rate limit (service) | ${perSecond}/s, burst ${burst} |`,
    `| Sandbox rate limit (per key) | ${result.sandboxLimits.perSecond}/s, burst ${result.sandboxLimits.burst} |`,
    `| Panels settled | ${settled}; index states ${JSON.stringify(result.statesAtEnd)}; sync records not synced: ${result.notSynced.length} |`,
    `| Lever calls made | ${result.calls} (${(result.calls / result.panels).toFixed(2)} per panel) |`,
    `| Lever calls needed | ${result.idealCalls}: one read per distinct user, one feedback form list, and per panel one opportunity read and one panel create |`,
    `| Lever calls by route | ${routes.join("; ")} |`,
    `| 429 responses from the sandbox | ${result.rateLimited} (other failed calls: ${result.otherFailures}) |`,
    `| Peak Lever calls in any 1 s window | ${result.peak} (the sandbox bucket admits at most ${result.sandboxWindowCapacity}; the tenant bucket grants at most ${result.tenantWindowCapacity}) |`,
    `| Peak in any 1 s window after the first ${STEADY_STATE_AFTER_MS / 1000} s | ${result.peakSteady} (tenant rate ${perSecond}/s, sandbox rate ${result.sandboxLimits.perSecond}/s) |`,
    `| Drain time (first webhook sent to last panel settled) | ${atLeast}${formatMs(result.drainMs)} |`,
    `| Minimum for the ${result.calls} calls made: (calls - burst) / rate | ${formatMs(result.minimumMs)} |`,
    `| Drain / minimum for the calls made | ${atLeast}${result.ratio.toFixed(3)} (goal <= ${DRAIN_GOAL_RATIO}: ${verdict}) |`,
    `| Minimum for the ${result.idealCalls} calls needed | ${formatMs(result.idealMinimumMs)} |`,
    `| Drain / minimum for the calls needed | ${atLeast}${result.idealRatio.toFixed(3)} |`,
    `| First webhook sent to first Lever call | ${formatMs(result.firstCallDelayMs)} |`,
    `| First to last Lever call | ${formatMs(result.callSpanMs)} (bucket spacing for the calls made: ${formatMs(result.minimumMs)}) |`,
    `| Last Lever call to last panel settled | ${result.completed ? formatMs(result.tailMs) : "n/a (unfinished)"} |`,
    `| Lever calls per second, from the first call | ${result.callsPerSecond.join(" ")} |`,
    `| Panel creates / other Lever calls per 30 s, from the first call | ${result.createsPer30s.map(([creates, others]) => `${creates}/${others}`).join(", ")} |`,
    `| GET /healthz during the drain (${result.healthDuringDrainMs.length} samples, one per poll) | p50 ${formatMs(percentile(result.healthDuringDrainMs, 50))}, ` +
      `p99 ${formatMs(percentile(result.healthDuringDrainMs, 99))}, max ${formatMs(Math.max(...result.healthDuringDrainMs))} |`,
  ];
}

function readTimeoutFactor(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const factor = Number(value);
  if (!Number.isFinite(factor) || factor < 1 || factor > 20) {
    throw new Error(`BENCH_DRAIN_TIMEOUT_FACTOR must be a number from 1 to 20; got ${JSON.stringify(value)}`);
  }
  return factor;
}
