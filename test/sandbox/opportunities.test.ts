import { describe, expect, it } from "vitest";
import error404 from "../../fixtures/lever/error-404.json";
import opportunities from "../../fixtures/lever/opportunities.json";
import { call, createPanel, KWAME, MARIA, newAccount, panelBody, panelsPath, SANDBOX, USER } from "./helpers";

describe("opportunities", () => {
  it("opportunities list", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/opportunities");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(opportunities);
  });

  it("opportunity get", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", `/v1/opportunities/${KWAME.id}`);
    expect(reply.body).toEqual({ data: KWAME });
  });

  it("opportunity unknown 404", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/opportunities/unknown/panels");
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual(error404);
  });

  it("opportunity archived shape", async () => {
    const apiKey = await newAccount();
    const path = `/_sandbox/opportunities/${MARIA.id}`;
    await call(apiKey, "PATCH", path, { archived: { archivedAt: 1765000000000, reason: "63dd55b2-a99f-4e7b-985f-22c7bf80ab42" } });
    const archived = await call(apiKey, "GET", `/v1/opportunities/${MARIA.id}`);
    expect(archived.body.data.archived).toEqual({ archivedAt: 1765000000000, reason: "63dd55b2-a99f-4e7b-985f-22c7bf80ab42" });
    await call(apiKey, "PATCH", path, { archived: null });
    const restored = await call(apiKey, "GET", `/v1/opportunities/${MARIA.id}`);
    expect(restored.body.data.archived).toBeNull();
  });

  it("opportunity archived still accepts panels", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "PATCH", `/_sandbox/opportunities/${MARIA.id}`, { archived: { reason: "withdrew" } });
    const panel = await createPanel(apiKey);
    expect(panel.externallyManaged).toBe(true);
  });

  it("opportunity added via control", async () => {
    const apiKey = await newAccount();
    const created = await call(apiKey, "POST", "/_sandbox/opportunities", { name: "Zoë Ångström", owner: USER.ben });
    expect(created.status).toBe(201);
    const reply = await call(apiKey, "GET", `/v1/opportunities/${created.body.data.id}`);
    expect(reply.body.data).toMatchObject({ name: "Zoë Ångström", owner: USER.ben, archived: null });
    expect(reply.body.data.applications).toHaveLength(1);
  });
});

describe("merged opportunities", () => {
  it("merged opportunity get 301", async () => {
    const apiKey = await newAccount();
    const merged = await call(apiKey, "POST", `/_sandbox/opportunities/${MARIA.id}/merge`, { into: KWAME.id });
    expect(merged.status).toBe(200);
    const reply = await call(apiKey, "GET", `/v1/opportunities/${MARIA.id}`, undefined, { redirect: "manual" });
    expect(reply.status).toBe(301);
    expect(reply.headers.get("location")).toBe(`${SANDBOX}/v1/opportunities/${KWAME.id}`);
  });

  it("merged opportunity subpath 301", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "POST", `/_sandbox/opportunities/${MARIA.id}/merge`, { into: KWAME.id });
    const list = await call(apiKey, "GET", `${panelsPath(MARIA.id)}?limit=5`, undefined, { redirect: "manual" });
    expect(list.status).toBe(301);
    expect(list.headers.get("location")).toBe(`${SANDBOX}${panelsPath(KWAME.id)}?limit=5`);
    const write = await call(apiKey, "POST", `${panelsPath(MARIA.id)}?perform_as=${USER.ben}`, panelBody(), { redirect: "manual" });
    expect(write.status).toBe(301);
    expect(write.headers.get("location")).toBe(`${SANDBOX}${panelsPath(KWAME.id)}?perform_as=${USER.ben}`);
  });

  it("merged opportunity moves panels", async () => {
    const apiKey = await newAccount();
    const panel = await createPanel(apiKey);
    await call(apiKey, "POST", `/_sandbox/opportunities/${MARIA.id}/merge`, { into: KWAME.id });
    const survivor = await call(apiKey, "GET", panelsPath(KWAME.id));
    expect(survivor.body.data).toHaveLength(3);
    expect(survivor.body.data.map((candidate: { id: string }) => candidate.id)).toContain(panel.id);
    const opportunityList = await call(apiKey, "GET", "/v1/opportunities");
    expect(opportunityList.body.data.map((opportunity: { id: string }) => opportunity.id)).toEqual([KWAME.id]);
    const kwame = await call(apiKey, "GET", `/v1/opportunities/${KWAME.id}`);
    expect(kwame.body.data.applications).toEqual([...KWAME.applications, ...MARIA.applications]);
  });

  it("merged opportunity redirect logged", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "POST", `/_sandbox/opportunities/${MARIA.id}/merge`, { into: KWAME.id });
    await call(apiKey, "GET", panelsPath(MARIA.id), undefined, { redirect: "manual" });
    const calls = await call(apiKey, "GET", "/_sandbox/calls");
    expect(calls.body.calls).toMatchObject([{ method: "GET", route: "/v1/opportunities/:opportunity/panels", status: 301 }]);
  });

  it("merge into itself 400", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `/_sandbox/opportunities/${MARIA.id}/merge`, { into: MARIA.id });
    expect(reply.status).toBe(400);
  });
});
