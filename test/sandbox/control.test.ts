import { describe, expect, it } from "vitest";
import { call, createPanel, KWAME, MARIA, manualPanel, newAccount, panelBody, USER } from "./helpers";

describe("control accounts", () => {
  it("account created seeded", async () => {
    const reply = await call(null, "POST", "/_sandbox/accounts");
    expect(reply.status).toBe(201);
    expect(reply.body.apiKey).toMatch(/^sbx_[0-9a-f]{32}$/);
    const users = await call(reply.body.apiKey, "GET", "/v1/users?includeDeactivated=true");
    expect(users.body.data).toHaveLength(7);
  });

  it("account created empty", async () => {
    const apiKey = await newAccount(false);
    const users = await call(apiKey, "GET", "/v1/users?includeDeactivated=true");
    const opportunities = await call(apiKey, "GET", "/v1/opportunities");
    expect(users.body).toEqual({ data: [], hasNext: false });
    expect(opportunities.body).toEqual({ data: [], hasNext: false });
  });

  it("account reset restores fixtures", async () => {
    const apiKey = await newAccount();
    await createPanel(apiKey);
    await call(apiKey, "POST", "/_sandbox/faults", { route: "GET /v1/users", status: 500 });
    await call(apiKey, "PUT", "/_sandbox/webhooks", { signatureToken: "secret", events: ["interviewCreated"] });
    await createPanel(apiKey);
    const reset = await call(apiKey, "POST", "/_sandbox/reset");
    expect(reset.status).toBe(200);
    const state = await call(apiKey, "GET", "/_sandbox/state");
    expect(state.body.opportunities.map((opportunity: { panels: unknown[] }) => opportunity.panels.length)).toEqual([1, 1]);
    expect((await call(apiKey, "GET", "/_sandbox/faults")).body).toEqual({ data: [] });
    expect((await call(apiKey, "GET", "/_sandbox/webhooks/deliveries")).body).toEqual({ data: [] });
    expect((await call(apiKey, "GET", "/_sandbox/calls")).body.total).toBe(0);
    expect((await call(apiKey, "GET", "/v1/users")).status).toBe(200);
  });
});

describe("control state", () => {
  it("state lists seeded panels", async () => {
    const apiKey = await newAccount();
    const state = await call(apiKey, "GET", "/_sandbox/state");
    expect(state.status).toBe(200);
    expect(state.body.merged).toEqual({});
    expect(state.body.opportunities.map((opportunity: { id: string; name: string }) => [opportunity.id, opportunity.name])).toEqual([
      [MARIA.id, MARIA.name],
      [KWAME.id, KWAME.name],
    ]);
    const [panel] = state.body.opportunities[0].panels;
    expect(panel).toMatchObject({ externallyManaged: false, user: USER.ben, timezone: "Europe/Paris", applications: MARIA.applications });
    expect(panel.interviews).toHaveLength(1);
    expect(panel.interviews[0]).toMatchObject({ panel: panel.id, interviewers: [{ id: USER.chloe }], duration: 30 });
  });

  it("state shows merges", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "POST", `/_sandbox/opportunities/${MARIA.id}/merge`, { into: KWAME.id });
    const state = await call(apiKey, "GET", "/_sandbox/state");
    expect(state.body.merged).toEqual({ [MARIA.id]: KWAME.id });
    expect(state.body.opportunities).toHaveLength(1);
    expect(state.body.opportunities[0].panels).toHaveLength(2);
  });

  it("ui panel create defaults unmanaged", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `/_sandbox/opportunities/${KWAME.id}/panels`, { ...panelBody(), externallyManaged: undefined });
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({ externallyManaged: false, user: KWAME.owner });
    const panel = await manualPanel(apiKey, KWAME.id);
    expect(panel.id).not.toBe(reply.body.data.id);
  });

  it("control unknown path 404", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/_sandbox/nothing");
    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe("ResourceNotFound");
  });

  it("control invalid body 400", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "PUT", "/_sandbox/rate-limit", { perSecond: -1, burst: 20 });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^perSecond: /);
  });
});
