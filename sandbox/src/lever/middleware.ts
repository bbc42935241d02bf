import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { survivingOpportunityId, type Account, type CallRecord } from "../accounts";
import { DroppedConnection, errorResponse } from "../errors";
import { faultKind, HANG_CAP_MS, pickFault, type FaultRule } from "../faults";
import type { SandboxEnv } from "../hono-env";
import { authenticate, drainRequestBody } from "../request";

/** Template of the Lever catch-all route, logged for paths that match no Lever route. */
export const UNMATCHED_ROUTE = "/v1/*";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Return the template of the route that will handle this request. Middleware and the catch-all are registered as ALL, so they are skipped. */
function routeTemplate(c: Context<SandboxEnv>): string {
  return matchedRoutes(c).find((route) => route.method !== "ALL")?.path ?? UNMATCHED_ROUTE;
}

/**
 * Build Lever's response to an id that was merged into another opportunity:
 * 301 to the same path and query under the surviving id.
 */
function mergedOpportunityRedirect(account: Account, requestUrl: string): Response | null {
  const url = new URL(requestUrl);
  const match = url.pathname.match(/^\/v1\/opportunities\/([^/]+)(\/.*)?$/);
  if (!match?.[1]) return null;
  const survivor = survivingOpportunityId(account, decodeURIComponent(match[1]));
  if (survivor === null) return null;
  url.pathname = `/v1/opportunities/${encodeURIComponent(survivor)}${match[2] ?? ""}`;
  return new Response(null, { status: 301, headers: { Location: url.toString() } });
}

function injectedErrorResponse(rule: FaultRule, status: number): Response {
  const headers: Record<string, string> = {};
  if (rule.retryAfterSeconds !== undefined) headers["Retry-After"] = String(rule.retryAfterSeconds);
  return errorResponse(status, undefined, headers);
}

/**
 * Front of every `/v1` request, in this order: authentication, call log entry, rate limit,
 * injected faults, merged-opportunity redirect, then the route handler.
 */
export const leverApiMiddleware: MiddlewareHandler<SandboxEnv> = async (c, next) => {
  await drainRequestBody(c);
  const account = authenticate(c);
  if (!account) return errorResponse(401, "Invalid API key");
  c.set("account", account);

  const url = new URL(c.req.url);
  const method = c.req.method;
  const route = routeTemplate(c);
  // Logged before any await, so calls whose handler never finishes (hang, client abort) still appear.
  const record: CallRecord = { method, route, path: url.pathname + url.search, status: null, at: Date.now() };
  account.calls.push(record);

  if (!account.rateLimit.tryTake()) {
    record.status = 429;
    return errorResponse(429, "Rate limit exceeded");
  }

  const fault = pickFault(account.faults, account.random, method, route);
  if (fault) record.fault = { id: fault.id, kind: faultKind(fault) };
  if (fault?.latencyMs !== undefined) await sleep(fault.latencyMs);
  if (fault?.hang) {
    await sleep(HANG_CAP_MS);
    record.status = 503;
    return errorResponse(503, `No response within ${HANG_CAP_MS} ms`);
  }
  if (fault?.status !== undefined) {
    record.status = fault.status;
    return injectedErrorResponse(fault, fault.status);
  }

  const redirect = mergedOpportunityRedirect(account, c.req.url);
  if (redirect) {
    record.status = redirect.status;
    return redirect;
  }

  await next();

  if (fault?.applyThenFail) {
    record.fault = { id: fault.id, kind: faultKind(fault), appliedStatus: c.res.status };
    if ("drop" in fault.applyThenFail) throw new DroppedConnection();
    const status = fault.applyThenFail.status ?? 500;
    // Clear the handler's response first, because Hono copies the old headers onto a replacement.
    c.res = undefined;
    c.res = injectedErrorResponse(fault, status);
  }
  record.status = c.res.status;
};

/** Respond to paths under /v1 that no handler took: 405 when another method serves the path, else 404. */
export function unmatchedLeverRoute(routes: ReadonlyArray<{ method: string; path: string }>) {
  const templates = routes
    .filter((route) => route.method !== "ALL" && route.path.startsWith("/v1/"))
    .map((route) => ({ method: route.method, pattern: new RegExp(`^${route.path.replace(/:[^/]+/g, "[^/]+")}$`) }));
  return (c: Context<SandboxEnv>): Response => {
    const path = new URL(c.req.url).pathname;
    const allowed = [...new Set(templates.filter((template) => template.pattern.test(path)).map((template) => template.method))];
    if (allowed.length > 0) {
      return errorResponse(405, `Method ${c.req.method} is not allowed on ${path}`, { Allow: allowed.join(", ") });
    }
    return errorResponse(404, `No Lever API route matches ${path}`);
  };
}
