// Lever REST client: one method per endpoint the service calls. Each method
// builds the URL, authenticates with Basic auth (API key as user name), applies
// a per-call timeout, parses the response with zod and maps failures to
// LeverError, which keeps Lever's status and error code.

import type { z } from "zod";
import {
  LeverErrorBodySchema,
  LeverFeedbackTemplateSchema,
  LeverInterviewSchema,
  LeverOpportunitySchema,
  LeverPanelSchema,
  LeverUserSchema,
  leverDataSchema,
  leverListPageSchema,
  type LeverFeedbackTemplate,
  type LeverInterview,
  type LeverInterviewBody,
  type LeverOpportunity,
  type LeverPanel,
  type LeverPanelFields,
  type LeverUser,
} from "./schemas";

export const DEFAULT_LEVER_TIMEOUT_MS = 15_000;
const PAGE_LIMIT = 100;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 307, 308]);
/** Upper bound on pages read by one list call, so a misbehaving cursor cannot loop forever. */
const MAX_PAGES = 200;

export type LeverFailureKind = "http" | "network" | "timeout" | "invalid_response";

export class LeverError extends Error {
  readonly kind: LeverFailureKind;
  /** HTTP status from Lever, 0 when no response arrived. */
  readonly status: number;
  /** Lever's error `code`, such as `ResourceNotFound`. */
  readonly leverCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly route: string;

  constructor(
    kind: LeverFailureKind,
    route: string,
    message: string,
    options: { status?: number; leverCode?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = "LeverError";
    this.kind = kind;
    this.route = route;
    this.status = options.status ?? 0;
    this.leverCode = options.leverCode;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Network errors, timeouts, 429 and 5xx may succeed later; other 4xx will not. */
  get transient(): boolean {
    if (this.kind !== "http") return this.kind !== "invalid_response";
    return this.status === 429 || this.status >= 500;
  }
}

export interface LeverClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Runs before every request; may wait (rate limiting) or throw to skip the request. */
  beforeRequest?: () => Promise<void>;
  /** Runs when Lever redirected a request (a merged opportunity), with both paths. */
  onRedirect?: (fromPath: string, toPath: string) => void;
  /** Runs after every request, also failed ones (status 0 when no response arrived). */
  afterResponse?: (info: RequestInfoForHooks) => Promise<void>;
}

export interface RequestInfoForHooks {
  method: string;
  route: string;
  status: number;
  durationMs: number;
  retryAfterMs: number | undefined;
}

export interface CreatePanelInput extends LeverPanelFields {
  interviews: LeverInterviewBody[];
}

export type LeverClient = ReturnType<typeof createLeverClient>;

export function createLeverClient(options: LeverClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_LEVER_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const authorization = `Basic ${btoa(`${options.apiKey}:`)}`;

  async function request<T extends z.ZodType>(
    method: string,
    route: string,
    path: string,
    schema: T | null,
    init: { query?: Record<string, string | undefined>; body?: unknown } = {},
  ): Promise<z.infer<T>> {
    const url = new URL(baseUrl + path);
    for (const [name, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }

    await options.beforeRequest?.();
    const started = Date.now();
    const report = (status: number, retryAfterMs?: number) =>
      options.afterResponse?.({ method, route, status, durationMs: Date.now() - started, retryAfterMs });
    let response: Response;
    try {
      const send = (target: string) =>
        fetchImpl(target, {
          method,
          headers: {
            authorization,
            accept: "application/json",
            ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
          },
          body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: "manual",
        });
      response = await send(url.toString());
      // Lever responds to requests for a merged opportunity with a redirect to the
      // surviving one. It is followed once by hand, with the same method and
      // body (fetch would turn a redirected POST into a GET), and only within
      // Lever's origin, so the credential never leaves it.
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
      if (location) {
        const target = new URL(location, url);
        if (target.origin !== url.origin) {
          throw new LeverError("invalid_response", route, `Lever redirected to another origin: ${target.origin}`, {
            status: response.status,
          });
        }
        await response.body?.cancel();
        options.onRedirect?.(url.pathname, target.pathname);
        response = await send(target.toString());
      }
    } catch (error) {
      if (error instanceof LeverError) throw error;
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      await report(0);
      throw new LeverError(
        timedOut ? "timeout" : "network",
        route,
        timedOut ? `Lever did not answer within ${timeoutMs} ms` : `request to Lever failed: ${describe(error)}`,
      );
    }

    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      await report(response.status);
      throw new LeverError("network", route, `reading Lever's response failed: ${describe(error)}`, {
        status: response.status,
      });
    }
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    await report(response.status, retryAfterMs);

    if (!response.ok) {
      const parsed = LeverErrorBodySchema.safeParse(safeJson(text));
      const body = parsed.success ? parsed.data : {};
      throw new LeverError("http", route, body.message ?? `Lever responded with status ${response.status}`, {
        status: response.status,
        leverCode: body.code,
        retryAfterMs,
      });
    }

    if (schema === null) return undefined as z.infer<T>;
    const parsed = schema.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new LeverError("invalid_response", route, `unexpected response shape: ${parsed.error.issues[0]?.message}`, {
        status: response.status,
      });
    }
    return parsed.data;
  }

