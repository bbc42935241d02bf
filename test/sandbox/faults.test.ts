import { describe, expect, it } from "vitest";
import { basicAuth, call, liftRateLimit, newAccount, panelBody, panelsPath, SANDBOX, USER } from "./helpers";

async function addFault(apiKey: string, rule: Record<string, unknown>): Promise<string> {
  const reply = await call(apiKey, "POST", "/_sandbox/faults", rule);
  if (reply.status !== 201) throw new Error(`fault rejected: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id;
}

async function statuses(apiKey: string, count: number): Promise<number[]> {
  const result: number[] = [];
  for (let index = 0; index < count; index += 1) result.push((await call(apiKey, "GET", "/v1/users?limit=1")).status);
  return result;
}

describe("fault rules", () => {
  it("fault status on route", async () => {
    const apiKey = await newAccount();
    const id = await addFault(apiKey, { route: "GET /v1/users", status: 503, count: 1 });
    const faulted = await call(apiKey, "GET", "/v1/users");
    expect(faulted.status).toBe(503);
    expect(faulted.body).toEqual({ code: "ServiceUnavailable", message: "Service unavailable" });
    expect(faulted.headers.get("retry-after")).toBeNull();
    expect((await call(apiKey, "GET", "/v1/users")).status).toBe(200);
    expect((await call(apiKey, "GET", `/v1/users/${USER.ada}`)).status).toBe(200);

    const calls = await call(apiKey, "GET", "/_sandbox/calls");
    expect(calls.body.calls[0]).toMatchObject({ route: "/v1/users", status: 503, fault: { id, kind: "status" } });
    expect(calls.body.calls[1].fault).toBeUndefined();
    const rules = await call(apiKey, "GET", "/_sandbox/faults");
    expect(rules.body.data).toEqual([{ id, route: "GET /v1/users", status: 503, count: 1, remaining: 0, hits: 1 }]);
  });

  it("fault retry after header", async () => {
    const apiKey = await newAccount();
    await addFault(apiKey, { route: "GET /v1/users", status: 429, retryAfterSeconds: 2 });
    const reply = await call(apiKey, "GET", "/v1/users");
    expect(reply.status).toBe(429);
    expect(reply.body.code).toBe("TooManyRequests");
    expect(reply.headers.get("retry-after")).toBe("2");
  });

  it("fault count limits hits", async () => {
    const apiKey = await newAccount();
    await addFault(apiKey, { status: 500, count: 2 });
    expect(await statuses(apiKey, 4)).toEqual([500, 500, 200, 200]);
  });

  it("fault method scope", async () => {
    const apiKey = await newAccount();
    await addFault(apiKey, { method: "POST", status: 500 });
    expect((await call(apiKey, "GET", "/v1/users")).status).toBe(200);
    const write = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.ben}`, panelBody());
    expect(write.status).toBe(500);
    expect(write.body.code).toBe("InternalServerError");
  });

  it("fault global applies everywhere", async () => {
    const apiKey = await newAccount();
    await addFault(apiKey, { status: 502 });
    expect((await call(apiKey, "GET", "/v1/opportunities")).status).toBe(502);
    expect((await call(apiKey, "GET", "/v1/feedback_templates")).status).toBe(502);
    expect((await call(apiKey, "GET", "/_sandbox/state")).status).toBe(200);
  });

  it("fault probability reproducible with rule seed", async () => {
    const apiKey = await newAccount();
    await liftRateLimit(apiKey);
    const id = await addFault(apiKey, { status: 500, probability: 0.5, seed: 42 });
    const first = await statuses(apiKey, 20);
    await call(apiKey, "DELETE", `/_sandbox/faults/${id}`);
    await addFault(apiKey, { status: 500, probability: 0.5, seed: 42 });
    const second = await statuses(apiKey, 20);
    expect(second).toEqual(first);
    const failures = first.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(20);
  });

  it("fault probability uses account seed", async () => {
    const apiKey = await newAccount();
    await liftRateLimit(apiKey);
    const run = async () => {
      await call(apiKey, "PUT", "/_sandbox/random-seed", { seed: 7 });
      await call(apiKey, "DELETE", "/_sandbox/faults");
      await addFault(apiKey, { status: 503, probability: 0.3 });
      return statuses(apiKey, 20);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  it("fault latency delays answer", async () => {
    const apiKey = await newAccount();
    await addFault(apiKey, { route: "GET /v1/users", latencyMs: 300 });
    const started = Date.now();
    const reply = await call(apiKey, "GET", "/v1/users");
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("fault hang until client abort", async () => {
    const apiKey = await newAccount();
    const id = await addFault(apiKey, { route: "GET /v1/users", hang: true, count: 1 });
    const request = fetch(`${SANDBOX}/v1/users`, { headers: { Authorization: basicAuth(apiKey) }, signal: AbortSignal.timeout(200) });
    await expect(request).rejects.toMatchObject({ name: "TimeoutError" });
    const calls = await call(apiKey, "GET", "/_sandbox/calls");
    expect(calls.body.calls).toEqual([
      { method: "GET", route: "/v1/users", path: "/v1/users", status: null, at: expect.any(Number), fault: { id, kind: "hang" } },
    ]);
    expect((await call(apiKey, "GET", "/v1/users")).status).toBe(200);
  });

  it("fault apply then fail status", async () => {
    const apiKey = await newAccount();
    const id = await addFault(apiKey, { route: "POST /v1/opportunities/:opportunity/panels", applyThenFail: { status: 502 }, count: 1 });
    const reply = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.ben}`, panelBody());
    expect(reply.status).toBe(502);
    expect(reply.body).toEqual({ code: "BadGateway", message: "Bad gateway" });
    const panels = await call(apiKey, "GET", panelsPath());
    expect(panels.body.data.filter((panel: { externallyManaged: boolean }) => panel.externallyManaged)).toHaveLength(1);
    const calls = await call(apiKey, "GET", "/_sandbox/calls");
    expect(calls.body.calls[0]).toMatchObject({ status: 502, fault: { id, kind: "applyThenFail", appliedStatus: 201 } });
    expect(calls.body.writes).toBe(0);
  });

  it("fault apply then drop", async () => {
    const apiKey = await newAccount();
    const id = await addFault(apiKey, { route: "POST /v1/opportunities/:opportunity/panels", applyThenFail: { drop: true } });
    const request = fetch(`${SANDBOX}${panelsPath()}?perform_as=${USER.ben}`, {
      method: "POST",
      headers: { Authorization: basicAuth(apiKey), "Content-Type": "application/json" },
      body: JSON.stringify(panelBody()),
    });
    await expect(request).rejects.toThrow();
    const panels = await call(apiKey, "GET", panelsPath());
    expect(panels.body.data.filter((panel: { externallyManaged: boolean }) => panel.externallyManaged)).toHaveLength(1);
    const calls = await call(apiKey, "GET", "/_sandbox/calls");
    expect(calls.body.calls[0]).toMatchObject({ status: null, fault: { id, kind: "drop", appliedStatus: 201 } });
  });
});

describe("fault control", () => {
  it("fault unknown route 400", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", "/_sandbox/faults", { route: "GET /v1/panels", status: 500 });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain("GET /v1/panels");
  });

  it("fault invalid rules 400", async () => {
    const apiKey = await newAccount();
    const invalid = [
      {},
      { status: 200 },
      { status: 500, hang: true },
      { retryAfterSeconds: 1 },
      { status: 500, probability: 1.5 },
      { route: "GET /v1/users", method: "GET", status: 500 },
      { applyThenFail: { drop: false } },
      { status: 500, colour: "red" },
    ];
    for (const rule of invalid) {
      const reply = await call(apiKey, "POST", "/_sandbox/faults", rule);
      expect(reply.status, JSON.stringify(rule)).toBe(400);
    }
  });

  it("fault delete one and all", async () => {
    const apiKey = await newAccount();
    const first = await addFault(apiKey, { route: "GET /v1/users", status: 500 });
    await addFault(apiKey, { route: "GET /v1/opportunities", status: 500 });
    expect((await call(apiKey, "DELETE", `/_sandbox/faults/${first}`)).status).toBe(204);
    expect((await call(apiKey, "DELETE", `/_sandbox/faults/${first}`)).status).toBe(404);
    expect((await call(apiKey, "GET", "/v1/users")).status).toBe(200);
    expect((await call(apiKey, "GET", "/v1/opportunities")).status).toBe(500);
    expect((await call(apiKey, "DELETE", "/_sandbox/faults")).status).toBe(204);
    expect((await call(apiKey, "GET", "/v1/opportunities")).status).toBe(200);
    expect((await call(apiKey, "GET", "/_sandbox/faults")).body).toEqual({ data: [] });
  });
});
