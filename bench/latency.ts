// Benchmark (d): webhook acceptance latency next to GET /healthz on the same
// server. Requests alternate (one webhook, one health check) with one request
// in flight, so both see the same background load. The caller raises the
// tenant's and the sandbox's rate limits so that the sync of each accepted
// event keeps pace instead of queueing behind the limit.

import { sleep } from "../scripts/local-workers.ts";
import { panelsByState, sendEvent, type BenchTenant, type Endpoints } from "./api.ts";
import { buildPanelEvent } from "./events.ts";
import { formatMs, mean, percentile } from "./stats.ts";

/** Limits for the latency tenant and its sandbox account, high enough that the sync never queues there. */
export const LATENCY_LIMITS = { perSecond: 100, burst: 200 };
const WARMUP_PAIRS = 20;
/** Bounds the phase on a slow machine; the samples taken until then are reported. */
const LATENCY_TIMEOUT_MS = 120_000;
/** Bounds the wait for the background sync of the measured events. */
const QUIET_TIMEOUT_MS = 60_000;

export interface LatencyResult {
  /** Requested samples; fewer are taken when LATENCY_TIMEOUT_MS runs out. */
  samples: number;
  webhookMs: number[];
  healthMs: number[];
  notAccepted: number;
  /** Panels of this phase still unsettled when the phase ended (after waiting up to QUIET_TIMEOUT_MS). */
  unsettledAfter: number;
}

export async function runLatency(endpoints: Endpoints, tenant: BenchTenant, samples: number): Promise<LatencyResult> {
  const webhookMs: number[] = [];
  const healthMs: number[] = [];
  let notAccepted = 0;
  const deadline = Date.now() + LATENCY_TIMEOUT_MS;

  for (let index = 0; index < WARMUP_PAIRS + samples && Date.now() < deadline; index++) {
    const event = buildPanelEvent("screen", `bench-latency-${String(index + 1).padStart(4, "0")}`, 1);
    const webhook = await sendEvent(endpoints, tenant, event);
    const health = await timeHealthCheck(endpoints.serviceUrl);
    if (index < WARMUP_PAIRS) continue;
    if (webhook.httpStatus !== 202 || webhook.outcome !== "accepted") notAccepted += 1;
    webhookMs.push(webhook.durationMs);
    healthMs.push(health);
  }
  const unsettledAfter = await waitForQuiet(endpoints, tenant, webhookMs.length + WARMUP_PAIRS);
  return { samples, webhookMs, healthMs, notAccepted, unsettledAfter };
}

/** Waits until the phase's panels have settled, so that their sync does not load the next phase. Returns how many have not. */
async function waitForQuiet(endpoints: Endpoints, tenant: BenchTenant, panels: number): Promise<number> {
  const deadline = Date.now() + QUIET_TIMEOUT_MS;
  let unsettled = panels;
  while (Date.now() < deadline) {
    const states = await panelsByState(endpoints, tenant.slug);
    unsettled = (states.pending ?? 0) + (states.retrying ?? 0);
    if (unsettled === 0) return 0;
    await sleep(250);
  }
  return unsettled;
}

/** Times one GET /healthz until the whole response is read; throws on a non-2xx status. */
export async function timeHealthCheck(serviceUrl: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${serviceUrl}/healthz`);
  await response.arrayBuffer();
  const durationMs = performance.now() - started;
  if (!response.ok) throw new Error(`GET /healthz returned ${response.status}`);
  return durationMs;
}

export function latencySummary(result: LatencyResult) {
  const webhook = { p50: percentile(result.webhookMs, 50), p99: percentile(result.webhookMs, 99), mean: mean(result.webhookMs), max: Math.max(...result.webhookMs) };
  const health = { p50: percentile(result.healthMs, 50), p99: percentile(result.healthMs, 99), mean: mean(result.healthMs), max: Math.max(...result.healthMs) };
  return { webhook, health, ratioP50: webhook.p50 / health.p50, ratioP99: webhook.p99 / health.p99 };
}

export function formatLatency(result: LatencyResult): string[] {
  const summary = latencySummary(result);
  return [
    "| Request | Samples | p50 | p99 | Mean | Max |",
    "|---|---:|---:|---:|---:|---:|",
    `| POST /v1/goodtime/webhooks (new panel, 202) | ${result.webhookMs.length} | ${formatMs(summary.webhook.p50)} | ${formatMs(summary.webhook.p99)} | ${formatMs(summary.webhook.mean)} | ${formatMs(summary.webhook.max)} |`,
    `| GET /healthz | ${result.healthMs.length} | ${formatMs(summary.health.p50)} | ${formatMs(summary.health.p99)} | ${formatMs(summary.health.mean)} | ${formatMs(summary.health.max)} |`,
    `| Ratio webhook / healthz | | ${summary.ratioP50.toFixed(1)}x | ${summary.ratioP99.toFixed(1)}x | | |`,
    "",
    `${result.notAccepted} of ${result.webhookMs.length} measured webhooks did not return 202 accepted. ${WARMUP_PAIRS} warm-up pairs before them are not counted. ` +
      `Panels of this phase still pending or retrying when it ended (it waits up to ${QUIET_TIMEOUT_MS / 1000} s for them): ${result.unsettledAfter}.`,
  ];
}
