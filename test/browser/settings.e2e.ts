// The settings pages in headless Chromium, used the way an operator and a
// Lever Super Admin use them. The test logs in, turns GoodTime on, generates a
// key and reads it once, reloads and finds it gone, revokes it, and checks
// that the webhook then rejects it.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_EMAIL,
  SUPER_ADMIN_EMAIL,
  adminToken,
  createTenant,
  fixtureEvent,
  sendWebhook,
  serviceUrl,
} from "./support";

const CHROMIUM_PATH = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SLUG = "e2e-browser";

/** Evaluates a script in the page. Passing a string keeps DOM types out of this Node-side program. */
function evaluate<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

describe("settings in chromium", () => {
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM_PATH}, and the browser test needs it. Install it with: apt-get install -y chromium`,
      );
    }
    userDataDir = mkdtempSync(join(tmpdir(), "goodtime-lever-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: serviceUrl() });
    page = context.pages()[0] ?? (await context.newPage());
    await createTenant(SLUG);
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it("redirects to login without session", async () => {
    await page.goto(`${serviceUrl()}/settings/tenants/${SLUG}`);
    expect(new URL(page.url()).pathname).toBe("/settings/login");
    await expect.poll(() => evaluate<string | undefined>(page, "document.activeElement?.id")).toBe("token");
  });

  it("rejects a wrong token", async () => {
    await page.getByLabel("Operator token").fill("not-the-token");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("alert").textContent()).toContain("The operator token is wrong.");
    const cookies = await context.cookies(`${serviceUrl()}/settings`);
    expect(cookies.some((cookie) => cookie.name === "__Secure-settings_session")).toBe(false);
  });

  it("logs in with the operator token", async () => {
    await page.getByLabel("Operator token").fill(adminToken());
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${serviceUrl()}/settings`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("GoodTime integration");

    const session = (await context.cookies(`${serviceUrl()}/settings`)).find((cookie) => cookie.name === "__Secure-settings_session");
    expect(session).toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.secure).toBe(true);
    expect(session!.sameSite).toBe("Strict");
    expect(session!.path).toBe("/settings");
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000);
    expect(session!.expires).toBeLessThan(Date.now() / 1000 + 3 * 60 * 60);
  });

  it("rejects a non super admin", async () => {
    await page.getByRole("link", { name: `Acme (${SLUG})` }).click();
    await page.waitForURL(`${serviceUrl()}/settings/tenants/${SLUG}`);
    await page.locator("#integration-email").fill(ADMIN_EMAIL);
    await page.getByRole("button", { name: "Turn on GoodTime" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("alert").textContent()).toContain("Only an active Lever Super Admin");
    await expect.poll(() => evaluate<string | null>(page, "document.activeElement?.getAttribute('role')")).toBe("alert");
    expect(await page.getByRole("button", { name: "Turn on GoodTime" }).count()).toBe(1);
  });

  it("turns GoodTime on", async () => {
    await page.goto(`${serviceUrl()}/settings/tenants/${SLUG}`);
    await page.locator("#integration-email").fill(SUPER_ADMIN_EMAIL);
    await page.getByRole("button", { name: "Turn on GoodTime" }).click();
    await page.waitForURL(`${serviceUrl()}/settings/tenants/${SLUG}?notice=enabled`);
    expect(await page.getByRole("status").first().textContent()).toContain("GoodTime is on.");
    expect(await page.getByRole("button", { name: "Turn off GoodTime" }).count()).toBe(1);
  });

  let integrationKey = "";

  it("shows a new key once", async () => {
    await page.locator("#generate-email").fill(SUPER_ADMIN_EMAIL);
    const keyPage = page.waitForResponse((response) => response.url().endsWith(`/settings/tenants/${SLUG}/new-key`));
    await page.getByRole("button", { name: "Generate key" }).click();
    const response = await keyPage;
    expect(response.headers()["referrer-policy"]).toBe("no-referrer");
    expect(response.headers()["cache-control"]).toBe("no-store");

    const dialog = page.getByRole("dialog", { name: "New integration key" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("It cannot be shown again.");
    expect(await evaluate<boolean>(page, "document.getElementById('new-key-dialog').matches(':modal')")).toBe(true);
    await expect.poll(() => evaluate<string | undefined>(page, "document.activeElement?.id")).toBe("new-key");

    integrationKey = await page.locator("#new-key").inputValue();
    expect(integrationKey).toMatch(/^gtlk_[0-9A-Za-z]{36}$/);

    await page.getByRole("button", { name: "Copy key" }).click();
    await expect.poll(() => page.locator("#copy-status").textContent()).toBe("Copied to the clipboard.");
    expect(await evaluate<string>(page, "navigator.clipboard.readText()")).toBe(integrationKey);

    await page.keyboard.press("Tab");
    expect(await evaluate<string | null>(page, "document.activeElement?.textContent")).toBe("I have copied the key");
    await page.keyboard.press("Enter");
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it("hides the key after reload", async () => {
    await page.reload();
    expect(new URL(page.url()).pathname).toBe(`/settings/tenants/${SLUG}/new-key`);
    expect(await page.locator("#new-key").count()).toBe(0);
    expect(await page.content()).not.toContain(integrationKey);
    expect(await page.getByRole("status").first().textContent()).toContain("The new key is no longer shown");
    expect(await page.locator("table code").allTextContents()).toContain(`${integrationKey.slice(0, 9)}…`);
  });

  it("accepts webhooks with the key", async () => {
    const accepted = await sendWebhook(integrationKey, fixtureEvent("e2e-accepted"));
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ status: "accepted" });
  });

  it("revokes the key", async () => {
    await page.goto(`${serviceUrl()}/settings/tenants/${SLUG}`);
    await page.getByRole("link", { name: `Revoke key ${integrationKey.slice(0, 9)}…` }).click();
    await page.waitForURL(/\/revoke$/);
    await expect.poll(() => evaluate<string | undefined>(page, "document.activeElement?.id")).toBe("revoke-email");
    await page.keyboard.type(SUPER_ADMIN_EMAIL);
    await page.getByRole("button", { name: "Revoke key" }).click();
    await page.waitForURL(`${serviceUrl()}/settings/tenants/${SLUG}?notice=revoked`);
    expect(await page.getByRole("status").first().textContent()).toContain("The key is revoked.");
    expect(await page.getByRole("link", { name: /^Revoke key/ }).count()).toBe(0);
  });

  it("webhook rejects the revoked key", async () => {
    const rejected = await sendWebhook(integrationKey, fixtureEvent("e2e-revoked"));
    expect(rejected.status).toBe(403);
    expect((rejected.body as { error: { code: string } }).error.code).toBe("integration_disabled");
  });

  it("shows a visible focus ring", async () => {
    await page.goto(`${serviceUrl()}/settings/tenants/${SLUG}`);
    await page.keyboard.press("Tab");
    expect(await evaluate<string | null>(page, "document.activeElement?.textContent")).toBe("Skip to content");
    const outline = await evaluate<string>(page, "getComputedStyle(document.activeElement).outlineStyle");
    expect(outline).not.toBe("none");
  });

  it("logs out", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${serviceUrl()}/settings/login`);
    await page.goto(`${serviceUrl()}/settings`);
    expect(new URL(page.url()).pathname).toBe("/settings/login");
  });
});
