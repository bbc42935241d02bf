import type { Context } from "hono";
import type { z } from "zod";
import { findAccount, type Account } from "./accounts";
import { ApiError } from "./errors";
import type { SandboxEnv } from "./hono-env";
import { describeIssue } from "./schemas";
import type { WaitUntil } from "./webhooks";

/** Return the user name of an HTTP Basic Authorization header, which Lever uses as the API key. */
export function basicAuthUser(header: string | undefined): string | null {
  const match = header?.match(/^Basic\s+(\S+)\s*$/i);
  if (!match?.[1]) return null;
  try {
    const decoded = atob(match[1]);
    const colon = decoded.indexOf(":");
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    return user === "" ? null : user;
  } catch {
    return null;
  }
}

export function authenticate(c: Context<SandboxEnv>): Account | undefined {
  const apiKey = basicAuthUser(c.req.header("authorization"));
  return apiKey === null ? undefined : findAccount(apiKey, c.env ?? {});
}

/**
 * Read the whole request body before any early response (401, 429, faults, validation), because workerd
 * reports an error when a client is still streaming a body that the Worker never read. Hono caches the text,
 * so handlers can read it again.
 */
export async function drainRequestBody(c: Context<SandboxEnv>): Promise<void> {
  if (c.req.raw.body !== null) await c.req.text();
}

/** Parse the JSON request body. An empty body reads as undefined, so that the schema reports what is missing. */
export async function readJsonBody(c: Context<SandboxEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `Invalid JSON body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, describeIssue(result.error));
  return result.data;
}

export async function readInput<Schema extends z.ZodType>(c: Context<SandboxEnv>, schema: Schema): Promise<z.infer<Schema>> {
  return parseInput(schema, await readJsonBody(c));
}

/** Return `ctx.waitUntil`, or a no-op outside a Worker request (Hono throws when there is no execution context). */
export function waitUntilOf(c: Context<SandboxEnv>): WaitUntil {
  try {
    const executionCtx = c.executionCtx;
    return (promise) => executionCtx.waitUntil(promise);
  } catch {
    return () => undefined;
  }
}
