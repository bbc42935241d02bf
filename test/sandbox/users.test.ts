import { describe, expect, it } from "vitest";
import feedbackTemplates from "../../fixtures/lever/feedback_templates.json";
import users from "../../fixtures/lever/users.json";
import { call, newAccount, USER } from "./helpers";

const ids = (reply: { body: { data: Array<{ id: string }> } }) => reply.body.data.map((user) => user.id);

describe("users", () => {
  it("users email exact match", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/users?email=ada.okafor%40acme.example");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: [users.data[0]], hasNext: false });
  });

  it("users email is case sensitive", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/users?email=Ada.Okafor%40acme.example");
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual([]);
  });

  it("users deactivated hidden by default", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/users");
    expect(ids(reply)).toHaveLength(6);
    expect(ids(reply)).not.toContain(USER.gus);
  });

  it("users includeDeactivated shows all", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/users?includeDeactivated=true");
    expect(reply.body.data).toEqual(users.data);
  });

  it("users email finds deactivated with flag", async () => {
    const apiKey = await newAccount();
    const withoutFlag = await call(apiKey, "GET", "/v1/users?email=gus.lindqvist%40acme.example");
    const withFlag = await call(apiKey, "GET", "/v1/users?email=gus.lindqvist%40acme.example&includeDeactivated=true");
    expect(withoutFlag.body.data).toEqual([]);
    expect(ids(withFlag)).toEqual([USER.gus]);
    expect(withFlag.body.data[0].deactivatedAt).toBe(1764000000000);
  });

  it("users accessRole filter", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/users?accessRole=interviewer");
    expect(ids(reply)).toEqual([USER.dev, USER.emi]);
  });

  it("users invalid filters 400", async () => {
    const apiKey = await newAccount();
    const role = await call(apiKey, "GET", "/v1/users?accessRole=owner");
    const flag = await call(apiKey, "GET", "/v1/users?includeDeactivated=yes");
    expect(role.status).toBe(400);
    expect(role.body.code).toBe("BadRequestError");
    expect(flag.status).toBe(400);
  });

  it("user get by id", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", `/v1/users/${USER.gus}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: users.data[6] });
  });

  it("user get unknown 404", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/users/00000000-0000-4000-8000-000000000000");
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ code: "ResourceNotFound", message: "User not found" });
  });

  it("user added with lowercased email", async () => {
    const apiKey = await newAccount();
    const created = await call(apiKey, "POST", "/_sandbox/users", {
      name: "Hana Kobayashi",
      email: "Hana.Kobayashi@Acme.Example",
      accessRole: "team member",
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ email: "hana.kobayashi@acme.example", username: "hana.kobayashi", deactivatedAt: null });
    const found = await call(apiKey, "GET", "/v1/users?email=hana.kobayashi%40acme.example");
    expect(ids(found)).toEqual([created.body.data.id]);
  });

  it("user duplicate email 409", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", "/_sandbox/users", { name: "Ada 2", email: "ADA.okafor@acme.example", accessRole: "admin" });
    expect(reply.status).toBe(409);
  });

  it("user patch deactivates and restores", async () => {
    const apiKey = await newAccount();
    const patched = await call(apiKey, "PATCH", `/_sandbox/users/${USER.chloe}`, { deactivatedAt: 1765000000000, accessRole: "admin" });
    expect(patched.body.data).toMatchObject({ deactivatedAt: 1765000000000, accessRole: "admin" });
    expect(ids(await call(apiKey, "GET", "/v1/users"))).not.toContain(USER.chloe);
    await call(apiKey, "PATCH", `/_sandbox/users/${USER.chloe}`, { deactivatedAt: null });
    expect(ids(await call(apiKey, "GET", "/v1/users"))).toContain(USER.chloe);
  });
});

describe("feedback templates", () => {
  it("feedback templates list", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/feedback_templates");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(feedbackTemplates);
  });

  it("feedback template get", async () => {
    const apiKey = await newAccount();
    const template = feedbackTemplates.data[2]!;
    const reply = await call(apiKey, "GET", `/v1/feedback_templates/${template.id}`);
    expect(reply.body).toEqual({ data: template });
  });

  it("feedback template unknown 404", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/feedback_templates/nope");
    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe("ResourceNotFound");
  });

  it("feedback template added via control", async () => {
    const apiKey = await newAccount();
    const created = await call(apiKey, "POST", "/_sandbox/feedback_templates", { text: "Bar raiser" });
    expect(created.status).toBe(201);
    const reply = await call(apiKey, "GET", `/v1/feedback_templates/${created.body.data.id}`);
    expect(reply.body.data).toMatchObject({ text: "Bar raiser", group: null, instructions: "", stage: null, fields: [] });
  });
});
