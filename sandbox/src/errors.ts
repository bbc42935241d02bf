import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Lever error codes by HTTP status. The sandbox returns every error as `{code, message}`. */
const ERROR_CODES: Record<number, string> = {
  400: "BadRequestError",
  401: "UnauthorizedError",
  403: "ForbiddenError",
  404: "ResourceNotFound",
  405: "MethodNotAllowed",
  409: "ConflictError",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Bad request",
  401: "Invalid API key",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  429: "Rate limit exceeded",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
  504: "Gateway timeout",
};

export function errorCode(status: number): string {
  return ERROR_CODES[status] ?? (status >= 500 ? "InternalServerError" : "BadRequestError");
}

export function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? `HTTP ${status}`;
}

/** An error that maps to one Lever error response. Handlers throw it, and `app.onError` renders it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorResponse(status: number, message = defaultMessage(status), headers: Record<string, string> = {}): Response {
  return Response.json({ code: errorCode(status), message }, { status, headers });
}

export function renderApiError(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json({ code: errorCode(error.status), message: error.message }, error.status as ContentfulStatusCode);
}

/**
 * Thrown by an apply-then-fail fault with `drop: true` after the write was performed.
 * `app.onError` re-throws it so that the Worker's fetch handler throws and the client sees no response.
 */
export class DroppedConnection extends Error {
  constructor() {
    super("Connection dropped by an injected fault after the write was applied");
    this.name = "DroppedConnection";
  }
}
