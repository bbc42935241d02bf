// ScheduledPanel Durable Object: the single writer for one GoodTime scheduled
// panel of one tenant. It stores every event before acknowledging it, keeps the
// newest version as the desired state, and drives Lever there from its alarm,
// one Lever call at a time, re-planning after each call. Because an outbound
// fetch lets other calls into the object interleave, every step re-reads the
// stored record after each await instead of trusting a copy from before it.

import { DurableObject } from "cloudflare:workers";
import { readConfig, panelDeepLink, type Bindings } from "../config";
import { upsertPanelIndex } from "../db/panels";
import { findTenantById } from "../db/tenants";
import type { TenantRow } from "../db/schema";
import { isCancellation, normalizeEmail, type GoodTimeEvent } from "../goodtime/schemas";
import { LeverError, type LeverClient } from "../lever/client";
import {
  forgetUsers,
  listFeedbackForms,
  lookUpUsers,
  PERFORM_AS_ROLES,
  type LeverUserLookup,
  type LookupCoordinator,
} from "../lever/directory";
import type { LeverPanel } from "../lever/schemas";
import { createTenantLeverClient, GateDeferred } from "../lever/tenant-client";
import { describeError } from "../shared/errors";
import { log } from "../shared/log";
import { MIN_RETRY_DELAY_MS, RETRY_WINDOW_MS, retryDelayMs } from "./backoff";
import { buildDesiredPanel, type DesiredLeverPanel } from "./desired";
import { bodyFromLeverInterview, knownFromCreate, knownFromLeverPanel } from "./lever-mapping";
import { ownEntry, planLeverCalls, sameJson, type KnownLeverPanel, type LeverStep } from "./planner";
import { toSyncRecord, type PanelRecord, type ReasonCode, type ReasonDetail, type SyncRecord } from "./record";

/** Lever calls one alarm invocation may make before it yields and re-arms. */
const MAX_STEPS_PER_ALARM = 40;
/** Wall time one alarm invocation may spend before it yields and re-arms. */
const MAX_ALARM_RUN_MS = 20_000;
/** Delay before trying again after an unexpected error inside the alarm. */
const ALARM_ERROR_RETRY_MS = 30_000;
/** An alarm re-armed for the rate limit waits at least this long, so it never re-arms for "now". */
const MIN_GATE_RETRY_DELAY_MS = 20;
/** Maximum time a pending version waits for further updates before its Lever writes start. */
const MAX_COALESCE_MS = 2_000;
/** The opportunity is read again after this long, to notice merges and archiving. */
const OPPORTUNITY_RECHECK_MS = 10 * 60_000;
/** Events kept per panel for dedupe and history; older ones are pruned. */
const MAX_STORED_EVENTS = 1_000;

export type ReceiveStatus = "accepted" | "duplicate" | "stale";
export type ReconcileOutcome = "skipped" | "unchanged" | "retried" | "repaired" | "removed_in_lever";

/** Reasons that a change outside this object can heal, so the cron job retries them. */
const HEALABLE_REASONS: ReadonlySet<ReasonCode> = new Set([
  "interviewer_not_in_lever",
  "interviewer_deactivated",
  "feedback_form_not_found",
  "no_perform_as_user",
  "lever_unavailable",
  "lever_auth_failed",
  "integration_disabled",
]);

type StepOutcome = "continue" | "idle" | "waiting";

interface TenantContext {
  tenant: TenantRow;
  client: LeverClient;
  externalUrl: string;
  now: number;
}

