import type { Hono } from "hono";
import { ApiError } from "../errors";
import type { SandboxEnv } from "../hono-env";
import { paginate } from "../pagination";
import { requireOpportunity } from "../panel-store";
import { ACCESS_ROLES, type AccessRole } from "../types";

function parseBooleanParam(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === "false") return false;
  if (raw === "true") return true;
  throw new ApiError(400, `Invalid ${name}: ${JSON.stringify(raw)}. Use true or false.`);
}

function parseAccessRole(raw: string | undefined): AccessRole | undefined {
  if (raw === undefined) return undefined;
  const role = ACCESS_ROLES.find((candidate) => candidate === raw);
  if (!role) throw new ApiError(400, `Invalid accessRole: ${JSON.stringify(raw)}. Use one of: ${ACCESS_ROLES.join(", ")}.`);
  return role;
}

/** Register users, feedback templates and opportunities (read-only in Lever's API as the sandbox imitates it). */
export function registerDirectoryRoutes(app: Hono<SandboxEnv>): void {
  app.get("/v1/users", (c) => {
    const account = c.get("account");
    const query = c.req.query();
    const includeDeactivated = parseBooleanParam("includeDeactivated", query.includeDeactivated);
    const accessRole = parseAccessRole(query.accessRole);
    // Lever stores emails lowercased and matches the parameter exactly, so "Ada@x" does not find "ada@x".
    const email = query.email;
    const users = [...account.users.values()].filter(({ value: user }) => {
      if (!includeDeactivated && user.deactivatedAt !== null) return false;
      if (email !== undefined && user.email !== email) return false;
      return accessRole === undefined || user.accessRole === accessRole;
    });
    return c.json(paginate(users, query));
  });

  app.get("/v1/users/:user", (c) => {
    const user = c.get("account").users.get(c.req.param("user"));
    if (!user) throw new ApiError(404, "User not found");
    return c.json({ data: user.value });
  });

  app.get("/v1/feedback_templates", (c) => {
    return c.json(paginate(c.get("account").feedbackTemplates.values(), c.req.query()));
  });

  app.get("/v1/feedback_templates/:template", (c) => {
    const template = c.get("account").feedbackTemplates.get(c.req.param("template"));
    if (!template) throw new ApiError(404, "Feedback template not found");
    return c.json({ data: template.value });
  });

  app.get("/v1/opportunities", (c) => {
    return c.json(paginate(c.get("account").opportunities.values(), c.req.query()));
  });

  app.get("/v1/opportunities/:opportunity", (c) => {
    return c.json({ data: requireOpportunity(c.get("account"), c.req.param("opportunity")) });
  });
}
