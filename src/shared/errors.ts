// The one application error type. Routes throw it for expected failures; the
// error handler renders it as `{ "error": { "code", "message", ... } }` and logs
// `detail`, which never reaches the client.

import type { ContentfulStatusCode } from "hono/utils/http-status";
import { log } from "./log";

export type ErrorCode =
  | "invalid_json"
  | "invalid_event"
  | "invalid_request"
  | "invalid_key"
  | "integration_disabled"
  | "payload_too_large"
  | "unsupported_media_type"
  | "not_found"
  | "unavailable"
  | "unauthorized"
  | "forbidden"
  | "conflict"
  | "invalid_signature"
  | "stale_delivery"
  | "replayed_delivery"
  | "lever_unavailable"
  | "lever_rejected"
  | "internal_error";

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly issues: FieldIssue[] | undefined;

  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    publicMessage: string,
    options: { detail?: string; issues?: FieldIssue[] } = {},
  ) {
    super(publicMessage);
    this.name = "AppError";
    this.status = status;
    this.code = code;
    this.detail = options.detail;
    this.issues = options.issues;
  }

  toBody(): { error: { code: ErrorCode; message: string; issues?: FieldIssue[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {}),
      },
    };
  }
}

/** Logs an AppError that is a server fault or carries an internal detail; other 4xx stay quiet. */
export function logAppError(error: AppError, request: { method: string; route: string }): void {
  if (error.status < 500 && !error.detail) return;
  log(error.status >= 500 ? "error" : "info", "http.request.failed", {
    method: request.method,
    route: request.route,
    status: error.status,
    code: error.code,
    detail: error.detail,
  });
}

/**
 * Describes an error for the log. Query errors from D1 and drizzle quote their
 * bound parameters, which can be emails or names, so that part is cut. With
 * `withStack`, stack frames follow the summary line.
 */
export function describeError(error: unknown, options: { withStack?: boolean } = {}): string {
  const summary = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const redacted = summary.replace(/params:[\s\S]*/i, "params: [redacted]").slice(0, 500);
  if (!options.withStack || !(error instanceof Error) || !error.stack) return redacted;
  const frames = error.stack
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 10);
  return [redacted, ...frames].join("\n");
}
