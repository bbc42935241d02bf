// Carries a newly generated integration key from the POST that creates it to
// the one page view that shows it (post/redirect/get), so reloading that page
// neither shows the key again nor generates another one. The key travels in a
// short-lived cookie encrypted with ENCRYPTION_KEY and bound to the session
// and tenant. The page view deletes the cookie, and D1 only ever stores the
// key's SHA-256.

import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { decryptSecret, encryptSecret, importEncryptionKey } from "../../shared/crypto";
import type { Session } from "./session";
import { sessionCookieOptions } from "./session";

const NEW_KEY_COOKIE = "settings_new_key";
/** How long the redirect to the key page may take, in seconds. */
const NEW_KEY_TTL_SECONDS = 60;

export function newKeyPath(slug: string): string {
  return `/settings/tenants/${slug}/new-key`;
}

function cookieOptions(slug: string, maxAge: number) {
  return { ...sessionCookieOptions(maxAge), path: newKeyPath(slug) };
}

function context(session: Session, tenantId: string): string {
  return `settings:new-key:${session.id}:${tenantId}`;
}

export async function stashNewKey(
  c: Context,
  encryptionKey: string,
  session: Session,
  tenant: { id: string; slug: string },
  integrationKey: string,
): Promise<void> {
  const key = await importEncryptionKey(encryptionKey);
  const sealed = await encryptSecret(key, integrationKey, context(session, tenant.id));
  setCookie(c, NEW_KEY_COOKIE, sealed, cookieOptions(tenant.slug, NEW_KEY_TTL_SECONDS));
}

/**
 * Returns the stashed key and deletes its cookie. Returns null when there is
 * none, or when it was sealed for another session or tenant.
 */
export async function takeNewKey(
  c: Context,
  encryptionKey: string,
  session: Session,
  tenant: { id: string; slug: string },
): Promise<string | null> {
  const sealed = getCookie(c, NEW_KEY_COOKIE, "secure");
  if (!sealed) return null;
  deleteCookie(c, NEW_KEY_COOKIE, cookieOptions(tenant.slug, 0));
  try {
    const key = await importEncryptionKey(encryptionKey);
    return await decryptSecret(key, sealed, context(session, tenant.id));
  } catch {
    return null;
  }
}
