// Benchmark (a): Lever calls per GoodTime change for the fixture week, each
// event replayed in order and waited on until its panel settles.

import { isSuccessfulWrite, sandboxCalls, sendEvent, waitForSettled, type BenchTenant, type CallRecord, type Endpoints } from "./api.ts";
import { loadFixtureWeek } from "./events.ts";

const SETTLE_TIMEOUT_MS = 30_000;

export interface WeekRow {
  file: string;
  version: number;
  httpStatus: number;
  outcome: string;
  writes: number;
  reads: number;
  /** Successful writes per "<METHOD> <route>", in call order of first appearance. */
  writeRoutes: Record<string, number>;
  panelState: string;
}

export async function runWeek(endpoints: Endpoints, tenant: BenchTenant): Promise<WeekRow[]> {
  const rows: WeekRow[] = [];
  for (const { file, event } of loadFixtureWeek()) {
    const offset = (await sandboxCalls(endpoints, tenant)).calls.length;
    const webhook = await sendEvent(endpoints, tenant, event);
    if (webhook.httpStatus >= 300) throw new Error(`${file}: the webhook returned ${webhook.httpStatus} ${webhook.outcome}`);
    const record = await waitForSettled(endpoints, tenant, event.scheduledPanel.externalPanelId, event.scheduledPanel.version, {
      timeoutMs: SETTLE_TIMEOUT_MS,
      pollMs: 50,
    });
    const calls = (await sandboxCalls(endpoints, tenant)).calls.slice(offset);

    rows.push({
      file,
      version: event.scheduledPanel.version,
      httpStatus: webhook.httpStatus,
      outcome: webhook.outcome,
      writes: calls.filter(isSuccessfulWrite).length,
      reads: calls.filter((call) => call.method === "GET").length,
      writeRoutes: countRoutes(calls.filter(isSuccessfulWrite)),
      panelState: record.reason ? `${record.state} (${record.reason})` : record.state,
    });
  }
  return rows;
}

export function formatWeek(rows: readonly WeekRow[]): string[] {
  const lines = [
    "| Fixture | Version | Webhook response | Lever writes | Lever reads | Writes by route | Panel state after |",
    "|---|---:|---|---:|---:|---|---|",
  ];
  for (const row of rows) {
    const routes = Object.entries(row.writeRoutes)
      .map(([route, count]) => `${route} x${count}`)
      .join(", ");
    lines.push(
      `| ${row.file} | ${row.version} | ${row.httpStatus} ${row.outcome} | ${row.writes} | ${row.reads} | ${routes || "none"} | ${row.panelState} |`,
    );
  }
  const writes = rows.reduce((sum, row) => sum + row.writes, 0);
  const reads = rows.reduce((sum, row) => sum + row.reads, 0);
  const accepted = rows.filter((row) => row.outcome === "accepted").length;
  lines.push(`| **Total** | | ${accepted} accepted of ${rows.length} | **${writes}** | ${reads} | | |`);
  return lines;
}

export function countRoutes(calls: readonly CallRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) {
    const key = `${call.method} ${call.route.replace(/^\/v1/, "")}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
