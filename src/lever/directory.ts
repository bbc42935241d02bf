// Lever users and feedback templates as the sync and the GoodTime read
// endpoints need them, cached per tenant in D1 so both share one lookup.

import { and, eq, inArray, sql } from "drizzle-orm";
import { database } from "../db/tenants";
import { leverFeedbackTemplateCache, leverUserCache } from "../db/schema";
import { normalizeEmail } from "../goodtime/schemas";
import type { LeverClient } from "./client";

/** Access roles that may act in Lever through the integration (`perform_as`). */
export const PERFORM_AS_ROLES: ReadonlySet<string> = new Set(["super admin", "admin", "team member", "limited team member"]);

/** A cached "no such user" expires sooner, so creating the user in Lever heals quickly. */
const NOT_FOUND_TTL_MS = 60_000;
/** D1 allows 100 bound parameters per statement; each cache row binds 7. */
const CACHE_ROWS_PER_STATEMENT = 14;
/** Times a caller waits for another caller's lookup of the same email before asking Lever itself. */
const MAX_LOOKUP_WAITS = 3;
/** Emails per SELECT or DELETE: the tenant id takes one more parameter. */
const EMAILS_PER_STATEMENT = 90;

export type LeverUserStatus = "active" | "deactivated" | "not_found";

export interface LeverUserLookup {
  email: string;
  status: LeverUserStatus;
  leverUserId: string | null;
  name: string | null;
  accessRole: string | null;
}

export interface FeedbackForm {
  id: string;
  name: string;
  group: { id: string | null; name: string | null } | null;
}

/**
 * Resolves emails to Lever users: from the cache when fresh, else one
 * `GET /users?email=` per email with deactivated users included, so a
 * deactivated account is reported as such instead of as unknown.
 */
export async function lookUpUsers(
  db: D1Database,
  client: LeverClient,
  tenantId: string,
  emails: readonly string[],
  options: { now: number; ttlMs: number; coordinator?: LookupCoordinator },
): Promise<Map<string, LeverUserLookup>> {
  const wanted = [...new Set(emails.map(normalizeEmail))];
  const result = await readCachedUsers(db, tenantId, wanted, options);

  for (const email of wanted) {
    if (result.has(email)) continue;

    const lookup = await shareLookup(
      options.coordinator,
      `user:${email}`,
      async () => (await readCachedUsers(db, tenantId, [email], options)).get(email),
      async () => {
        const fetched = await fetchUser(client, email);
        await storeUserLookups(db, tenantId, [fetched], options.now);
        return fetched;
      },
    );
    result.set(email, lookup);
  }
  return result;
}

/** Shares one Lever lookup per key among a tenant's panels (the TenantGate object implements it). */
export interface LookupCoordinator {
  /** Returns true when the caller should ask Lever, false when another caller already does. */
  begin(key: string): Promise<boolean>;
  end(key: string): Promise<void>;
  /** Waits until the other caller's lookup ended, or a few seconds passed. */
  wait(key: string): Promise<void>;
}

/**
 * Runs `fetchAndStore` for only one of the callers that miss the cache at the
 * same time: the first claims the key, the others wait and then read the
 * cache. After MAX_LOOKUP_WAITS waits without a cached result a caller fetches anyway.
 */
async function shareLookup<T>(
  coordinator: LookupCoordinator | undefined,
  key: string,
  readCache: () => Promise<T | undefined>,
  fetchAndStore: () => Promise<T>,
): Promise<T> {
  for (let waits = 0; ; waits++) {
    const claimed = coordinator && waits < MAX_LOOKUP_WAITS ? await coordinator.begin(key) : false;
    if (claimed || !coordinator || waits >= MAX_LOOKUP_WAITS) {
      try {
        return await fetchAndStore();
      } finally {
        if (claimed) await coordinator!.end(key);
      }
    }

    await coordinator.wait(key);
    const shared = await readCache();
    if (shared !== undefined) return shared;
  }
}