  async function listAll<T extends z.ZodType>(
    route: string,
    path: string,
    item: T,
    query: Record<string, string | undefined> = {},
  ): Promise<z.infer<T>[]> {
    const pageSchema = leverListPageSchema(item);
    const items: z.infer<T>[] = [];
    let offset: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await request("GET", route, path, pageSchema, {
        query: { ...query, limit: String(PAGE_LIMIT), offset },
      });
      items.push(...result.data);
      if (!result.hasNext || !result.next) return items;
      offset = result.next;
    }
    throw new LeverError("invalid_response", route, `more than ${MAX_PAGES} pages; giving up`);
  }

  const enc = encodeURIComponent;

  return {
    async findUsersByEmail(email: string, includeDeactivated: boolean): Promise<LeverUser[]> {
      return listAll("GET /users", "/users", LeverUserSchema, {
        email,
        includeDeactivated: includeDeactivated ? "true" : undefined,
      });
    },

    async getUser(userId: string): Promise<LeverUser> {
      const result = await request("GET", "GET /users/:user", `/users/${enc(userId)}`, leverDataSchema(LeverUserSchema));
      return result.data;
    },

    async listFeedbackTemplates(): Promise<LeverFeedbackTemplate[]> {
      return listAll("GET /feedback_templates", "/feedback_templates", LeverFeedbackTemplateSchema);
    },

    async getOpportunity(opportunityId: string): Promise<LeverOpportunity> {
      const result = await request(
        "GET",
        "GET /opportunities/:opportunity",
        `/opportunities/${enc(opportunityId)}`,
        leverDataSchema(LeverOpportunitySchema),
      );
      return result.data;
    },

    async listPanels(opportunityId: string): Promise<LeverPanel[]> {
      return listAll(
        "GET /opportunities/:opportunity/panels",
        `/opportunities/${enc(opportunityId)}/panels`,
        LeverPanelSchema,
      );
    },

    async getPanel(opportunityId: string, panelId: string): Promise<LeverPanel> {
      const result = await request(
        "GET",
        "GET /opportunities/:opportunity/panels/:panel",
        `/opportunities/${enc(opportunityId)}/panels/${enc(panelId)}`,
        leverDataSchema(LeverPanelSchema),
      );
      return result.data;
    },

    async createPanel(opportunityId: string, performAs: string, input: CreatePanelInput): Promise<LeverPanel> {
      const result = await request(
        "POST",
        "POST /opportunities/:opportunity/panels",
        `/opportunities/${enc(opportunityId)}/panels`,
        leverDataSchema(LeverPanelSchema),
        { query: { perform_as: performAs }, body: input },
      );
      return result.data;
    },

    async deletePanel(opportunityId: string, performAs: string, panelId: string): Promise<void> {
      await request(
        "DELETE",
        "DELETE /opportunities/:opportunity/panels/:panel",
        `/opportunities/${enc(opportunityId)}/panels/${enc(panelId)}`,
        null,
        { query: { perform_as: performAs } },
      );
    },

    async createInterview(
      opportunityId: string,
      performAs: string,
      panelId: string,
      body: LeverInterviewBody,
    ): Promise<LeverInterview> {
      const result = await request(
        "POST",
        "POST /opportunities/:opportunity/interviews",
        `/opportunities/${enc(opportunityId)}/interviews`,
        leverDataSchema(LeverInterviewSchema),
        { query: { perform_as: performAs }, body: { ...body, panel: panelId } },
      );
      return result.data;
    },

    async updateInterview(
      opportunityId: string,
      performAs: string,
      panelId: string,
      interviewId: string,
      body: LeverInterviewBody,
    ): Promise<LeverInterview> {
      const result = await request(
        "PUT",
        "PUT /opportunities/:opportunity/interviews/:interview",
        `/opportunities/${enc(opportunityId)}/interviews/${enc(interviewId)}`,
        leverDataSchema(LeverInterviewSchema),
        { query: { perform_as: performAs }, body: { ...body, panel: panelId } },
      );
      return result.data;
    },

    async deleteInterview(opportunityId: string, performAs: string, interviewId: string): Promise<void> {
      await request(
        "DELETE",
        "DELETE /opportunities/:opportunity/interviews/:interview",
        `/opportunities/${enc(opportunityId)}/interviews/${enc(interviewId)}`,
        null,
        { query: { perform_as: performAs } },
      );
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parses Retry-After as seconds or an HTTP date; returns milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
