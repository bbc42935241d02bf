import type { Hono } from "hono";
import { z } from "zod";
import { createAccount, resetAccount, type Account } from "../accounts";
import type { SandboxEnv } from "../hono-env";
import { SeededRandom } from "../random";
import { readInput, readJsonBody, parseInput } from "../request";

const newAccountInput = z.object({ seed: z.boolean().optional() }).strict();
const rateLimitInput = z.object({ perSecond: z.number().nonnegative(), burst: z.number().int().positive() }).strict();
const randomSeedInput = z.object({ seed: z.number().int() }).strict();

function callSummary(account: Account) {
  const byRoute: Record<string, number> = {};
  let writes = 0;
  for (const call of account.calls) {
    const key = `${call.method} ${call.route}`;
    byRoute[key] = (byRoute[key] ?? 0) + 1;
    const succeeded = call.status !== null && call.status >= 200 && call.status < 300;
    if (succeeded && ["POST", "PUT", "DELETE"].includes(call.method)) writes += 1;
  }
  return { total: account.calls.length, writes, byRoute, calls: account.calls };
}

function stateSnapshot(account: Account) {
  const opportunities = [...account.opportunities.values()]
    .sort((a, b) => a.seq - b.seq)
    .map(({ value: opportunity }) => ({
      id: opportunity.id,
      name: opportunity.name,
      archived: opportunity.archived,
      panels: [...account.panels.values()]
        .filter((stored) => stored.opportunityId === opportunity.id)
        .sort((a, b) => a.seq - b.seq)
        .map((stored) => stored.panel),
    }));
  return { opportunities, merged: Object.fromEntries(account.mergedInto) };
}

/** Register account creation (unauthenticated) and the per-account session endpoints. */
export function registerAccountCreation(app: Hono<SandboxEnv>): void {
  app.post("/_sandbox/accounts", async (c) => {
    const body = await readJsonBody(c);
    const input = parseInput(newAccountInput, body ?? {});
    const account = createAccount(`sbx_${crypto.randomUUID().replaceAll("-", "")}`, input.seed ?? true);
    return c.json({ apiKey: account.apiKey }, 201);
  });
}

export function registerSessionRoutes(app: Hono<SandboxEnv>): void {
  app.post("/_sandbox/reset", (c) => {
    resetAccount(c.get("account"));
    return c.json({ ok: true });
  });

  app.get("/_sandbox/state", (c) => c.json(stateSnapshot(c.get("account"))));

  app.get("/_sandbox/calls", (c) => c.json(callSummary(c.get("account"))));

  app.delete("/_sandbox/calls", (c) => {
    c.get("account").calls.length = 0;
    return c.body(null, 204);
  });

  app.get("/_sandbox/rate-limit", (c) => {
    const { perSecond, burst } = c.get("account").rateLimit;
    return c.json({ perSecond, burst });
  });

  app.put("/_sandbox/rate-limit", async (c) => {
    const input = await readInput(c, rateLimitInput);
    c.get("account").rateLimit.configure(input.perSecond, input.burst);
    return c.json(input);
  });

  app.put("/_sandbox/random-seed", async (c) => {
    const input = await readInput(c, randomSeedInput);
    c.get("account").random = new SeededRandom(input.seed);
    return c.json(input);
  });
}
