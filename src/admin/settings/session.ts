// Sessions of the settings page: a signed cookie that names a random session
// id and its expiry, and CSRF tokens bound to that id. Both keys are derived
// from ADMIN_TOKEN with HKDF-SHA256, so changing the token ends every session
// and invalidates every form token.

import type { Context } from "hono";
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { bytesToHex } from "../../shared/crypto";

/** Lifetime of a settings session, in seconds. */
export const SESSION_TTL_SECONDS = 2 * 60 * 60;
/** Lifetime of the login form's nonce cookie, in seconds. */
export const LOGIN_NONCE_TTL_SECONDS = 15 * 60;

/** Cookie names before Hono adds the `__Secure-` prefix. */
export const SESSION_COOKIE = "settings_session";
export const LOGIN_COOKIE = "settings_login";

export const SETTINGS_PATH = "/settings";
export const LOGIN_PATH = "/settings/login";

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const encoder = new TextEncoder();

export interface SettingsKeys {
  /** HMAC-SHA256 key that signs the session cookie. */
  cookie: Uint8Array<ArrayBuffer>;
  /** HMAC-SHA256 key for CSRF tokens. */
  csrf: CryptoKey;
}

export interface Session {
  id: string;
  expiresAt: number;
}

/** Derives the cookie-signing and CSRF keys from the operator token. */
export async function deriveSettingsKeys(adminToken: string): Promise<SettingsKeys> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(adminToken), "HKDF", false, ["deriveBits"]);
  const derive = async (info: string) =>
    new Uint8Array(
      await crypto.subtle.deriveBits(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(info) },
        base,
        256,
      ),
    );
  const cookie = await derive("goodtime-lever-sync settings session cookie v1");
  const csrfBytes = await derive("goodtime-lever-sync settings csrf v1");
  const csrf = await crypto.subtle.importKey("raw", csrfBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return { cookie, csrf };
}

export function sessionCookieOptions(maxAge: number): CookieOptions {
  return { prefix: "secure", path: SETTINGS_PATH, httpOnly: true, secure: true, sameSite: "Strict", maxAge };
}

/** Starts a session: a fresh random id in a signed cookie that expires with it. */
export async function startSession(c: Context, keys: SettingsKeys, now: number): Promise<Session> {
  const session = { id: randomToken(), expiresAt: now + SESSION_TTL_SECONDS * 1000 };
  await setSignedCookie(c, SESSION_COOKIE, `${session.id}.${session.expiresAt}`, keys.cookie, sessionCookieOptions(SESSION_TTL_SECONDS));
  return session;
}

/** Returns the session of the request, or null when the cookie is missing, forged or expired. */
export async function readSession(c: Context, keys: SettingsKeys, now: number): Promise<Session | null> {
  const value = await getSignedCookie(c, keys.cookie, SESSION_COOKIE, "secure");
  if (!value) return null;
  const [id, expiry, extra] = value.split(".");
  const expiresAt = Number(expiry);
  if (!id || !SESSION_ID_PATTERN.test(id) || extra !== undefined || !Number.isSafeInteger(expiresAt)) return null;
  // The cookie's Max-Age is only advice to the browser, so the signed expiry is checked here.
  if (expiresAt <= now || expiresAt > now + SESSION_TTL_SECONDS * 1000) return null;
  return { id, expiresAt };
}

// NOTE: sessions are stateless, so logging out clears the cookie in this
// browser only. A copied cookie stays valid until its expiry, or until
// ADMIN_TOKEN changes.
export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, sessionCookieOptions(0));
}

/** Returns the login nonce of the request, or sets a new one when it has none. */
export function loginNonce(c: Context): string {
  const existing = getCookie(c, LOGIN_COOKIE, "secure");
  if (existing && SESSION_ID_PATTERN.test(existing)) return existing;
  const nonce = randomToken();
  setCookie(c, LOGIN_COOKIE, nonce, { ...sessionCookieOptions(LOGIN_NONCE_TTL_SECONDS), path: LOGIN_PATH });
  return nonce;
}

export function readLoginNonce(c: Context): string | null {
  const value = getCookie(c, LOGIN_COOKIE, "secure");
  return value && SESSION_ID_PATTERN.test(value) ? value : null;
}

export function clearLoginNonce(c: Context): void {
  deleteCookie(c, LOGIN_COOKIE, { ...sessionCookieOptions(0), path: LOGIN_PATH });
}

/**
 * Computes the form token of a session, or of the login form with
 * `login:<nonce>`, as the hex HMAC-SHA256 of that subject. Another site can
 * read neither the subject, which sits in an HttpOnly cookie, nor the key.
 */
export async function csrfToken(keys: SettingsKeys, subject: string): Promise<string> {
  return bytesToHex(await crypto.subtle.sign("HMAC", keys.csrf, encoder.encode(`csrf:${subject}`)));
}

export function loginCsrfSubject(nonce: string): string {
  return `login:${nonce}`;
}

export function sessionCsrfSubject(session: Session): string {
  return `session:${session.id}`;
}

/** 128 random bits, base64url without padding (22 characters). */
function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
