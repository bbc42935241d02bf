// Cron entry: drift reconciliation, bounded in work and time. Each run wakes
// panels whose retry is overdue, retries panels whose failure may have healed,
// and compares the least recently checked panels with Lever, so consecutive
// runs walk the whole index. One summary line per run.

import { readConfig, type Bindings } from "../config";
import { listOverduePanels, listPanelsNeedingAttention, listPanelsToCheck, markPanelsChecked } from "../db/panels";
import { panelObjectName } from "../goodtime/routes";
import type { ReconcileOutcome } from "../panel/object";
import { describeError } from "../shared/errors";
import { log } from "../shared/log";

export const RECONCILE_LIMITS = {
  /** Overdue panels woken per run. */
  overduePerRun: 200,
  /** needs_attention panels retried per run. */
  attentionPerRun: 50,
  /** Panels compared with Lever per run; each costs one or two Lever reads. */
  checksPerRun: 50,
  /** A panel is compared again at most this often. */
  recheckAfterMs: 60 * 60_000,
  /** The run stops starting new work after this long. */
  budgetMs: 20_000,
};

const HEALABLE_REASONS = [
  "interviewer_not_in_lever",
  "interviewer_deactivated",
  "feedback_form_not_found",
  "no_perform_as_user",
  "lever_unavailable",
  "lever_auth_failed",
];

export interface ReconcileSummary {
  woken: number;
  retried: number;
  checked: number;
  repaired: number;
  removedInLever: number;
  failed: number;
}

export async function runScheduled(controller: ScheduledController, env: Bindings, _ctx: ExecutionContext): Promise<void> {
  readConfig(env);
  try {
    await reconcileOnce(env, Date.now(), RECONCILE_LIMITS);
  } catch (error) {
    log("error", "reconcile.run.failed", { code: controller.cron, detail: describeError(error) });
    // Re-thrown so the platform records the run as failed.
    throw error;
  }
}

export async function reconcileOnce(
  env: Bindings,
  now: number,
  limits: typeof RECONCILE_LIMITS,
): Promise<ReconcileSummary> {
  const started = Date.now();
  const summary: ReconcileSummary = { woken: 0, retried: 0, checked: 0, repaired: 0, removedInLever: 0, failed: 0 };
  const outOfTime = () => Date.now() - started > limits.budgetMs;
  const stubFor = (tenantId: string, externalPanelId: string) =>
    env.SCHEDULED_PANEL.get(env.SCHEDULED_PANEL.idFromName(panelObjectName(tenantId, externalPanelId)));
  log("info", "reconcile.run.started", {});

  for (const panel of await listOverduePanels(env.DB, now, limits.overduePerRun)) {
    if (outOfTime()) break;
    try {
      await stubFor(panel.tenantId, panel.externalPanelId).wake();
      summary.woken++;
    } catch (error) {
      summary.failed++;
      logPanelFailure(panel.tenantId, panel.externalPanelId, error);
    }
  }

  for (const panel of await listPanelsNeedingAttention(env.DB, HEALABLE_REASONS, limits.attentionPerRun)) {
    if (outOfTime()) break;
    await runReconcile(panel.tenantId, panel.externalPanelId);
  }

  const toCheck = await listPanelsToCheck(env.DB, now - limits.recheckAfterMs, limits.checksPerRun);
  const checked: { tenantId: string; externalPanelId: string }[] = [];
  for (const panel of toCheck) {
    if (outOfTime()) break;
    await runReconcile(panel.tenantId, panel.externalPanelId);
    checked.push({ tenantId: panel.tenantId, externalPanelId: panel.externalPanelId });
  }
  await markPanelsChecked(env.DB, checked, now);
  summary.checked = checked.length;

  log("info", "reconcile.run.finished", {
    woken: summary.woken,
    retried: summary.retried,
    checked: summary.checked,
    repaired: summary.repaired,
    removedInLever: summary.removedInLever,
    failed: summary.failed,
    remaining: toCheck.length - checked.length,
    durationMs: Date.now() - started,
  });
  return summary;

  async function runReconcile(tenantId: string, externalPanelId: string): Promise<void> {
    let outcome: ReconcileOutcome;
    try {
      outcome = await stubFor(tenantId, externalPanelId).reconcile();
    } catch (error) {
      summary.failed++;
      logPanelFailure(tenantId, externalPanelId, error);
      return;
    }
    if (outcome === "retried") summary.retried++;
    if (outcome === "repaired") summary.repaired++;
    if (outcome === "removed_in_lever") summary.removedInLever++;
  }
}

function logPanelFailure(tenantId: string, externalPanelId: string, error: unknown): void {
  log("error", "reconcile.panel.failed", {
    tenantId,
    externalPanelId,
    detail: describeError(error),
  });
}
