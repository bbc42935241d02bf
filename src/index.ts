// Worker entry point: wires the HTTP app, the cron handler and the Durable Object classes.

import { createApp } from "./app";
import type { Bindings } from "./config";
import { runScheduled } from "./reconcile/scheduled";

export { ScheduledPanel } from "./panel/object";
export { TenantGate } from "./gate/object";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    await runScheduled(controller, env, ctx);
  },
} satisfies ExportedHandler<Bindings>;
