// Admin API input handling: content type, size, unknown fields, origins and
// query parameters get clear 4xx responses, never a 500.

import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, adminRequest, createTenant, serviceFetch } from "../support/service";

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("admin api input", () => {
  it("rejects a body that is not JSON", async () => {
    const response = await serviceFetch("/admin/v1/tenants", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "text/plain" },
      body: "slug=x",
    });
    expect(response.status).toBe(415);
    expect(await errorCode(response)).toBe("unsupported_media_type");
  });

  it("rejects a body over 64 KiB", async () => {
    const response = await adminRequest("POST", "/tenants", { slug: "big", name: "x".repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe("payload_too_large");
  });

  it("rejects unknown fields", async () => {
    const tenant = await createTenant("admin-input");
    const response = await adminRequest("PATCH", `/tenants/${tenant.slug}`, { slug: "renamed" });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("invalid_request");
  });

  it("rejects an origin with a path or credentials", async () => {
    const tenant = await createTenant("admin-origin");
    for (const goodtimeOrigin of ["https://user:pw@app.goodtime.example", "https://app.goodtime.example/path"]) {
      const response = await adminRequest("PATCH", `/tenants/${tenant.slug}`, { goodtimeOrigin });
      expect(response.status, goodtimeOrigin).toBe(400);
      await response.body?.cancel();
    }
  });

  it("rejects a fractional audit limit", async () => {
    const tenant = await createTenant("admin-audit-limit");
    for (const limit of ["1.5", "0", "501", "abc"]) {
      const response = await adminRequest("GET", `/tenants/${tenant.slug}/audit?limit=${limit}`);
      expect(response.status, limit).toBe(400);
      expect(await errorCode(response)).toBe("invalid_request");
    }
    const ok = await adminRequest("GET", `/tenants/${tenant.slug}/audit?limit=2`);
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
  });
});
