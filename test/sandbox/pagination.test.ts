import { describe, expect, it } from "vitest";
import users from "../../fixtures/lever/users.json";
import { call, newAccount } from "./helpers";

const activeUserIds = users.data.filter((user) => user.deactivatedAt === null).map((user) => user.id);

describe("pagination", () => {
  it("pagination walks users limit 2", async () => {
    const apiKey = await newAccount();
    const pages: Array<{ data: Array<{ id: string }>; hasNext: boolean; next?: string }> = [];
    let path = "/v1/users?limit=2";
    for (;;) {
      const reply = await call(apiKey, "GET", path);
      expect(reply.status).toBe(200);
      pages.push(reply.body);
      if (!reply.body.hasNext) break;
      path = `/v1/users?limit=2&offset=${encodeURIComponent(reply.body.next)}`;
    }
    expect(pages.map((page) => page.data.length)).toEqual([2, 2, 2]);
    expect(pages.map((page) => page.hasNext)).toEqual([true, true, false]);
    expect(pages.map((page) => typeof page.next)).toEqual(["string", "string", "undefined"]);
    expect(pages.flatMap((page) => page.data.map((user) => user.id))).toEqual(activeUserIds);
  });

  it("pagination last page has no next", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", "/v1/feedback_templates?limit=100");
    expect(reply.status).toBe(200);
    expect(reply.body.hasNext).toBe(false);
    expect("next" in reply.body).toBe(false);
  });

  it("pagination default limit 100", async () => {
    const apiKey = await newAccount(false);
    for (let index = 0; index < 101; index += 1) {
      const created = await call(apiKey, "POST", "/_sandbox/users", {
        name: `User ${index}`,
        email: `user${index}@acme.example`,
        accessRole: "team member",
      });
      expect(created.status).toBe(201);
    }
    const first = await call(apiKey, "GET", "/v1/users");
    expect(first.body.data).toHaveLength(100);
    expect(first.body.hasNext).toBe(true);
    const second = await call(apiKey, "GET", `/v1/users?offset=${encodeURIComponent(first.body.next)}`);
    expect(second.body.data.map((user: { name: string }) => user.name)).toEqual(["User 100"]);
    expect(second.body.hasNext).toBe(false);
  });

  it("pagination rejects bad limit", async () => {
    const apiKey = await newAccount();
    for (const limit of ["0", "101", "abc", "2.5", "-1", ""]) {
      const reply = await call(apiKey, "GET", `/v1/users?limit=${limit}`);
      expect(reply.status, `limit=${limit}`).toBe(400);
      expect(reply.body.code, `limit=${limit}`).toBe("BadRequestError");
    }
  });

  it("pagination rejects bad offset", async () => {
    const apiKey = await newAccount();
    for (const offset of ["garbage", "lvr1.!!!", "lvr1.eyJ4IjoxfQ"]) {
      const reply = await call(apiKey, "GET", `/v1/opportunities?offset=${encodeURIComponent(offset)}`);
      expect(reply.status, `offset=${offset}`).toBe(400);
      expect(reply.body.code, `offset=${offset}`).toBe("BadRequestError");
    }
  });

  it("pagination token survives deletions", async () => {
    const apiKey = await newAccount();
    const first = await call(apiKey, "GET", "/v1/users?limit=2");
    // Deactivating a user already returned must not shift the next page.
    await call(apiKey, "PATCH", `/_sandbox/users/${first.body.data[0].id}`, { deactivatedAt: 1_765_000_000_000 });
    const second = await call(apiKey, "GET", `/v1/users?limit=2&offset=${encodeURIComponent(first.body.next)}`);
    expect(second.body.data.map((user: { id: string }) => user.id)).toEqual(activeUserIds.slice(2, 4));
  });
});
