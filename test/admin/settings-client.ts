// A minimal browser stand-in for the settings pages: a cookie jar, form posts
// and extraction of the CSRF field, driving the Worker's own fetch handler.

import { expect } from "vitest";
import { ADMIN_TOKEN, serviceFetch } from "../support/service";

export class CookieJar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Applies the response's Set-Cookie headers; Max-Age=0 deletes. */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const separator = pair!.indexOf("=");
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      if (/;\s*max-age=0\b/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }
}

export interface Page {
  response: Response;
  status: number;
  html: string;
}

export async function getPage(jar: CookieJar, path: string, headers: Record<string, string> = {}): Promise<Page> {
  const response = await serviceFetch(path, { headers: { cookie: jar.header(), ...headers }, redirect: "manual" });
  jar.store(response);
  return { response, status: response.status, html: await response.text() };
}

export async function postForm(
  jar: CookieJar,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Page> {
  const response = await serviceFetch(path, {
    method: "POST",
    headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  jar.store(response);
  return { response, status: response.status, html: await response.text() };
}

/** Returns the value of the page's first hidden `_csrf` field. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([0-9a-f]{64})"/.exec(html);
  expect(match, "page has a _csrf field").not.toBeNull();
  return match![1]!;
}

/** Logs in with the operator token and returns the jar holding the session cookie. */
export async function logIn(): Promise<CookieJar> {
  const jar = new CookieJar();
  const form = await getPage(jar, "/settings/login");
  expect(form.status).toBe(200);
  const result = await postForm(jar, "/settings/login", { token: ADMIN_TOKEN, _csrf: csrfOf(form.html) });
  expect(result.status).toBe(303);
  expect(jar.cookies.has("__Secure-settings_session")).toBe(true);
  return jar;
}

/** Logs in and returns the jar with the CSRF token of its session, read from the tenant list page. */
export async function logInWithCsrf(): Promise<{ jar: CookieJar; csrf: string }> {
  const jar = await logIn();
  const list = await getPage(jar, "/settings");
  expect(list.status).toBe(200);
  return { jar, csrf: csrfOf(list.html) };
}

export function decodeEntities(text: string): string {
  return text
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}
