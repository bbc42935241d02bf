// The settings pages under /settings: login, session cookie, CSRF tokens, the
// integration switch, one-time key display, revocation and sync health.

import { generateSignedCookie } from "hono/cookie";
import { describe, expect, it } from "vitest";
import { deriveSettingsKeys, sessionCookieOptions } from "../../src/admin/settings/session";
import { FIXTURE_WEEK, withFreshIds } from "../support/fixtures";
import {
  ADMIN_TOKEN,
  GOODTIME_ORIGIN,
  SANDBOX_ORIGIN,
  SUPER_ADMIN_EMAIL,
  adminRequest,
  createSandboxAccount,
  createTenant,
  sendEvent,
  serviceFetch,
  waitForSettled,
} from "../support/service";
import { CookieJar, csrfOf, decodeEntities, getPage, logIn, logInWithCsrf, postForm } from "./settings-client";

const SESSION_COOKIE = "__Secure-settings_session";
const ADMIN_EMAIL = "ben.hartley@acme.example";
const FORBIDDEN_MESSAGE = "Only an active Lever Super Admin can change the GoodTime integration or its keys.";

/** Creates a tenant that is not enabled and has no key, through the admin API. */
async function createDisabledTenant(slug: string, name = `Acme (${slug})`): Promise<{ id: string }> {
  const response = await adminRequest("POST", "/tenants", {
    slug,
    name,
    leverApiBaseUrl: `${SANDBOX_ORIGIN}/v1`,
    leverApiKey: await createSandboxAccount(),
    leverAppOrigin: SANDBOX_ORIGIN,
    goodtimeOrigin: GOODTIME_ORIGIN,
  });
  expect(response.status).toBe(201);
  const { tenant } = (await response.json()) as { tenant: { id: string } };
  return tenant;
}

interface TenantState {
  integrationEnabled: boolean;
  activeKeys: number;
  auditEntries: number;
}

async function tenantState(slug: string): Promise<TenantState> {
  const shown = await adminRequest("GET", `/tenants/${slug}`);
  expect(shown.status).toBe(200);
  const body = (await shown.json()) as { tenant: { integrationEnabled: boolean }; keys: { revokedAt: string | null }[] };
  const audit = await adminRequest("GET", `/tenants/${slug}/audit?limit=500`);
  const { entries } = (await audit.json()) as { entries: unknown[] };
  return {
    integrationEnabled: body.tenant.integrationEnabled,
    activeKeys: body.keys.filter((key) => key.revokedAt === null).length,
    auditEntries: entries.length,
  };
}

async function firstKeyId(slug: string): Promise<string> {
  const response = await adminRequest("GET", `/tenants/${slug}/keys`);
  const { keys } = (await response.json()) as { keys: { id: string }[] };
  expect(keys.length).toBeGreaterThan(0);
  return keys[0]!.id;
}

