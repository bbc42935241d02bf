// Lever sandbox: a Worker that imitates the part of Lever's REST API v1 used by the sync service,
// plus a control API under /_sandbox for tests and demos. See sandbox/README.md.
import { Hono } from "hono";
import { registerAccountCreation, registerSessionRoutes } from "./control/session-routes";
import { registerDataRoutes } from "./control/data-routes";
import { registerFaultRoutes } from "./control/fault-routes";
import { registerWebhookRoutes } from "./control/webhook-routes";
import { ApiError, DroppedConnection, errorResponse, renderApiError } from "./errors";
import type { SandboxEnv } from "./hono-env";
import { registerDirectoryRoutes } from "./lever/directory-routes";
import { leverApiMiddleware, unmatchedLeverRoute } from "./lever/middleware";
import { registerPanelRoutes } from "./lever/panel-routes";
import { registerPages } from "./pages";
import { authenticate, drainRequestBody } from "./request";

const app = new Hono<SandboxEnv>();

app.use("/v1/*", leverApiMiddleware);
registerDirectoryRoutes(app);
registerPanelRoutes(app);
// Registered after every Lever route, so that it can list them all, and it runs only when no Lever route matched.
app.all("/v1/*", unmatchedLeverRoute(app.routes));

const leverRouteKeys = new Set(
  app.routes.filter((route) => route.method !== "ALL" && route.path.startsWith("/v1/")).map((route) => `${route.method} ${route.path}`),
);

registerAccountCreation(app);
app.use("/_sandbox/*", async (c, next) => {
  await drainRequestBody(c);
  const account = authenticate(c);
  if (!account) return errorResponse(401, "Invalid API key");
  c.set("account", account);
  await next();
});
registerSessionRoutes(app);
registerDataRoutes(app);
registerFaultRoutes(app, () => leverRouteKeys);
registerWebhookRoutes(app);

registerPages(app);

app.notFound(() => errorResponse(404, "Not found"));

app.onError((error, c) => {
  if (error instanceof DroppedConnection) throw error;
  if (error instanceof ApiError) return renderApiError(c, error);
  console.error(`${c.req.method} ${new URL(c.req.url).pathname} failed:`, error);
  return errorResponse(500, "Internal server error");
});

export default app;