export class ScheduledPanel extends DurableObject<Bindings> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS events (
      event_id TEXT PRIMARY KEY,
      version INTEGER NOT NULL,
      type TEXT NOT NULL,
      outcome TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      payload TEXT NOT NULL
    )`);
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS panel_record (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      record TEXT NOT NULL
    )`);
  }

  /**
   * Stores one GoodTime event. Returns once the event and the new desired state
   * are durable (the output gate delays the response until storage confirms), so
   * the webhook may respond 202. Lever work happens later, in the alarm.
   */
  async receive(tenantId: string, event: GoodTimeEvent): Promise<ReceiveStatus> {
    const now = Date.now();
    const seen = this.#sql.exec("SELECT outcome FROM events WHERE event_id = ?", event.id).toArray();
    if (seen.length > 0) {
      log("info", "goodtime.event.duplicate", this.#eventFields(tenantId, event));
      return "duplicate";
    }

    const existing = this.#load();
    if (existing && existing.tenantId !== tenantId) {
      throw new Error("panel object addressed with another tenant's id");
    }
    if (existing && event.scheduledPanel.version <= existing.desired.version) {
      this.#storeEvent(event, "stale", now);
      log("info", "goodtime.event.stale", {
        ...this.#eventFields(tenantId, event),
        appliedVersion: existing.appliedVersion ?? undefined,
      });
      return "stale";
    }

    const record: PanelRecord = existing ?? {
      tenantId,
      externalPanelId: event.scheduledPanel.externalPanelId,
      desired: undefined as never,
      appliedVersion: null,
      lever: null,
      state: "pending",
      reason: null,
      reasonDetail: null,
      failedVersion: null,
      retry: null,
      createIntent: null,
      addIntent: null,
      inFlight: null,
      removedInLever: null,
      removedEvents: {},
      opportunityArchived: false,
      opportunity: null,
      pendingSince: null,
      userRecheckVersion: null,
      leverUserIds: {},
      createdAt: now,
      updatedAt: now,
    };
    record.desired = {
      eventId: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      onBehalfOf: event.onBehalfOf,
      version: event.scheduledPanel.version,
      panel: event.scheduledPanel,
    };
    const alreadyPending = existing?.state === "pending" || existing?.state === "retrying";
    record.pendingSince = alreadyPending && existing?.pendingSince ? existing.pendingSince : now;
    record.state = "pending";
    record.reason = null;
    record.reasonDetail = null;
    record.retry = null;
    record.updatedAt = now;

    this.ctx.storage.transactionSync(() => {
      this.#storeEvent(event, "accepted", now);
      this.#save(record);
    });
    // Waiting briefly for further updates lets a burst of versions become one
    // Lever write of the newest; the wait never exceeds MAX_COALESCE_MS in total.
    const coalesceMs = readConfig(this.env).updateCoalesceMs;
    await this.ctx.storage.setAlarm(Math.min(now + coalesceMs, record.pendingSince + MAX_COALESCE_MS));
    log("info", "goodtime.event.accepted", this.#eventFields(tenantId, event));

    await this.#writeIndex(record, now);
    return "accepted";
  }

  /** Returns the sync record for GoodTime, or null when this panel has no events. */
  async getSyncRecord(leverAppOrigin: string): Promise<SyncRecord | null> {
    const record = this.#load();
    if (!record) return null;
    return toSyncRecord(record, leverAppOrigin, new Map(Object.entries(record.leverUserIds)));
  }

  /** Arms the alarm now unless one is already due sooner; used by the cron job. */
  async wake(): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    const now = Date.now();
    if (current === null || current > now) await this.ctx.storage.setAlarm(now);
  }

  /**
   * Records that a Lever user deleted one of this panel's interviews in Lever.
   * The echo of the object's own delete, and interviews it no longer tracks,
   * are ignored. When no interview is left, the whole panel counts as removed.
   */
  async recordInterviewDeletedInLever(
    leverPanelId: string,
    leverInterviewId: string,
  ): Promise<"ignored" | "removed_interview" | "removed_panel"> {
    const record = this.#load();
    if (!record?.lever || record.lever.panelId !== leverPanelId) return "ignored";
    const inFlight = record.inFlight;
    if (inFlight && (inFlight.kind === "delete_panel" ? inFlight.panelId === leverPanelId : inFlight.interviewId === leverInterviewId)) {
      return "ignored";
    }
    const externalEventId = Object.keys(record.lever.interviews).find(
      (eventId) => record.lever!.interviews[eventId]!.interviewId === leverInterviewId,
    );
    if (!externalEventId) return "ignored";

    const now = Date.now();
    delete record.lever.interviews[externalEventId];
    record.removedEvents[externalEventId] = record.desired.version;
    const panelGone = Object.keys(record.lever.interviews).length === 0;
    if (panelGone) {
      record.lever = null;
      record.removedInLever = { version: record.desired.version, at: now };
    }
    record.updatedAt = now;
    this.#save(record);
    log("info", "panel.removed_in_lever", {
      tenantId: record.tenantId,
      externalPanelId: record.externalPanelId,
      leverPanelId,
      leverInterviewId,
      version: record.desired.version,
    });

    // Let the alarm settle the state: removed_in_lever for a gone panel, or
    // synced without the removed interview.
    if (record.state === "synced" || record.state === "removed_in_lever") {
      record.appliedVersion = null;
      this.#save(record);
    }
    await this.ctx.storage.setAlarm(now);
    return panelGone ? "removed_panel" : "removed_interview";
  }

  /**
   * Compares this panel with Lever and repairs drift (cron job). A panel that
   * needs attention for a reason that may have healed is retried. A panel
   * missing in Lever becomes removed_in_lever and is never recreated by this
   * path. An interview changed in Lever is put back. A panel of ours found in
   * Lever after GoodTime canceled it is deleted. Costs one or two Lever reads.
   */
  async reconcile(): Promise<ReconcileOutcome> {
    const record = this.#load();
    if (!record) return "skipped";
    const now = Date.now();

    if (record.state === "needs_attention") {
      if (!record.reason || !HEALABLE_REASONS.has(record.reason)) return "skipped";
      if (record.reasonDetail?.emails?.length) await forgetUsers(this.env.DB, record.tenantId, record.reasonDetail.emails);
      record.failedVersion = null;
      record.state = "pending";
      record.updatedAt = now;
      this.#save(record);
      await this.ctx.storage.setAlarm(now);
      return "retried";
    }
    if (record.state !== "synced" && record.state !== "canceled") return "skipped";

    const context = await this.#tenantContext(record, now);
    if (!context) return "skipped";

    try {
      if (record.state === "canceled") return await this.#findOrphan(record, context);
      if (!record.lever) return "unchanged";
      return await this.#compareWithLever(record.lever, context);
    } catch (error) {
      if (error instanceof GateDeferred || error instanceof LeverError) return "skipped";
      throw error;
    }
  }

  async #findOrphan(record: PanelRecord, context: TenantContext): Promise<ReconcileOutcome> {
    const opportunityId = record.opportunity?.id ?? record.desired.panel.candidateId;
    const panels = await context.client.listPanels(opportunityId);
    const orphan = panels.find((panel) => panel.externalUrl === context.externalUrl && !panel.canceledAt);
    if (!orphan) return "unchanged";
    const fresh = this.#load()!;
    fresh.lever = knownFromLeverPanel(orphan, opportunityId, null);
    fresh.appliedVersion = null;
    fresh.state = "pending";
    this.#save(fresh);
    await this.ctx.storage.setAlarm(Date.now());
    log("warn", "reconcile.panel.repaired", { tenantId: fresh.tenantId, externalPanelId: fresh.externalPanelId, leverPanelId: orphan.id, step: "delete_orphan" });
    return "repaired";
  }

  async #compareWithLever(known: KnownLeverPanel, context: TenantContext): Promise<ReconcileOutcome> {
    let panel: LeverPanel;
    try {
      panel = await context.client.getPanel(known.opportunityId, known.panelId);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const fresh = this.#load()!;
      if (fresh.lever?.panelId !== known.panelId) return "unchanged";
      await this.#markRemovedInLever(Date.now());
      await this.ctx.storage.setAlarm(Date.now());
      return "removed_in_lever";
    }

    const fresh = this.#load()!;
    if (fresh.lever?.panelId !== known.panelId) return "unchanged";
    const leverInterviews = new Map(panel.interviews.filter((i) => !i.canceledAt).map((i) => [i.id, i]));
    let changed = false;
    for (const [externalEventId, entry] of Object.entries(fresh.lever.interviews)) {
      const actual = leverInterviews.get(entry.interviewId);
      if (!actual) {
        // Canceled by a Lever user: remembered, not recreated until GoodTime changes the panel.
        delete fresh.lever.interviews[externalEventId];
        fresh.removedEvents[externalEventId] = fresh.desired.version;
        changed = true;
        continue;
      }
      const body = bodyFromLeverInterview(actual);
      if (!sameJson(body, entry.body)) {
        entry.body = body;
        changed = true;
      }
    }
    if (!changed) return "unchanged";

    if (Object.keys(fresh.lever.interviews).length === 0) {
      fresh.lever = null;
      fresh.removedInLever = { version: fresh.desired.version, at: Date.now() };
    }
    fresh.appliedVersion = null;
    fresh.state = "pending";
    this.#save(fresh);
    await this.ctx.storage.setAlarm(Date.now());
    log("warn", "reconcile.panel.repaired", { tenantId: fresh.tenantId, externalPanelId: fresh.externalPanelId, leverPanelId: known.panelId, step: "restore_interviews" });
    return "repaired";
  }

  override async alarm(): Promise<void> {
    const started = Date.now();
    try {
      for (let step = 0; step < MAX_STEPS_PER_ALARM; step++) {
        const outcome = await this.#step();
        if (outcome !== "continue") return;
        if (Date.now() - started > MAX_ALARM_RUN_MS) break;
      }
      // Work remains: yield so other alarms and requests get a turn, then continue.
      await this.ctx.storage.setAlarm(Date.now() + MIN_RETRY_DELAY_MS);
    } catch (error) {
      const record = this.#load();
      log("error", "panel.alarm.failed", {
        tenantId: record?.tenantId,
        externalPanelId: record?.externalPanelId,
        errorName: error instanceof Error ? error.name : "unknown",
        detail: describeError(error),
      });
      await this.ctx.storage.setAlarm(Date.now() + ALARM_ERROR_RETRY_MS);
    }
  }

  // One step towards the desired state: resolve, plan, and make at most one Lever write.
  async #step(): Promise<StepOutcome> {
    const record = this.#load();
    if (!record) return "idle";
    const now = Date.now();

    // A pending retry's alarm may fire early (the cron job wakes overdue panels);
    // acting then is harmless because every step re-plans from stored state.
    if (this.#isSettled(record)) return "idle";

    const context = await this.#tenantContext(record, now);
    if (!context) return "idle";

    try {
      return await this.#advance(record, context);
    } catch (error) {
      return this.#handleFailure(error, context.now);
    }
  }

  async #advance(record: PanelRecord, context: TenantContext): Promise<StepOutcome> {
    const canceled = isCancellation({ type: record.desired.type, scheduledPanel: record.desired.panel });

    if (!canceled && record.removedInLever && record.desired.version <= record.removedInLever.version) {
      await this.#finish("removed_in_lever", context.now);
      return "idle";
    }

    const performAs = await this.#resolvePerformAs(record, context);
    if (!performAs) return "idle";

    let desired: DesiredLeverPanel | null = null;
    if (!canceled) {
      desired = await this.#resolveDesired(record, context);
      if (!desired) return "idle";
    }

    const fresh = this.#load()!;
    if (!fresh.lever && fresh.createIntent) {
      await this.#adoptAfterUnknownCreate(fresh, context, desired, performAs);
      return "continue";
    }

    if (fresh.lever && fresh.addIntent) {
      await this.#adoptAfterUnknownAdd(fresh.lever, fresh.addIntent, context);
      return "continue";
    }

    const steps = planLeverCalls(desired, fresh.lever);
    const next = steps[0];
    if (!next) {
      const allRemoved = desired !== null && desired.interviews.length === 0;
      let state: "canceled" | "removed_in_lever" | "synced" = "synced";
      if (canceled) state = "canceled";
      else if (allRemoved) state = "removed_in_lever";
      await this.#finish(state, context.now);
      return "idle";
    }

    if (fresh.state !== "pending" && fresh.state !== "retrying") {
      fresh.state = "pending";
      this.#save(fresh);
    }
    await this.#execute(next, desired, performAs, context);
    return "continue";
  }

  // Settled means the stored state already reflects the newest version, or the
  // newest version failed permanently; only a newer event or a recheck moves it.
  #isSettled(record: PanelRecord): boolean {
    if (record.failedVersion === record.desired.version) return true;
    if (record.appliedVersion !== record.desired.version) return false;
    return record.state === "synced" || record.state === "canceled" || record.state === "removed_in_lever";
  }

  async #tenantContext(record: PanelRecord, now: number): Promise<TenantContext | null> {
    const config = readConfig(this.env);
    const tenant = await findTenantById(this.env.DB, record.tenantId);
    if (!tenant) {
      await this.#markPermanent("tenant_not_found", null, now);
      return null;
    }
    if (!tenant.integrationEnabled) {
      // Held, not failed: enabling the integration again lets the cron job resume it.
      // A settled panel keeps its state; only waiting work is marked.
      const fresh = this.#load()!;
      if (fresh.state === "pending" || fresh.state === "retrying") {
        fresh.reason = "integration_disabled";
        fresh.updatedAt = now;
        this.#save(fresh);
        await this.#writeIndex(fresh, now);
      }
      return null;
    }
    const client = await createTenantLeverClient(this.env, config, tenant, {
      externalPanelId: record.externalPanelId,
      // Lever redirected a call for a merged opportunity: read the opportunity
      // again on the next step, which stores the surviving id.
      onRedirect: () => {
        const fresh = this.#load();
        if (fresh?.opportunity) {
          fresh.opportunity = null;
          this.#save(fresh);
        }
      },
    });
    return {
      tenant,
      client,
      externalUrl: panelDeepLink(config.publicOrigin, tenant.slug, record.externalPanelId),
      now,
    };
  }

  // perform_as is the active Lever user behind onBehalfOf when their role may
  // use the integration, else the Super Admin who enabled it.
  async #resolvePerformAs(record: PanelRecord, context: TenantContext): Promise<string | null> {
    const onBehalfOf = record.desired.onBehalfOf;
    if (onBehalfOf) {
      const users = await this.#lookUpUsers(context, [onBehalfOf]);
      const user = users.get(normalizeEmail(onBehalfOf));
      if (user?.status === "active" && user.leverUserId && user.accessRole && PERFORM_AS_ROLES.has(user.accessRole)) {
        return user.leverUserId;
      }
    }
    if (context.tenant.integrationUserId) return context.tenant.integrationUserId;
    await this.#markPermanent("no_perform_as_user", null, context.now);
    return null;
  }

  // Resolves interviewers and feedback templates, then builds the Lever panel.
  // Any interviewer without an active Lever account stops the version: nothing
  // is written, because a partial panel would be wrong in front of the candidate.
  async #resolveDesired(record: PanelRecord, context: TenantContext): Promise<DesiredLeverPanel | null> {
    const panel = record.desired.panel;
    const emails = panel.scheduledEvents.flatMap((event) => event.interviewers.map((i) => normalizeEmail(i.email)));
    const users = await this.#lookUpUsers(context, emails);

    const missing = [...new Set(emails.filter((email) => users.get(email)?.status === "not_found"))];
    const deactivated = [...new Set(emails.filter((email) => users.get(email)?.status === "deactivated"))];
    if (missing.length > 0 || deactivated.length > 0) {
      const reason: ReasonCode = missing.length > 0 ? "interviewer_not_in_lever" : "interviewer_deactivated";
      await this.#markPermanent(reason, { emails: [...missing, ...deactivated] }, context.now);
      return null;
    }

    const templateIds = [
      ...new Set(panel.scheduledEvents.flatMap((event) => (event.interviewStepId ? [event.interviewStepId] : []))),
    ];
    if (templateIds.length > 0) {
      const config = readConfig(this.env);
      const forms = await listFeedbackForms(this.env.DB, context.client, context.tenant.id, {
        now: context.now,
        ttlMs: config.feedbackFormsCacheTtlMs,
        coordinator: this.#lookupCoordinator(context.tenant.id),
      });
      const known = new Set(forms.map((form) => form.id));
      const unknown = templateIds.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        await this.#markPermanent("feedback_form_not_found", { feedbackTemplateIds: unknown }, context.now);
        return null;
      }
    }

    const opportunityId = await this.#resolveOpportunity(record, context);
    if (!opportunityId) return null;

    const idByEmail = new Map<string, string>();
    for (const [email, user] of users) if (user.leverUserId) idByEmail.set(email, user.leverUserId);

    const fresh = this.#load()!;
    fresh.leverUserIds = Object.fromEntries(idByEmail);
    this.#save(fresh);

    const skipped = new Set(
      Object.entries(fresh.removedEvents)
        .filter(([, version]) => fresh.desired.version <= version)
        .map(([externalEventId]) => externalEventId),
    );
    return { ...buildDesiredPanel(panel, context.externalUrl, idByEmail, skipped), opportunityId };
  }

  // Reads the opportunity when GoodTime names another one or the last read is
  // older than OPPORTUNITY_RECHECK_MS: a 404 stops the version,
  // an archived opportunity is reported, and a merged one (Lever redirects to
  // the survivor) replaces the stored id. Lever moves panels along with a
  // merge, so a known panel is kept under the new id instead of recreated.
  async #resolveOpportunity(record: PanelRecord, context: TenantContext): Promise<string | null> {
    const requestedId = record.desired.panel.candidateId;
    const cached = record.opportunity;
    if (cached && cached.requestedId === requestedId && context.now - cached.checkedAt < OPPORTUNITY_RECHECK_MS) {
      return cached.id;
    }

    let opportunity;
    try {
      opportunity = await context.client.getOpportunity(requestedId);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const leverError = error as LeverError;
      await this.#markPermanent(
        "opportunity_not_found",
        { leverStatus: leverError.status, leverCode: leverError.leverCode, leverMessage: leverError.message },
        context.now,
      );
      return null;
    }

    const fresh = this.#load()!;
    fresh.opportunity = { requestedId, id: opportunity.id, checkedAt: context.now };
    fresh.opportunityArchived = Boolean(opportunity.archived?.archivedAt);
    if (fresh.lever && fresh.lever.opportunityId === requestedId && opportunity.id !== requestedId) {
      fresh.lever.opportunityId = opportunity.id;
    }
    this.#save(fresh);
    return opportunity.id;
  }

  async #lookUpUsers(context: TenantContext, emails: string[]): Promise<Map<string, LeverUserLookup>> {
    const config = readConfig(this.env);
    return lookUpUsers(this.env.DB, context.client, context.tenant.id, emails, {
      now: context.now,
      ttlMs: config.userCacheTtlMs,
      coordinator: this.#lookupCoordinator(context.tenant.id),
    });
  }

  #lookupCoordinator(tenantId: string): LookupCoordinator {
    const gate = this.env.TENANT_GATE.get(this.env.TENANT_GATE.idFromName(tenantId));
    return {
      begin: (key) => gate.beginLookup(key),
      end: (key) => gate.endLookup(key),
      wait: (key) => gate.waitForLookup(key),
    };
  }

  // A create whose response never arrived may have been applied. Lever has no
  // idempotency keys, so the object looks for a panel carrying its own
  // externalUrl and adopts it instead of creating a second one.
  async #adoptAfterUnknownCreate(
    record: PanelRecord,
    context: TenantContext,
    desired: DesiredLeverPanel | null,
    performAs: string,
  ): Promise<void> {
    const intent = record.createIntent!;
    const panels = await context.client.listPanels(intent.opportunityId);
    const ours = panels.filter((panel) => panel.externalUrl === context.externalUrl && !panel.canceledAt);

    const fresh = this.#load()!;
    fresh.createIntent = null;
    const [adopted, ...extra] = ours;
    if (adopted) {
      fresh.lever = knownFromLeverPanel(adopted, intent.opportunityId, desired);
      log("warn", "panel.create.adopted", {
        tenantId: fresh.tenantId,
        externalPanelId: fresh.externalPanelId,
        leverPanelId: adopted.id,
        count: ours.length,
      });
    }
    this.#save(fresh);

    // Only reachable if an earlier version of this logic ever created twice:
    // remove the extras so that exactly one panel remains.
    for (const duplicate of extra) {
      await context.client.deletePanel(intent.opportunityId, performAs, duplicate.id);
    }
  }

  // An interview add whose response never arrived may have been applied. The
  // object reads the panel and adopts an interview it does not track yet with
  // the same subject, start and duration, instead of adding a second one.
  async #adoptAfterUnknownAdd(
    known: KnownLeverPanel,
    intent: NonNullable<PanelRecord["addIntent"]>,
    context: TenantContext,
  ): Promise<void> {
    let panel: LeverPanel;
    try {
      panel = await context.client.getPanel(known.opportunityId, intent.panelId);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const fresh = this.#load()!;
      fresh.addIntent = null;
      this.#save(fresh);
      await this.#markRemovedInLever(Date.now());
      return;
    }

    const fresh = this.#load()!;
    fresh.addIntent = null;
    if (fresh.lever?.panelId === intent.panelId && !ownEntry(fresh.lever.interviews, intent.externalEventId)) {
      const tracked = new Set(Object.values(fresh.lever.interviews).map((entry) => entry.interviewId));
      const match = panel.interviews.find(
        (interview) =>
          !tracked.has(interview.id) &&
          !interview.canceledAt &&
          interview.date === intent.date &&
          interview.duration === intent.duration &&
          (interview.subject ?? "") === intent.subject,
      );
      if (match) {
        fresh.lever.interviews[intent.externalEventId] = { interviewId: match.id, body: bodyFromLeverInterview(match) };
        log("warn", "panel.create.adopted", {
          tenantId: fresh.tenantId,
          externalPanelId: fresh.externalPanelId,
          leverPanelId: intent.panelId,
          leverInterviewId: match.id,
        });
      }
    }
    this.#save(fresh);
  }

  async #execute(
    step: LeverStep,
    desired: DesiredLeverPanel | null,
    performAs: string,
    context: TenantContext,
  ): Promise<void> {
    const { client } = context;
    const fields = (record: PanelRecord) => ({ tenantId: record.tenantId, externalPanelId: record.externalPanelId });

    const before = this.#load()!;
    let inFlightPanelId: string | null = before.lever?.panelId ?? null;
    if (step.kind === "create_panel") inFlightPanelId = null;
    if (step.kind === "delete_panel") inFlightPanelId = step.panelId;
    before.inFlight = {
      kind: step.kind,
      panelId: inFlightPanelId,
      interviewId: "interviewId" in step ? step.interviewId : null,
    };
    this.#save(before);

    switch (step.kind) {
      case "create_panel": {
        const target = desired!;
        const intentRecord = this.#load()!;
        intentRecord.createIntent = { opportunityId: target.opportunityId, startedAt: context.now };
        this.#save(intentRecord);

        let created: LeverPanel;
        try {
          created = await client.createPanel(target.opportunityId, performAs, {
            ...target.fields,
            interviews: target.interviews.map((interview) => interview.body),
          });
        } catch (error) {
          // A definite rejection, or a gate deferral before sending, means nothing was
          // created; anything else leaves the intent for adoption.
          if (error instanceof GateDeferred || (error instanceof LeverError && !error.transient)) {
            const fresh = this.#load()!;
            fresh.createIntent = null;
            this.#save(fresh);
          }
          throw error;
        }

        const fresh = this.#load()!;
        fresh.createIntent = null;
        fresh.lever = knownFromCreate(created, target);
        this.#recordSuccess(fresh, context.now);
        log("info", "panel.created", { ...fields(fresh), leverPanelId: created.id });
        return;
      }

      case "delete_panel": {
        try {
          await client.deletePanel(step.opportunityId, performAs, step.panelId);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        const fresh = this.#load()!;
        fresh.lever = null;
        this.#recordSuccess(fresh, context.now);
        return;
      }

      case "add_interview": {
        const intentRecord = this.#load()!;
        const known = intentRecord.lever!;
        const interview = desired!.interviews.find((i) => i.externalEventId === step.externalEventId)!;
        intentRecord.addIntent = {
          externalEventId: step.externalEventId,
          panelId: known.panelId,
          subject: interview.body.subject,
          date: interview.body.date,
          duration: interview.body.duration,
        };
        this.#save(intentRecord);
        try {
          const created = await client.createInterview(known.opportunityId, performAs, known.panelId, interview.body);
          const fresh = this.#load()!;
          fresh.addIntent = null;
          if (fresh.lever?.panelId === known.panelId) {
            fresh.lever.interviews[step.externalEventId] = { interviewId: created.id, body: interview.body };
          }
          this.#recordSuccess(fresh, context.now);
        } catch (error) {
          if (error instanceof LeverError && error.transient) throw error;
          const fresh = this.#load()!;
          fresh.addIntent = null;
          this.#save(fresh);
          if (!isNotFound(error)) throw error;
          // The panel is gone from Lever: a Lever user canceled it.
          await this.#markRemovedInLever(context.now);
        }
        return;
      }

      case "update_interview": {
        const known = this.#load()!.lever!;
        const interview = desired!.interviews.find((i) => i.externalEventId === step.externalEventId)!;
        try {
          await client.updateInterview(known.opportunityId, performAs, known.panelId, step.interviewId, interview.body);
          const fresh = this.#load()!;
          const entry = fresh.lever ? ownEntry(fresh.lever.interviews, step.externalEventId) : undefined;
          if (entry && entry.interviewId === step.interviewId) entry.body = interview.body;
          this.#recordSuccess(fresh, context.now);
        } catch (error) {
          if (!isNotFound(error)) throw error;
          // The interview is gone from Lever: a Lever user canceled this one event.
          const fresh = this.#load()!;
          if (fresh.lever) delete fresh.lever.interviews[step.externalEventId];
          fresh.removedEvents[step.externalEventId] = fresh.desired.version;
          this.#recordSuccess(fresh, context.now);
        }
        return;
      }

      case "delete_interview": {
        const known = this.#load()!.lever!;
        try {
          await client.deleteInterview(known.opportunityId, performAs, step.interviewId);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        const fresh = this.#load()!;
        if (fresh.lever) delete fresh.lever.interviews[step.externalEventId];
        this.#recordSuccess(fresh, context.now);
        return;
      }
    }
  }

  #recordSuccess(record: PanelRecord, now: number): void {
    record.inFlight = null;
    record.retry = null;
    record.updatedAt = now;
    this.#save(record);
  }

  async #markRemovedInLever(now: number): Promise<void> {
    const record = this.#load()!;
    record.inFlight = null;
    record.lever = null;
    record.removedInLever = { version: record.desired.version, at: now };
    record.state = "removed_in_lever";
    record.reason = null;
    record.reasonDetail = null;
    record.retry = null;
    record.appliedVersion = record.desired.version;
    record.updatedAt = now;
    this.#save(record);
    await this.#writeIndex(record, now);
    log("info", "panel.removed_in_lever", {
      tenantId: record.tenantId,
      externalPanelId: record.externalPanelId,
      version: record.desired.version,
    });
  }

  async #finish(state: "synced" | "canceled" | "removed_in_lever", now: number): Promise<void> {
    const record = this.#load()!;
    record.state = state;
    record.pendingSince = null;
    record.reason = null;
    record.reasonDetail = null;
    record.retry = null;
    record.failedVersion = null;
    record.appliedVersion = record.desired.version;
    record.updatedAt = now;
    this.#save(record);
    log("info", "panel.sync.converged", {
      tenantId: record.tenantId,
      externalPanelId: record.externalPanelId,
      version: record.desired.version,
      state,
      leverPanelId: record.lever?.panelId,
    });
    await this.#writeIndex(record, now);
  }

  async #markPermanent(reason: ReasonCode, detail: ReasonDetail | null, now: number): Promise<void> {
    const record = this.#load()!;
    record.inFlight = null;
    record.pendingSince = null;
    record.state = "needs_attention";
    record.reason = reason;
    record.reasonDetail = detail;
    record.failedVersion = record.desired.version;
    record.retry = null;
    record.updatedAt = now;
    this.#save(record);
    log("warn", "panel.sync.failed", {
      tenantId: record.tenantId,
      externalPanelId: record.externalPanelId,
      version: record.desired.version,
      reason,
      status: detail?.leverStatus,
      code: detail?.leverCode,
    });
    await this.#writeIndex(record, now);
  }

  async #handleFailure(error: unknown, now: number): Promise<StepOutcome> {
    if (error instanceof GateDeferred) {
      const deferred = this.#load()!;
      deferred.inFlight = null;
      this.#save(deferred);
      if (error.blockedBy) {
        // The tenant's credential is blocked: wait in needs_attention; the block's
        // end, a new key or the cron job's retry of this reason resumes the panel.
        await this.#markPermanent(error.blockedBy, { leverMessage: error.message }, now);
        return "idle";
      }
      await this.ctx.storage.setAlarm(Math.max(error.retryAt, now + MIN_GATE_RETRY_DELAY_MS));
      return "waiting";
    }
    if (!(error instanceof LeverError)) throw error;

    if (!error.transient) {
      const current = this.#load()!;
      const isWrite = /^(POST|PUT|DELETE) /.test(error.route);
      if (error.status === 400 && isWrite && current.userRecheckVersion !== current.desired.version) {
        // Lever may know what the user cache does not yet, such as an interviewer
        // deactivated a minute ago: look the users up again once per version, so
        // the reason becomes interviewer_deactivated instead of lever_rejected.
        const emails = current.desired.panel.scheduledEvents.flatMap((event) => event.interviewers.map((i) => i.email));
        if (current.desired.onBehalfOf) emails.push(current.desired.onBehalfOf);
        await forgetUsers(this.env.DB, current.tenantId, emails);
        current.userRecheckVersion = current.desired.version;
        current.inFlight = null;
        this.#save(current);
        return "continue";
      }

      const detail: ReasonDetail = { leverStatus: error.status, leverCode: error.leverCode, leverMessage: error.message };
      const reason: ReasonCode =
        error.status === 401
          ? "lever_auth_failed"
          : error.status === 404 && error.route.startsWith("POST /opportunities/:opportunity/panels")
            ? "opportunity_not_found"
            : "lever_rejected";
      await this.#markPermanent(reason, detail, now);
      return "idle";
    }

    const record = this.#load()!;
    record.inFlight = null;
    const attempt = (record.retry?.attempt ?? 0) + 1;
    const firstFailureAt = record.retry?.firstFailureAt ?? now;
    if (now - firstFailureAt >= RETRY_WINDOW_MS) {
      await this.#markPermanent("lever_unavailable", { leverStatus: error.status, leverMessage: error.message }, now);
      return "idle";
    }

    const config = readConfig(this.env);
    const delayMs = retryDelayMs(attempt, Math.random(), error.retryAfterMs, config.leverRetryBaseMs, config.leverRetryCapMs);
    record.retry = { attempt, firstFailureAt, dueAt: now + delayMs };
    record.state = "retrying";
    record.reasonDetail = { leverStatus: error.status, leverCode: error.leverCode, leverMessage: error.message };
    record.updatedAt = now;
    this.#save(record);
    await this.ctx.storage.setAlarm(record.retry.dueAt);
    log("warn", "panel.sync.retry_scheduled", {
      tenantId: record.tenantId,
      externalPanelId: record.externalPanelId,
      route: error.route,
      status: error.status,
      attempt,
      delayMs,
    });
    await this.#writeIndex(record, now);
    return "waiting";
  }

  async #writeIndex(record: PanelRecord, now: number): Promise<void> {
    try {
      await upsertPanelIndex(
        this.env.DB,
        {
          tenantId: record.tenantId,
          externalPanelId: record.externalPanelId,
          opportunityId: record.lever?.opportunityId ?? record.desired.panel.candidateId,
          leverPanelId: record.lever?.panelId ?? null,
          state: record.state,
          reason: record.reason,
          desiredVersion: record.desired.version,
          appliedVersion: record.appliedVersion,
          dueAt: record.retry?.dueAt ?? (record.state === "pending" ? now : null),
        },
        now,
      );
    } catch (error) {
      // The object's own storage is the source of truth; the cron job rewrites the index later.
      log("error", "panel.index.write_failed", {
        tenantId: record.tenantId,
        externalPanelId: record.externalPanelId,
        detail: describeError(error),
      });
    }
  }

  #load(): PanelRecord | null {
    const row = this.#sql.exec<{ record: string }>("SELECT record FROM panel_record WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.record) as PanelRecord) : null;
  }

  #save(record: PanelRecord): void {
    this.#sql.exec(
      "INSERT INTO panel_record (id, record) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record",
      JSON.stringify(record),
    );
  }

  #storeEvent(event: GoodTimeEvent, outcome: "accepted" | "stale", now: number): void {
    this.#sql.exec(
      "INSERT INTO events (event_id, version, type, outcome, received_at, payload) VALUES (?, ?, ?, ?, ?, ?)",
      event.id,
      event.scheduledPanel.version,
      event.type,
      outcome,
      now,
      JSON.stringify(event),
    );
    this.#sql.exec(
      `DELETE FROM events WHERE event_id IN (
         SELECT event_id FROM events ORDER BY received_at DESC, version DESC LIMIT -1 OFFSET ?
       )`,
      MAX_STORED_EVENTS,
    );
  }

  #eventFields(tenantId: string, event: GoodTimeEvent) {
    return {
      tenantId,
      externalPanelId: event.scheduledPanel.externalPanelId,
      eventId: event.id,
      eventType: event.type,
      version: event.scheduledPanel.version,
    };
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof LeverError && error.kind === "http" && error.status === 404;
}
