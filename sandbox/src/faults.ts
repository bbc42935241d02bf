import { z } from "zod";
import { SeededRandom } from "./random";

/** Maximum time a `hang` fault delays a request before it responds 503. */
export const HANG_CAP_MS = 120_000;
export const MAX_LATENCY_MS = 60_000;

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export const faultRuleInput = z
  .object({
    route: z.string().regex(/^[A-Z]+ \/v1\/\S*$/, 'expected "<METHOD> <route template>", e.g. "POST /v1/opportunities/:opportunity/panels"').optional(),
    method: z.enum(HTTP_METHODS).optional(),
    probability: z.number().min(0).max(1).optional(),
    count: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().int().nonnegative().optional(),
    latencyMs: z.number().int().nonnegative().max(MAX_LATENCY_MS).optional(),
    hang: z.literal(true).optional(),
    applyThenFail: z
      .union([
        z.object({ drop: z.literal(true) }).strict(),
        z.object({ status: z.number().int().min(400).max(599).optional() }).strict(),
      ])
      .optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const outcomes = [rule.status !== undefined, rule.hang === true, rule.applyThenFail !== undefined].filter(Boolean).length;
    if (outcomes > 1) ctx.addIssue({ code: "custom", message: "set at most one of status, hang and applyThenFail" });
    if (outcomes === 0 && rule.latencyMs === undefined) {
      ctx.addIssue({ code: "custom", message: "set one of status, hang, applyThenFail or latencyMs" });
    }
    if (rule.retryAfterSeconds !== undefined && rule.status === undefined) {
      ctx.addIssue({ code: "custom", path: ["retryAfterSeconds"], message: "retryAfterSeconds needs status" });
    }
    if (rule.route !== undefined && rule.method !== undefined) {
      ctx.addIssue({ code: "custom", message: "set route or method, not both" });
    }
  });

export type FaultRuleInput = z.infer<typeof faultRuleInput>;

export type FaultKind = "status" | "latency" | "hang" | "applyThenFail" | "drop";

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** Matching calls still to be faulted, or null for no limit. */
  remaining: number | null;
  /** How many calls this rule has faulted so far. */
  hits: number;
}

export interface StoredFaultRule {
  rule: FaultRule;
  /** Own generator when the rule has a `seed`, else the account's generator is used. */
  random: SeededRandom | null;
}

export function createFaultRule(input: FaultRuleInput): StoredFaultRule {
  const rule: FaultRule = { id: crypto.randomUUID(), ...input, remaining: input.count ?? null, hits: 0 };
  return { rule, random: input.seed === undefined ? null : new SeededRandom(input.seed) };
}

export function faultKind(rule: FaultRule): FaultKind {
  if (rule.hang) return "hang";
  if (rule.applyThenFail) return "drop" in rule.applyThenFail ? "drop" : "applyThenFail";
  if (rule.status !== undefined) return "status";
  return "latency";
}

function matches(rule: FaultRule, method: string, routeTemplate: string): boolean {
  if (rule.route !== undefined) return rule.route === `${method} ${routeTemplate}`;
  if (rule.method !== undefined) return rule.method === method;
  return true;
}

/**
 * Return the first rule that faults this call, and count the hit.
 * Each matching rule with a probability below 1 draws one number, so a fixed seed gives a fixed sequence.
 */
export function pickFault(
  rules: StoredFaultRule[],
  accountRandom: SeededRandom,
  method: string,
  routeTemplate: string,
): FaultRule | null {
  for (const { rule, random } of rules) {
    if (rule.remaining === 0 || !matches(rule, method, routeTemplate)) continue;
    const probability = rule.probability ?? 1;
    if (probability < 1 && (random ?? accountRandom).next() >= probability) continue;
    rule.hits += 1;
    if (rule.remaining !== null) rule.remaining -= 1;
    return rule;
  }
  return null;
}
