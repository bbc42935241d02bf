// Cron entry: wakes panels that should have acted and did not.

import type { Bindings } from "../config";
import { listOverduePanels } from "../db/panels";
import { panelObjectName } from "../goodtime/routes";
import { log } from "../shared/log";

const MAX_PANELS_PER_RUN = 200;

export async function runScheduled(controller: ScheduledController, env: Bindings, _ctx: ExecutionContext): Promise<void> {
  const started = Date.now();
  try {
    const overdue = await listOverduePanels(env.DB, started, MAX_PANELS_PER_RUN);
    let retried = 0;
    for (const panel of overdue) {
      const stub = env.SCHEDULED_PANEL.get(env.SCHEDULED_PANEL.idFromName(panelObjectName(panel.tenantId, panel.externalPanelId)));
      await stub.wake();
      retried++;
    }
    log("info", "reconcile.run.finished", { retried, durationMs: Date.now() - started, code: controller.cron });
  } catch (error) {
    log("error", "reconcile.run.failed", { detail: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
