// The D1 index of scheduled panels: one row per (tenant, externalPanelId),
// written by the panel's Durable Object, read by the cron job, the deep links
// and the status views.

import { and, asc, eq, inArray, isNotNull, lte, or, sql } from "drizzle-orm";
import { database } from "./tenants";
import { scheduledPanels, type ScheduledPanelRow } from "./schema";

export type PanelIndexEntry = Omit<ScheduledPanelRow, "createdAt" | "updatedAt" | "checkedAt">;

export async function upsertPanelIndex(db: D1Database, entry: PanelIndexEntry, now: number): Promise<void> {
  await database(db)
    .insert(scheduledPanels)
    .values({ ...entry, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [scheduledPanels.tenantId, scheduledPanels.externalPanelId],
      set: {
        opportunityId: entry.opportunityId,
        leverPanelId: entry.leverPanelId,
        state: entry.state,
        reason: entry.reason,
        desiredVersion: entry.desiredVersion,
        appliedVersion: entry.appliedVersion,
        dueAt: entry.dueAt,
        updatedAt: now,
      },
    })
    .run();
}

export async function findPanelIndex(
  db: D1Database,
  tenantId: string,
  externalPanelId: string,
): Promise<ScheduledPanelRow | undefined> {
  return database(db)
    .select()
    .from(scheduledPanels)
    .where(and(eq(scheduledPanels.tenantId, tenantId), eq(scheduledPanels.externalPanelId, externalPanelId)))
    .get();
}

/** Panels whose object should have acted by `now` but has not reported back. */
export async function listOverduePanels(db: D1Database, now: number, limit: number): Promise<ScheduledPanelRow[]> {
  return database(db)
    .select()
    .from(scheduledPanels)
    .where(
      and(
        inArray(scheduledPanels.state, ["pending", "retrying"]),
        or(lte(scheduledPanels.dueAt, now), sql`${scheduledPanels.dueAt} IS NULL`),
      ),
    )
    .orderBy(asc(scheduledPanels.dueAt))
    .limit(limit)
    .all();
}

export async function listPanelsNeedingAttention(
  db: D1Database,
  reasons: string[],
  limit: number,
): Promise<ScheduledPanelRow[]> {
  return database(db)
    .select()
    .from(scheduledPanels)
    .where(and(eq(scheduledPanels.state, "needs_attention"), inArray(scheduledPanels.reason, reasons)))
    .orderBy(asc(scheduledPanels.updatedAt))
    .limit(limit)
    .all();
}

/**
 * Panels to compare with Lever, least recently checked first, starting after
 * the cursor of the previous run so consecutive runs walk the whole index.
 */
export async function listPanelsToCheck(
  db: D1Database,
  checkedBefore: number,
  limit: number,
): Promise<ScheduledPanelRow[]> {
  return database(db)
    .select()
    .from(scheduledPanels)
    .where(
      and(
        inArray(scheduledPanels.state, ["synced", "canceled"]),
        or(sql`${scheduledPanels.checkedAt} IS NULL`, lte(scheduledPanels.checkedAt, checkedBefore)),
        isNotNull(scheduledPanels.opportunityId),
      ),
    )
    .orderBy(sql`${scheduledPanels.checkedAt} IS NOT NULL`, asc(scheduledPanels.checkedAt))
    .limit(limit)
    .all();
}

export async function markPanelsChecked(
  db: D1Database,
  keys: { tenantId: string; externalPanelId: string }[],
  now: number,
): Promise<void> {
  const orm = database(db);
  const statements = keys.map((key) =>
    orm
      .update(scheduledPanels)
      .set({ checkedAt: now })
      .where(and(eq(scheduledPanels.tenantId, key.tenantId), eq(scheduledPanels.externalPanelId, key.externalPanelId))),
  );
  if (statements.length > 0) await orm.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

export async function countPanelsByState(db: D1Database, tenantId: string): Promise<Record<string, number>> {
  const rows = await database(db)
    .select({ state: scheduledPanels.state, count: sql<number>`count(*)` })
    .from(scheduledPanels)
    .where(eq(scheduledPanels.tenantId, tenantId))
    .groupBy(scheduledPanels.state)
    .all();
  return Object.fromEntries(rows.map((row) => [row.state, row.count]));
}

/** Lists the tenant's panels in `needs_attention`, most recently changed first, for the settings page. */
export async function listRecentPanelsNeedingAttention(
  db: D1Database,
  tenantId: string,
  limit: number,
): Promise<ScheduledPanelRow[]> {
  return database(db)
    .select()
    .from(scheduledPanels)
    .where(and(eq(scheduledPanels.tenantId, tenantId), eq(scheduledPanels.state, "needs_attention")))
    .orderBy(sql`${scheduledPanels.updatedAt} DESC`)
    .limit(limit)
    .all();
}
