// Structured logging: one JSON object per line, read with `wrangler tail --format json`.
// Every event name the service emits is listed here, and the field set is closed,
// so a call site cannot log an email, a name, a key or a credential by accident.

export type LogLevel = "debug" | "info" | "warn" | "error";

export type LogEventName =
  | "http.request.failed"
  | "goodtime.event.accepted"
  | "goodtime.event.duplicate"
  | "goodtime.event.stale"
  | "goodtime.event.rejected"
  | "panel.created"
  | "panel.sync.converged"
  | "panel.sync.retry_scheduled"
  | "panel.sync.failed"
  | "panel.create.adopted"
  | "panel.removed_in_lever"
  | "panel.index.write_failed"
  | "panel.alarm.failed"
  | "lever.request.completed"
  | "lever.request.failed"
  | "lever.webhook.accepted"
  | "lever.webhook.rejected"
  | "lever.webhook.ignored"
  | "gate.tenant.slowed"
  | "gate.tenant.blocked"
  | "reconcile.run.started"
  | "reconcile.panel.repaired"
  | "reconcile.run.finished"
  | "reconcile.run.failed"
  | "reconcile.panel.failed"
  | "admin.action.recorded"
  | "admin.request.rejected";

/** Ids, counts and durations only: no free text that could carry personal data. */
export interface LogFields {
  tenantId?: string;
  tenantSlug?: string;
  externalPanelId?: string;
  externalEventId?: string;
  eventId?: string;
  eventType?: string;
  version?: number;
  appliedVersion?: number;
  opportunityId?: string;
  leverPanelId?: string;
  leverInterviewId?: string;
  state?: string;
  reason?: string;
  step?: string;
  method?: string;
  route?: string;
  status?: number;
  code?: string;
  attempt?: number;
  delayMs?: number;
  durationMs?: number;
  count?: number;
  checked?: number;
  woken?: number;
  removedInLever?: number;
  repaired?: number;
  retried?: number;
  failed?: number;
  remaining?: number;
  action?: string;
  keyId?: string;
  requestId?: string;
  errorName?: string;
  /** Internal detail of an error; must never contain request bodies or secrets. */
  detail?: string;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let minimumLevel: LogLevel = "info";

export function setLogLevel(level: string | undefined): void {
  if (level && level in LEVEL_ORDER) minimumLevel = level as LogLevel;
}

export function log(level: LogLevel, event: LogEventName, fields: LogFields = {}): void {
  if (LEVEL_ORDER[level] < LEVEL_ORDER[minimumLevel]) return;
  const line = JSON.stringify({ level, event, ...fields, at: new Date().toISOString() });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