function newKeyOf(html: string): string | null {
  const match = /id="new-key"[^>]*value="([^"]+)"/.exec(html) ?? /value="([^"]+)"[^>]*id="new-key"/.exec(html);
  return match ? match[1]! : null;
}

describe("settings login", () => {
  it("redirects pages to login without session", async () => {
    const jar = new CookieJar();
    for (const path of ["/settings", "/settings/tenants/settings-login-none", "/settings/tenants/x/new-key"]) {
      const page = await getPage(jar, path);
      expect(page.status, path).toBe(303);
      expect(page.response.headers.get("location"), path).toBe("/settings/login");
    }
  });

  it("rejects posts without session", async () => {
    await createDisabledTenant("settings-login-post");
    const page = await postForm(new CookieJar(), "/settings/tenants/settings-login-post/integration", {
      enabled: "true",
      actingUserEmail: SUPER_ADMIN_EMAIL,
      _csrf: "0".repeat(64),
    });
    expect(page.status).toBe(401);
    expect(page.html).toContain("Your session has ended.");
    expect((await tenantState("settings-login-post")).integrationEnabled).toBe(false);
  });

  it("rejects a wrong token", async () => {
    const jar = new CookieJar();
    const form = await getPage(jar, "/settings/login");
    const result = await postForm(jar, "/settings/login", { token: "wrong-token", _csrf: csrfOf(form.html) });
    expect(result.status).toBe(401);
    expect(result.html).toContain("The operator token is wrong.");
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("rejects an empty token", async () => {
    const jar = new CookieJar();
    const form = await getPage(jar, "/settings/login");
    const result = await postForm(jar, "/settings/login", { token: "", _csrf: csrfOf(form.html) });
    expect(result.status).toBe(400);
    expect(result.html).toContain("Enter the operator token.");
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("rejects login without form token", async () => {
    const jar = new CookieJar();
    await getPage(jar, "/settings/login");
    const missing = await postForm(jar, "/settings/login", { token: ADMIN_TOKEN });
    expect(missing.status).toBe(403);
    const wrong = await postForm(jar, "/settings/login", { token: ADMIN_TOKEN, _csrf: "f".repeat(64) });
    expect(wrong.status).toBe(403);
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("rejects login token from another nonce", async () => {
    const first = new CookieJar();
    const form = await getPage(first, "/settings/login");
    const other = new CookieJar();
    await getPage(other, "/settings/login");
    const result = await postForm(other, "/settings/login", { token: ADMIN_TOKEN, _csrf: csrfOf(form.html) });
    expect(result.status).toBe(403);
    expect(other.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("sets a strict session cookie", async () => {
    const jar = new CookieJar();
    const form = await getPage(jar, "/settings/login");
    const loginCookie = form.response.headers.getSetCookie().find((line) => line.startsWith("__Secure-settings_login="));
    expect(loginCookie).toMatch(/; HttpOnly/);
    expect(loginCookie).toMatch(/; Secure/);
    expect(loginCookie).toMatch(/; SameSite=Strict/);

    const result = await postForm(jar, "/settings/login", { token: ADMIN_TOKEN, _csrf: csrfOf(form.html) });
    expect(result.status).toBe(303);
    expect(result.response.headers.get("location")).toBe("/settings");
    const line = result.response.headers.getSetCookie().find((value) => value.startsWith(`${SESSION_COOKIE}=`));
    expect(line).toBeDefined();
    const attributes = line!.split(";").map((part) => part.trim());
    expect(attributes).toContain("HttpOnly");
    expect(attributes).toContain("Secure");
    expect(attributes).toContain("SameSite=Strict");
    expect(attributes).toContain("Path=/settings");
    expect(attributes).toContain("Max-Age=7200");
    expect(line).not.toContain(ADMIN_TOKEN);
    expect(result.response.headers.get("cache-control")).toBe("no-store");
  });

  it("rejects a tampered session cookie", async () => {
    const jar = await logIn();
    const value = decodeURIComponent(jar.cookies.get(SESSION_COOKIE)!);
    const [id, expiry] = value.split(".");
    jar.cookies.set(SESSION_COOKIE, encodeURIComponent(`${id}.${Number(expiry) + 1000}.${value.split(".")[2]}`));
    const page = await getPage(jar, "/settings");
    expect(page.status).toBe(303);
    expect(page.response.headers.get("location")).toBe("/settings/login");
  });

  it("rejects an expired session cookie", async () => {
    const keys = await deriveSettingsKeys(ADMIN_TOKEN);
    const expired = await generateSignedCookie(
      "settings_session",
      `AAAAAAAAAAAAAAAAAAAAAA.${Date.now() - 1000}`,
      keys.cookie,
      sessionCookieOptions(60),
    );
    const jar = new CookieJar();
    jar.cookies.set(SESSION_COOKIE, expired.split(";")[0]!.split("=").slice(1).join("="));
    const page = await getPage(jar, "/settings");
    expect(page.status).toBe(303);
    expect(page.response.headers.get("location")).toBe("/settings/login");
  });

  it("accepts a session signed with the derived key", async () => {
    const keys = await deriveSettingsKeys(ADMIN_TOKEN);
    const valid = await generateSignedCookie(
      "settings_session",
      `BBBBBBBBBBBBBBBBBBBBBB.${Date.now() + 60_000}`,
      keys.cookie,
      sessionCookieOptions(60),
    );
    const jar = new CookieJar();
    jar.cookies.set(SESSION_COOKIE, valid.split(";")[0]!.split("=").slice(1).join("="));
    const page = await getPage(jar, "/settings");
    expect(page.status).toBe(200);
  });

  it("logout clears the session", async () => {
    const { jar, csrf } = await logInWithCsrf();
    const result = await postForm(jar, "/settings/logout", { _csrf: csrf });
    expect(result.status).toBe(303);
    expect(result.response.headers.get("location")).toBe("/settings/login");
    expect(result.response.headers.getSetCookie().some((line) => /^__Secure-settings_session=;.*Max-Age=0/.test(line))).toBe(true);
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("logout requires the form token", async () => {
    const jar = await logIn();
    const result = await postForm(jar, "/settings/logout", { _csrf: "0".repeat(64) });
    expect(result.status).toBe(403);
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(true);
  });
});

describe("settings csrf", () => {
  it.each([
    ["missing", undefined],
    ["wrong", "0".repeat(64)],
    ["malformed", "<script>"],
  ])("rejects %s token and changes nothing", async (name, token) => {
    const slug = `settings-csrf-${name}`;
    await createDisabledTenant(slug);
    const { jar } = await logInWithCsrf();
    const before = await tenantState(slug);
    const fields = (extra: Record<string, string>) => (token === undefined ? extra : { ...extra, _csrf: token });

    const enable = await postForm(jar, `/settings/tenants/${slug}/integration`, fields({ enabled: "true", actingUserEmail: SUPER_ADMIN_EMAIL }));
    expect(enable.status).toBe(403);
    expect(enable.html).toContain("This form has expired or did not come from this site.");
    const generate = await postForm(jar, `/settings/tenants/${slug}/keys`, fields({ actingUserEmail: SUPER_ADMIN_EMAIL }));
    expect(generate.status).toBe(403);

    expect(await tenantState(slug)).toEqual(before);
  });

  it("rejects a token of another session", async () => {
    const tenant = await createTenant("settings-csrf-other");
    const keyId = await firstKeyId(tenant.slug);
    const first = await logInWithCsrf();
    const second = await logInWithCsrf();
    expect(second.csrf).not.toBe(first.csrf);
    const before = await tenantState(tenant.slug);

    const revoke = await postForm(second.jar, `/settings/tenants/${tenant.slug}/keys/${keyId}/revoke`, {
      actingUserEmail: SUPER_ADMIN_EMAIL,
      _csrf: first.csrf,
    });
    expect(revoke.status).toBe(403);
    expect(await tenantState(tenant.slug)).toEqual(before);
  });

  it("rejects a cross-site post", async () => {
    await createDisabledTenant("settings-csrf-site");
    const { jar, csrf } = await logInWithCsrf();
    const page = await postForm(
      jar,
      "/settings/tenants/settings-csrf-site/integration",
      { enabled: "true", actingUserEmail: SUPER_ADMIN_EMAIL, _csrf: csrf },
      { "sec-fetch-site": "cross-site" },
    );
    expect(page.status).toBe(403);
    expect((await tenantState("settings-csrf-site")).integrationEnabled).toBe(false);
  });
});

describe("settings tenant page", () => {
  it("lists tenants with their status", async () => {
    await createDisabledTenant("settings-list");
    const { jar } = await logInWithCsrf();
    const page = await getPage(jar, "/settings");
    expect(page.status).toBe(200);
    expect(page.html).toContain('href="/settings/tenants/settings-list"');
    expect(page.html.startsWith("<!DOCTYPE html>")).toBe(true);
  });

  it("sets security headers", async () => {
    const { jar } = await logInWithCsrf();
    const page = await getPage(jar, "/settings");
    const csp = page.response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(page.response.headers.get("cache-control")).toBe("no-store");
    expect(page.response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("escapes the tenant name", async () => {
    await createDisabledTenant("settings-escape", `<script>alert("x")</script> & Co`);
    const { jar } = await logInWithCsrf();
    const page = await getPage(jar, "/settings/tenants/settings-escape");
    expect(page.status).toBe(200);
    expect(page.html).not.toContain("<script>alert");
    expect(page.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co");
  });

  it("enables and disables the integration", async () => {
    await createDisabledTenant("settings-toggle");
    const { jar, csrf } = await logInWithCsrf();

    const enabled = await postForm(jar, "/settings/tenants/settings-toggle/integration", {
      enabled: "true",
      actingUserEmail: SUPER_ADMIN_EMAIL,
      _csrf: csrf,
    });
    expect(enabled.status).toBe(303);
    expect(enabled.response.headers.get("location")).toBe("/settings/tenants/settings-toggle?notice=enabled");
    expect((await tenantState("settings-toggle")).integrationEnabled).toBe(true);
    const page = await getPage(jar, "/settings/tenants/settings-toggle?notice=enabled");
    expect(page.html).toContain("GoodTime is on.");
    expect(page.html).toContain("Turn off GoodTime");

    const disabled = await postForm(jar, "/settings/tenants/settings-toggle/integration", {
      enabled: "false",
      actingUserEmail: SUPER_ADMIN_EMAIL,
      _csrf: csrf,
    });
    expect(disabled.status).toBe(303);
    expect((await tenantState("settings-toggle")).integrationEnabled).toBe(false);

    const audit = await adminRequest("GET", "/tenants/settings-toggle/audit");
    const { entries } = (await audit.json()) as { entries: { action: string; actor: string }[] };
    expect(entries.slice(0, 2).map((entry) => entry.action)).toEqual(["integration.disabled", "integration.enabled"]);
    expect(entries[0]!.actor).toBe("settings");
  });

  it("shows the Super Admin error", async () => {
    await createDisabledTenant("settings-forbidden");
    const { jar, csrf } = await logInWithCsrf();
    const before = await tenantState("settings-forbidden");
    const page = await postForm(jar, "/settings/tenants/settings-forbidden/integration", {
      enabled: "true",
      actingUserEmail: ADMIN_EMAIL,
      _csrf: csrf,
    });
    expect(page.status).toBe(403);
    expect(page.html).toContain(FORBIDDEN_MESSAGE);
    expect(page.html).toContain(`value="${ADMIN_EMAIL}"`);
    expect(await tenantState("settings-forbidden")).toEqual(before);
  });

  it("shows the key once", async () => {
    await createDisabledTenant("settings-key-once");
    const { jar, csrf } = await logInWithCsrf();
    const posted = await postForm(jar, "/settings/tenants/settings-key-once/keys", {
      actingUserEmail: SUPER_ADMIN_EMAIL,
      _csrf: csrf,
    });
    expect(posted.status).toBe(303);
    expect(posted.response.headers.get("location")).toBe("/settings/tenants/settings-key-once/new-key");
    expect(posted.html).not.toMatch(/gtlk_/);
    const stash = posted.response.headers.getSetCookie().find((line) => line.startsWith("__Secure-settings_new_key="));
    expect(stash).toContain("Path=/settings/tenants/settings-key-once/new-key");
    expect(stash).toContain("HttpOnly");
    expect(stash).not.toMatch(/gtlk_/);
    const replay = jar.clone();

    const shown = await getPage(jar, "/settings/tenants/settings-key-once/new-key");
    expect(shown.status).toBe(200);
    expect(shown.response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(shown.response.headers.get("cache-control")).toBe("no-store");
    const key = newKeyOf(shown.html);
    expect(key).toMatch(/^gtlk_[0-9A-Za-z]{36}$/);
    expect(shown.html).toContain("It cannot be shown again.");
    expect(shown.html).toContain("<dialog");
    expect(jar.cookies.has("__Secure-settings_new_key")).toBe(false);

    const reloaded = await getPage(jar, "/settings/tenants/settings-key-once/new-key");
    expect(reloaded.status).toBe(200);
    expect(newKeyOf(reloaded.html)).toBeNull();
    expect(reloaded.html).not.toContain(key!);
    expect(reloaded.html).toContain("The new key is no longer shown");

    // The stash cookie is bound to its session: another session cannot open it.
    const other = await logIn();
    other.cookies.set("__Secure-settings_new_key", replay.cookies.get("__Secure-settings_new_key")!);
    const stolen = await getPage(other, "/settings/tenants/settings-key-once/new-key");
    expect(newKeyOf(stolen.html)).toBeNull();

    const listed = await getPage(jar, "/settings/tenants/settings-key-once");
    expect(listed.html).toContain(key!.slice(0, 9));
    expect(listed.html).not.toContain(key!);
  });

  it("revokes a key through the page", async () => {
    const tenant = await createTenant("settings-revoke");
    const keyId = await firstKeyId(tenant.slug);
    const { jar, csrf } = await logInWithCsrf();

    const confirm = await getPage(jar, `/settings/tenants/${tenant.slug}/keys/${keyId}/revoke`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain("Revoking cannot be undone.");

    const revoked = await postForm(jar, `/settings/tenants/${tenant.slug}/keys/${keyId}/revoke`, {
      actingUserEmail: SUPER_ADMIN_EMAIL,
      _csrf: csrf,
    });
    expect(revoked.status).toBe(303);
    expect(revoked.response.headers.get("location")).toBe(`/settings/tenants/${tenant.slug}?notice=revoked`);

    const webhook = await sendEvent(tenant.integrationKey, withFreshIds(FIXTURE_WEEK[0]!, "settings-revoke"));
    expect(webhook.status).toBe(403);
    const body = (await webhook.json()) as { error: { code: string } };
    expect(body.error.code).toBe("integration_disabled");
  });

  it("shows panels that need attention", async () => {
    const tenant = await createTenant("settings-health");
    const event = withFreshIds(FIXTURE_WEEK[6]!, "settings-health");
    const response = await sendEvent(tenant.integrationKey, event);
    expect(response.status).toBe(202);
    await response.body?.cancel();
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, event.scheduledPanel.version);
    expect(record.state).toBe("needs_attention");

    const { jar } = await logInWithCsrf();
    const page = await getPage(jar, `/settings/tenants/${tenant.slug}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(event.scheduledPanel.externalPanelId);
    expect(page.html).toContain(`<code>${record.reason}</code>`);
    expect(page.html).toMatch(/<code>needs_attention<\/code><\/td><td>1<\/td>/);
  });
});

describe("settings bad input", () => {
  it.each([
    ["missing email", { enabled: "true" }, 400, "Enter the email address of your Lever user."],
    ["invalid email", { enabled: "true", actingUserEmail: "not-an-email" }, 400, "Enter a valid email address"],
    ["long email", { enabled: "true", actingUserEmail: `${"a".repeat(320)}@acme.example` }, 400, "longer than 320"],
    ["invalid switch", { enabled: "maybe", actingUserEmail: SUPER_ADMIN_EMAIL }, 400, "Choose whether to turn"],
  ])("rejects %s", async (name, fields, status, message) => {
    const slug = `settings-input-${name.replace(" ", "-")}`;
    await createDisabledTenant(slug);
    const { jar, csrf } = await logInWithCsrf();
    const page = await postForm(jar, `/settings/tenants/${slug}/integration`, { ...fields, _csrf: csrf });
    expect(page.status).toBe(status);
    expect(decodeEntities(page.html)).toContain(message);
    expect((await tenantState(slug)).integrationEnabled).toBe(false);
  });

  it("rejects a non-form body", async () => {
    await createDisabledTenant("settings-input-json");
    const jar = await logIn();
    const response = await serviceFetch("/settings/tenants/settings-input-json/integration", {
      method: "POST",
      headers: { cookie: jar.header(), "content-type": "application/json" },
      body: JSON.stringify({ enabled: "true" }),
    });
    expect(response.status).toBe(415);
    expect(await response.text()).toContain("application/x-www-form-urlencoded");
  });

  it("rejects an oversized form", async () => {
    const { jar, csrf } = await logInWithCsrf();
    const page = await postForm(jar, "/settings/tenants/settings-input-big/keys", {
      _csrf: csrf,
      actingUserEmail: "a".repeat(10_000),
    });
    expect(page.status).toBe(413);
    expect(page.html).toContain("exceeds the limit");
  });

  it.each([
    ["unknown tenant", "/settings/tenants/settings-nobody"],
    ["invalid slug", "/settings/tenants/Not_A_Slug"],
    ["invalid key id", "/settings/tenants/settings-nobody/keys/not-a-uuid/revoke"],
    ["unknown page", "/settings/nothing-here"],
  ])("answers 404 for %s", async (_name, path) => {
    const jar = await logIn();
    const page = await getPage(jar, path);
    expect(page.status).toBe(404);
    expect(page.response.headers.get("content-type")).toContain("text/html");
  });

  it("answers 404 for an unknown key", async () => {
    await createDisabledTenant("settings-input-key");
    const { jar, csrf } = await logInWithCsrf();
    const page = await postForm(jar, `/settings/tenants/settings-input-key/keys/${crypto.randomUUID()}/revoke`, {
      actingUserEmail: SUPER_ADMIN_EMAIL,
      _csrf: csrf,
    });
    expect(page.status).toBe(404);
    expect(page.html).toContain("No key with id");
  });

  it("login page never shows the token", async () => {
    const page = await getPage(new CookieJar(), "/settings/login");
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(ADMIN_TOKEN);
  });
});
