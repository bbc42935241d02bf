import { describe, expect, it } from "vitest";
import error401 from "../../fixtures/lever/error-401.json";
import error404 from "../../fixtures/lever/error-404.json";
import { call, manualPanel, newAccount, panelsPath, SANDBOX, USER } from "./helpers";

describe("auth", () => {
  it("auth missing header 401", async () => {
    const reply = await call(null, "GET", "/v1/users");
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(error401);
  });

  it("auth unknown key 401", async () => {
    const reply = await call("no-such-key", "GET", "/v1/users");
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(error401);
  });

  it("auth bearer scheme 401", async () => {
    const apiKey = await newAccount();
    const reply = await call(null, "GET", "/v1/users", undefined, { headers: { Authorization: `Bearer ${apiKey}` } });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(error401);
  });

  it("auth control api 401", async () => {
    const reply = await call(null, "GET", "/_sandbox/state");
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(error401);
  });
});

describe("errors", () => {
  it("error malformed json 400", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.ben}`, "{ not json");
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe("BadRequestError");
    expect(reply.body.message).toMatch(/^Invalid JSON body/);
  });

  it("error unknown opportunity 404", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/opportunities/00000000-0000-4000-8000-000000000000");
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual(error404);
  });

  it("error unknown path 404", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/candidates");
    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe("ResourceNotFound");
  });

  it("error wrong method 405", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "PATCH", "/v1/users");
    expect(reply.status).toBe(405);
    expect(reply.body.code).toBe("MethodNotAllowed");
    expect(reply.headers.get("allow")).toBe("GET");
  });

  it("error body shape code message", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/users/unknown-user");
    expect(reply.status).toBe(404);
    expect(Object.keys(reply.body).sort()).toEqual(["code", "message"]);
  });
});

describe("pages", () => {
  it("healthz ok", async () => {
    const response = await fetch(`${SANDBOX}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("interview page shows details", async () => {
    const apiKey = await newAccount();
    const panel = await manualPanel(apiKey);
    const interview = panel.interviews[0];
    const response = await fetch(`${SANDBOX}/interviews/${interview.id}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(html).toContain("Phone screen – María José Núñez-García");
    expect(html).toContain("Chloé Dubois");
    expect(html).toContain("Europe/Paris");
  });

  it("interview page unknown 404", async () => {
    const response = await fetch(`${SANDBOX}/interviews/00000000-0000-4000-8000-000000000000`);
    await response.text();
    expect(response.status).toBe(404);
  });
});
