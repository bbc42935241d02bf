import type { Hono } from "hono";
import { ApiError } from "../errors";
import { createFaultRule, faultRuleInput } from "../faults";
import type { SandboxEnv } from "../hono-env";
import { readInput } from "../request";

/** Register fault injection. `leverRoutes` lists the "<METHOD> <template>" keys a rule may target. */
export function registerFaultRoutes(app: Hono<SandboxEnv>, leverRoutes: () => ReadonlySet<string>): void {
  app.post("/_sandbox/faults", async (c) => {
    const input = await readInput(c, faultRuleInput);
    if (input.route !== undefined && !leverRoutes().has(input.route)) {
      throw new ApiError(400, `route: ${JSON.stringify(input.route)} is not a Lever route of the sandbox. Known routes: ${[...leverRoutes()].join("; ")}`);
    }
    const stored = createFaultRule(input);
    c.get("account").faults.push(stored);
    return c.json({ id: stored.rule.id }, 201);
  });

  app.get("/_sandbox/faults", (c) => c.json({ data: c.get("account").faults.map((stored) => stored.rule) }));

  app.delete("/_sandbox/faults", (c) => {
    c.get("account").faults.length = 0;
    return c.body(null, 204);
  });

  app.delete("/_sandbox/faults/:id", (c) => {
    const faults = c.get("account").faults;
    const index = faults.findIndex((stored) => stored.rule.id === c.req.param("id"));
    if (index === -1) throw new ApiError(404, "Fault rule not found");
    faults.splice(index, 1);
    return c.body(null, 204);
  });
}
