// The settings area under /settings: an operator logs in with ADMIN_TOKEN,
// then a Lever Super Admin turns GoodTime on or off and manages integration
// keys per tenant. Pages are server-rendered HTML, every form post carries a
// CSRF token, and every change goes through AdminService, which checks with
// Lever that the acting user is an active Super Admin.

import { Hono, type Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { readConfig, type Bindings, type ServiceConfig } from "../../config";
import { countPanelsByState, listRecentPanelsNeedingAttention } from "../../db/panels";
import { TENANT_SLUG_PATTERN } from "../../links/target";
import { timingSafeEqualStrings } from "../../shared/crypto";
import { AppError, describeError, logAppError } from "../../shared/errors";
import { log } from "../../shared/log";
import { AdminService, MAX_ACTIVE_KEYS } from "../service";
import { CSRF_FIELD, parseActingUserForm, parseIntegrationForm, parseLoginForm, readForm } from "./forms";
import { newKeyPath, stashNewKey, takeNewKey } from "./new-key";
import {
  clearLoginNonce,
  csrfToken,
  deriveSettingsKeys,
  endSession,
  LOGIN_PATH,
  loginCsrfSubject,
  loginNonce,
  readLoginNonce,
  readSession,
  sessionCsrfSubject,
  startSession,
  type Session,
  type SettingsKeys,
} from "./session";
import { LoginPage, MessagePage } from "./layout";
import { RevokePage, TenantListPage, TenantPage, type FormName } from "./views";

/** Newest needs_attention panels shown in sync health. */
const ATTENTION_ROWS = 20;
/** Audit entries shown under "Recent changes". */
const AUDIT_ROWS = 10;
/** Tenants listed on /settings. */
const TENANT_LIST_LIMIT = 500;
/** Audit log actor for actions taken on these pages; the Lever user id is in each entry's detail. */
const AUDIT_ACTOR = "settings";

const KEY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Notices shown after a redirect, chosen by a fixed code so no free text comes from the URL. */
const NOTICES: Record<string, string> = {
  enabled: "GoodTime is on. GoodTime events for this account are mirrored into Lever.",
  disabled: "GoodTime is off. GoodTime events for this account are rejected until it is turned back on.",
  revoked: "The key is revoked. GoodTime requests that use it are rejected from now on.",
};
const KEY_GONE_NOTICE =
  "The new key is no longer shown, because it is displayed only once. If you did not copy it, revoke it and generate another.";

type SettingsEnv = {
  Bindings: Bindings;
  Variables: { nonce: string; config: ServiceConfig; keys: SettingsKeys; session: Session };
};
type SettingsContext = Context<SettingsEnv>;

export function createSettingsRoutes() {
  const routes = new Hono<SettingsEnv>();

  routes.use(securityHeaders);
  routes.use(requireAdminTokenConfigured);

  routes.get("/login", async (c) => {
    if (await readSession(c, c.get("keys"), Date.now())) return c.redirect("/settings", 303);
    const nonce = loginNonce(c);
    return renderLogin(c, 200, nonce);
  });

  routes.post("/login", async (c) => {
    const form = await readForm(c.req.raw);
    const nonce = readLoginNonce(c);
    const submitted = form.get(CSRF_FIELD) ?? "";
    const expected = nonce ? await csrfToken(c.get("keys"), loginCsrfSubject(nonce)) : "";
    if (!nonce || !(await timingSafeEqualStrings(submitted, expected))) {
      log("warn", "admin.request.rejected", { route: "/settings/login", code: "csrf_mismatch" });
      return renderLogin(c, 403, loginNonce(c), "The login form has expired. Enter the token again.");
    }

    let token: string;
    try {
      token = parseLoginForm(form).token;
    } catch (error) {
      if (error instanceof AppError) return renderLogin(c, error.status, nonce, error.message);
      throw error;
    }
    if (!(await timingSafeEqualStrings(token, c.get("config").adminToken!))) {
      log("warn", "admin.request.rejected", { route: "/settings/login", code: "unauthorized" });
      return renderLogin(c, 401, nonce, "The operator token is wrong.");
    }

    clearLoginNonce(c);
    await startSession(c, c.get("keys"), Date.now());
    return c.redirect("/settings", 303);
  });

  routes.use(requireSession);

  routes.post("/logout", async (c) => {
    await checkCsrf(c, await readForm(c.req.raw));
    endSession(c);
    return c.redirect(LOGIN_PATH, 303);
  });

  routes.get("/", async (c) => {
    const tenants = await service(c).listTenants(TENANT_LIST_LIMIT);
    return render(c, 200, <TenantListPage nonce={c.get("nonce")} csrf={await sessionCsrf(c)} tenants={tenants} />);
  });

  routes.get("/tenants/:slug", async (c) => {
    const noticeKey = c.req.query("notice") ?? "";
    const notice = Object.hasOwn(NOTICES, noticeKey) ? NOTICES[noticeKey as keyof typeof NOTICES] : undefined;
    return renderTenant(c, requireSlug(c), 200, { notice });
  });

  routes.post("/tenants/:slug/integration", async (c) => {
    const slug = requireSlug(c);
    const form = await readForm(c.req.raw);
    await checkCsrf(c, form);
    const submittedEmail = form.get("actingUserEmail") ?? undefined;
    try {
      const { enabled, actingUserEmail } = parseIntegrationForm(form);
      await service(c).setIntegrationEnabled(slug, enabled, actingUserEmail);
      return c.redirect(`/settings/tenants/${slug}?notice=${enabled ? "enabled" : "disabled"}`, 303);
    } catch (error) {
      return renderFailedForm(c, slug, "integration", submittedEmail, error);
    }
  });

  routes.post("/tenants/:slug/keys", async (c) => {
    const slug = requireSlug(c);
    const form = await readForm(c.req.raw);
    await checkCsrf(c, form);
    const submittedEmail = form.get("actingUserEmail") ?? undefined;
    const encryptionKey = c.get("config").encryptionKey;
    try {
      if (!encryptionKey) {
        throw new AppError(503, "unavailable", "The service has no ENCRYPTION_KEY secret, so a new key cannot be shown.");
      }
      const { actingUserEmail } = parseActingUserForm(form);
      const admin = service(c);
      const tenant = await admin.getTenant(slug);
      const { key } = await admin.generateKey(slug, actingUserEmail);
      await stashNewKey(c, encryptionKey, c.get("session"), tenant, key);
      return c.redirect(newKeyPath(slug), 303);
    } catch (error) {
      return renderFailedForm(c, slug, "generate", submittedEmail, error);
    }
  });

  routes.get("/tenants/:slug/new-key", async (c) => {
    const slug = requireSlug(c);
    const tenant = await service(c).getTenant(slug);
    const encryptionKey = c.get("config").encryptionKey;
    const newKey = encryptionKey ? await takeNewKey(c, encryptionKey, c.get("session"), tenant) : null;
    if (!newKey) return renderTenant(c, slug, 200, { notice: KEY_GONE_NOTICE });
    return renderTenant(c, slug, 200, { newKey });
  });

  routes.get("/tenants/:slug/keys/:keyId/revoke", async (c) => {
    return renderRevoke(c, requireSlug(c), requireKeyId(c), 200);
  });

  routes.post("/tenants/:slug/keys/:keyId/revoke", async (c) => {
    const slug = requireSlug(c);
    const keyId = requireKeyId(c);
    const form = await readForm(c.req.raw);
    await checkCsrf(c, form);
    const submittedEmail = form.get("actingUserEmail") ?? undefined;
    try {
      const { actingUserEmail } = parseActingUserForm(form);
      await service(c).revokeKey(slug, keyId, actingUserEmail);
      return c.redirect(`/settings/tenants/${slug}?notice=revoked`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === "not_found") throw error;
      return renderRevoke(c, slug, keyId, error.status, { error: error.message, submittedEmail });
    }
  });

  routes.all("*", () => {
    throw new AppError(404, "not_found", "There is no settings page at this address.");
  });

  routes.onError(async function renderSettingsError(error, c) {
    if (error instanceof AppError) {
      logAppError(error, { method: c.req.method, route: c.req.routePath });
      return renderMessage(c, error.status, titleFor(error.status), error.message);
    }
    log("error", "http.request.failed", {
      method: c.req.method,
      route: c.req.routePath,
      status: 500,
      errorName: error.name,
      detail: describeError(error, { withStack: true }),
    });
    return renderMessage(c, 500, "Something went wrong", "Something went wrong on our side. Try again in a moment.");
  });

  return routes;
}

// --- Middleware ----------------------------------------------------------

const securityHeaders = createMiddleware<SettingsEnv>(async function settingsSecurityHeaders(c, next) {
  const nonce = randomNonce();
  c.set("nonce", nonce);
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
  c.header("x-content-type-options", "nosniff");
  c.header("x-frame-options", "DENY");
  c.header(
    "content-security-policy",
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self'; ` +
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  await next();
});

const requireAdminTokenConfigured = createMiddleware<SettingsEnv>(async function settingsConfig(c, next) {
  const config = readConfig(c.env);
  c.set("config", config);
  if (!config.adminToken) {
    return renderMessage(c, 503, "Settings unavailable", "The service has no ADMIN_TOKEN secret, so the settings pages are off.");
  }
  c.set("keys", await deriveSettingsKeys(config.adminToken));
  await next();
});

const requireSession = createMiddleware<SettingsEnv>(async function settingsSession(c, next) {
  const session = await readSession(c, c.get("keys"), Date.now());
  if (!session) {
    if (c.req.method === "GET" || c.req.method === "HEAD") return c.redirect(LOGIN_PATH, 303);
    return renderMessage(c, 401, "Logged out", "Your session has ended. Log in again, then repeat the change.", {
      href: LOGIN_PATH,
      text: "Log in",
    });
  }
  c.set("session", session);
  await next();
});

/** Rejects a form post whose CSRF token does not match the session, before anything changes. */
async function checkCsrf(c: SettingsContext, form: URLSearchParams): Promise<void> {
  const submitted = form.get(CSRF_FIELD) ?? "";
  const expected = await sessionCsrf(c);
  const crossSite = c.req.header("sec-fetch-site") === "cross-site";
  if (crossSite || !(await timingSafeEqualStrings(submitted, expected))) {
    log("warn", "admin.request.rejected", { route: c.req.routePath, code: "csrf_mismatch" });
    throw new AppError(403, "forbidden", "This form has expired or did not come from this site. Reload the page and try again.");
  }
}

// --- Rendering -----------------------------------------------------------

async function render(c: SettingsContext, status: ContentfulStatusCode, page: JSX.Element) {
  const html = await page.toString();
  return c.html(`<!DOCTYPE html>${html}`, status);
}

function renderLogin(c: SettingsContext, status: ContentfulStatusCode, nonce: string, error?: string) {
  return csrfToken(c.get("keys"), loginCsrfSubject(nonce)).then((csrf) =>
    render(c, status, <LoginPage nonce={c.get("nonce")} csrf={csrf} error={error} />),
  );
}

async function renderMessage(
  c: SettingsContext,
  status: ContentfulStatusCode,
  title: string,
  message: string,
  link?: { href: string; text: string },
) {
  const session = c.get("session") as Session | undefined;
  const csrf = session ? await sessionCsrf(c) : undefined;
  const back = link ?? (session ? { href: "/settings", text: "Back to settings" } : undefined);
  return render(c, status, <MessagePage nonce={c.get("nonce")} csrf={csrf} title={title} message={message} link={back} />);
}

interface TenantPageOptions {
  notice?: string | undefined;
  error?: string | undefined;
  failedForm?: FormName | undefined;
  submittedEmail?: string | undefined;
  newKey?: string | undefined;
}

async function renderTenant(c: SettingsContext, slug: string, status: ContentfulStatusCode, options: TenantPageOptions) {
  const admin = service(c);
  const tenant = await admin.getTenant(slug);
  const [keys, counts, attention, audit] = await Promise.all([
    admin.listKeys(slug),
    countPanelsByState(c.env.DB, tenant.id),
    listRecentPanelsNeedingAttention(c.env.DB, tenant.id, ATTENTION_ROWS),
    admin.listAudit(slug, AUDIT_ROWS),
  ]);
  return render(
    c,
    status,
    <TenantPage
      nonce={c.get("nonce")}
      csrf={await sessionCsrf(c)}
      tenant={tenant}
      keys={keys}
      health={{ counts, attention }}
      audit={audit}
      maxActiveKeys={MAX_ACTIVE_KEYS}
      {...options}
    />,
  );
}

/** Shows the tenant page again with the error of a failed post; unexpected errors go to onError. */
function renderFailedForm(c: SettingsContext, slug: string, form: FormName, submittedEmail: string | undefined, error: unknown) {
  if (!(error instanceof AppError) || (error.code === "not_found" && error.status === 404)) throw error;
  return renderTenant(c, slug, error.status, { error: error.message, failedForm: form, submittedEmail });
}

async function renderRevoke(
  c: SettingsContext,
  slug: string,
  keyId: string,
  status: ContentfulStatusCode,
  options: { error?: string; submittedEmail?: string | undefined } = {},
) {
  const admin = service(c);
  const tenant = await admin.getTenant(slug);
  const keyView = (await admin.listKeys(slug)).find((key) => key.id === keyId);
  if (!keyView) throw new AppError(404, "not_found", "This account has no key with that id.");
  if (keyView.revokedAt !== null && !options.error) {
    return c.redirect(`/settings/tenants/${slug}?notice=revoked`, 303);
  }
  return render(
    c,
    status,
    <RevokePage nonce={c.get("nonce")} csrf={await sessionCsrf(c)} tenant={tenant} keyView={keyView} {...options} />,
  );
}

// --- Helpers -------------------------------------------------------------

function service(c: SettingsContext): AdminService {
  return new AdminService(c.env, c.get("config"), AUDIT_ACTOR);
}

function sessionCsrf(c: SettingsContext): Promise<string> {
  return csrfToken(c.get("keys"), sessionCsrfSubject(c.get("session")));
}

function requireSlug(c: SettingsContext): string {
  const slug = c.req.param("slug") ?? "";
  if (!TENANT_SLUG_PATTERN.test(slug)) throw new AppError(404, "not_found", "There is no account with this slug.");
  return slug;
}

function requireKeyId(c: SettingsContext): string {
  const keyId = c.req.param("keyId") ?? "";
  if (!KEY_ID_PATTERN.test(keyId)) throw new AppError(404, "not_found", "This account has no key with that id.");
  return keyId;
}

function titleFor(status: number): string {
  if (status === 400) return "Invalid form";
  if (status === 401) return "Logged out";
  if (status === 403) return "Not allowed";
  if (status === 404) return "Not found";
  if (status === 413 || status === 415) return "Invalid form";
  if (status >= 500) return "Try again later";
  return "Request failed";
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