async function readCachedUsers(
  db: D1Database,
  tenantId: string,
  emails: readonly string[],
  options: { now: number; ttlMs: number },
): Promise<Map<string, LeverUserLookup>> {
  const result = new Map<string, LeverUserLookup>();
  for (const chunk of chunks(emails, EMAILS_PER_STATEMENT)) {
    const rows = await database(db)
      .select()
      .from(leverUserCache)
      .where(and(eq(leverUserCache.tenantId, tenantId), inArray(leverUserCache.email, chunk)))
      .all();
    for (const row of rows) {
      const ttl = row.status === "not_found" ? Math.min(NOT_FOUND_TTL_MS, options.ttlMs) : options.ttlMs;
      if (options.now - row.fetchedAt >= ttl) continue;
      result.set(row.email, {
        email: row.email,
        status: row.status,
        leverUserId: row.leverUserId,
        name: row.name,
        accessRole: row.accessRole,
      });
    }
  }
  return result;
}

async function fetchUser(client: LeverClient, email: string): Promise<LeverUserLookup> {
  const users = await client.findUsersByEmail(email, true);
  const match =
    users.find((user) => normalizeEmail(user.email) === email && !user.deactivatedAt) ??
    users.find((user) => normalizeEmail(user.email) === email);
  if (!match) return { email, status: "not_found", leverUserId: null, name: null, accessRole: null };
  return {
    email,
    status: match.deactivatedAt ? "deactivated" : "active",
    leverUserId: match.id,
    name: match.name ?? null,
    accessRole: match.accessRole,
  };
}

async function storeUserLookups(db: D1Database, tenantId: string, lookups: LeverUserLookup[], now: number) {
  if (lookups.length === 0) return;
  const orm = database(db);
  const statements = [];
  for (let i = 0; i < lookups.length; i += CACHE_ROWS_PER_STATEMENT) {
    const rows = lookups.slice(i, i + CACHE_ROWS_PER_STATEMENT).map((lookup) => ({
      tenantId,
      email: lookup.email,
      status: lookup.status,
      leverUserId: lookup.leverUserId,
      name: lookup.name,
      accessRole: lookup.accessRole,
      fetchedAt: now,
    }));
    statements.push(
      orm
        .insert(leverUserCache)
        .values(rows)
        .onConflictDoUpdate({
          target: [leverUserCache.tenantId, leverUserCache.email],
          set: {
            status: sqlExcluded("status"),
            leverUserId: sqlExcluded("lever_user_id"),
            name: sqlExcluded("name"),
            accessRole: sqlExcluded("access_role"),
            fetchedAt: sqlExcluded("fetched_at"),
          },
        }),
    );
  }
  await orm.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

/** Forgets cached users of a tenant, for example before a reconciliation recheck. */
export async function forgetUsers(db: D1Database, tenantId: string, emails: readonly string[]): Promise<void> {
  for (const chunk of chunks(emails.map(normalizeEmail), EMAILS_PER_STATEMENT)) {
    await database(db)
      .delete(leverUserCache)
      .where(and(eq(leverUserCache.tenantId, tenantId), inArray(leverUserCache.email, chunk)))
      .run();
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** Lists every feedback template of the tenant (all pages), cached for `ttlMs`. */
export async function listFeedbackForms(
  db: D1Database,
  client: LeverClient,
  tenantId: string,
  options: { now: number; ttlMs: number; coordinator?: LookupCoordinator },
): Promise<FeedbackForm[]> {
  const orm = database(db);
  const readCache = async () => {
    const cached = await orm
      .select()
      .from(leverFeedbackTemplateCache)
      .where(eq(leverFeedbackTemplateCache.tenantId, tenantId))
      .get();
    if (cached && options.now - cached.fetchedAt < options.ttlMs) return JSON.parse(cached.templates) as FeedbackForm[];
    return undefined;
  };

  const cached = await readCache();
  if (cached) return cached;

  return shareLookup(options.coordinator, "feedback_templates", readCache, async () => {
    const templates = await client.listFeedbackTemplates();
    const forms: FeedbackForm[] = templates.map((template) => ({
      id: template.id,
      name: template.text,
      group: template.group ? { id: template.group.id ?? null, name: template.group.name ?? null } : null,
    }));
    await orm
      .insert(leverFeedbackTemplateCache)
      .values({ tenantId, templates: JSON.stringify(forms), fetchedAt: options.now })
      .onConflictDoUpdate({
        target: leverFeedbackTemplateCache.tenantId,
        set: { templates: JSON.stringify(forms), fetchedAt: options.now },
      })
      .run();
    return forms;
  });
}

function sqlExcluded(column: string) {
  return sql.raw(`excluded.${column}`);
}
