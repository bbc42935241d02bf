import { describe, expect, it } from "vitest";
import { call, createPanel, MARIA, newAccount, panelBody, panelsPath, USER } from "./helpers";

describe("call log", () => {
  it("calls count by route template", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "GET", "/v1/users");
    await call(apiKey, "GET", "/v1/users?limit=1");
    await call(apiKey, "GET", `/v1/users/${USER.ada}`);
    const panel = await createPanel(apiKey);
    await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.ben}`, panelBody({ timezone: "Nowhere/Land" }));
    await call(apiKey, "GET", panelsPath("unknown-opportunity"));
    await call(apiKey, "DELETE", `${panelsPath()}/${panel.id}?perform_as=${USER.ben}`);
    await call(apiKey, "GET", "/v1/nothing-here");
    await call(apiKey, "GET", "/_sandbox/state");

    const reply = await call(apiKey, "GET", "/_sandbox/calls");
    expect(reply.status).toBe(200);
    expect(reply.body.total).toBe(8);
    expect(reply.body.writes).toBe(2);
    expect(reply.body.byRoute).toEqual({
      "GET /v1/users": 2,
      "GET /v1/users/:user": 1,
      "POST /v1/opportunities/:opportunity/panels": 2,
      "GET /v1/opportunities/:opportunity/panels": 1,
      "DELETE /v1/opportunities/:opportunity/panels/:panel": 1,
      "GET /v1/*": 1,
    });
  });

  it("calls record path and status", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "GET", `/v1/opportunities/${MARIA.id}/panels?limit=1`);
    await call(apiKey, "GET", "/v1/opportunities/unknown");
    const reply = await call(apiKey, "GET", "/_sandbox/calls");
    expect(reply.body.calls).toEqual([
      { method: "GET", route: "/v1/opportunities/:opportunity/panels", path: `/v1/opportunities/${MARIA.id}/panels?limit=1`, status: 200, at: expect.any(Number) },
      { method: "GET", route: "/v1/opportunities/:opportunity", path: "/v1/opportunities/unknown", status: 404, at: expect.any(Number) },
    ]);
  });

  it("calls clear", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "GET", "/v1/users");
    const cleared = await call(apiKey, "DELETE", "/_sandbox/calls");
    expect(cleared.status).toBe(204);
    const reply = await call(apiKey, "GET", "/_sandbox/calls");
    expect(reply.body).toEqual({ total: 0, writes: 0, byRoute: {}, calls: [] });
  });

  it("calls unauthenticated not logged", async () => {
    const apiKey = await newAccount();
    await call("wrong-key", "GET", "/v1/users");
    const reply = await call(apiKey, "GET", "/_sandbox/calls");
    expect(reply.body.total).toBe(0);
  });
});
