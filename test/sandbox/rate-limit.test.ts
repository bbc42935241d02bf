import { describe, expect, it } from "vitest";
import error429 from "../../fixtures/lever/error-429.json";
import { call, newAccount, panelBody, panelsPath, USER } from "./helpers";

describe("rate limit", () => {
  it("rate limit defaults", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/_sandbox/rate-limit");
    expect(reply.body).toEqual({ perSecond: 10, burst: 20 });
  });

  it("rate limit burst 20 then 429", async () => {
    const apiKey = await newAccount();
    // No refill, so the count does not depend on how fast the requests run.
    await call(apiKey, "PUT", "/_sandbox/rate-limit", { perSecond: 0, burst: 20 });
    const burst = await Promise.all(Array.from({ length: 20 }, () => call(apiKey, "GET", "/v1/users")));
    expect(burst.map((reply) => reply.status)).toEqual(Array(20).fill(200));
    const limited = await call(apiKey, "GET", "/v1/users");
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(error429);
    expect(limited.headers.get("retry-after")).toBeNull();
  });

  it("rate limit default burst observed", async () => {
    const apiKey = await newAccount();
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: 40 }, () => call(apiKey, "GET", "/v1/users?limit=1")));
    const elapsedMs = Date.now() - started;
    const served = replies.filter((reply) => reply.status === 200).length;
    const limited = replies.filter((reply) => reply.status === 429);
    // 20 from the burst plus at most 10 per second of refill while the requests ran.
    expect(served).toBeGreaterThanOrEqual(20);
    expect(served).toBeLessThanOrEqual(20 + Math.ceil(elapsedMs / 100));
    expect(limited.length).toBe(40 - served);
    expect(limited.every((reply) => reply.headers.get("retry-after") === null)).toBe(true);
  });

  it("rate limit refills over time", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "PUT", "/_sandbox/rate-limit", { perSecond: 10, burst: 1 });
    expect((await call(apiKey, "GET", "/v1/users")).status).toBe(200);
    expect((await call(apiKey, "GET", "/v1/users")).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await call(apiKey, "GET", "/v1/users")).status).toBe(200);
  });

  it("rate limited write not applied", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "PUT", "/_sandbox/rate-limit", { perSecond: 0, burst: 1 });
    await call(apiKey, "GET", "/v1/users");
    const write = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.ben}`, panelBody());
    expect(write.status).toBe(429);
    const state = await call(apiKey, "GET", "/_sandbox/state");
    expect(state.body.opportunities[0].panels).toHaveLength(1);
    const calls = await call(apiKey, "GET", "/_sandbox/calls");
    expect(calls.body).toMatchObject({ total: 2, writes: 0 });
    expect(calls.body.calls.map((entry: { status: number }) => entry.status)).toEqual([200, 429]);
  });

  it("rate limit per api key", async () => {
    const first = await newAccount();
    const second = await newAccount();
    await call(first, "PUT", "/_sandbox/rate-limit", { perSecond: 0, burst: 1 });
    await call(first, "GET", "/v1/users");
    expect((await call(first, "GET", "/v1/users")).status).toBe(429);
    expect((await call(second, "GET", "/v1/users")).status).toBe(200);
  });

  it("rate limit control api exempt", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "PUT", "/_sandbox/rate-limit", { perSecond: 0, burst: 1 });
    await call(apiKey, "GET", "/v1/users");
    expect((await call(apiKey, "GET", "/_sandbox/state")).status).toBe(200);
    expect((await call(apiKey, "GET", "/_sandbox/calls")).status).toBe(200);
  });
});
