// The frame shared by every settings page (styles, header, banner) and the
// pages that need no tenant data: login and plain messages. Hono's JSX escapes
// every interpolated value, and the only raw HTML is the constant stylesheet.

import type { Child } from "hono/jsx";
import { CSRF_FIELD } from "./forms";

const STYLE = `
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6472; --line: #d8dde6; --accent: #1f5fbf; --danger: #b3261e; --ok: #1b6e3a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f4f6f9; }
a { color: var(--accent); }
header.bar { display: flex; align-items: center; justify-content: space-between; padding: .75rem 1.5rem; background: #fff; border-bottom: 1px solid var(--line); }
header.bar .crumbs { font-weight: 600; }
main { max-width: 60rem; margin: 1.5rem auto; padding: 0 1.5rem; }
.tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem 1.5rem; margin-bottom: 1.25rem; }
.tile h2 { margin: 0 0 .75rem; font-size: 1.1rem; }
.status-on { color: var(--ok); font-weight: 600; }
.status-off { color: var(--muted); font-weight: 600; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
.hint { color: var(--muted); font-size: .9rem; margin: .25rem 0 .75rem; }
input[type=email], input[type=password], input[type=text] { width: 100%; max-width: 26rem; padding: .45rem .6rem; border: 1px solid #9aa3b1; border-radius: 4px; font: inherit; }
button, .button { display: inline-block; padding: .45rem .9rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.row { display: flex; gap: .75rem; align-items: flex-end; flex-wrap: wrap; margin-top: .5rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.notice, .error { border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1.25rem; }
.notice { background: #e8f3ec; border: 1px solid #9fcfb0; }
.error { background: #fbeaea; border: 1px solid #e3a3a0; }
dialog { border: 2px solid var(--accent); border-radius: 8px; padding: 1.5rem; max-width: 40rem; width: calc(100% - 2rem); }
dialog::backdrop { background: rgba(20, 28, 45, .55); }
dialog .key { width: 100%; max-width: none; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.warning { color: var(--danger); font-weight: 600; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .25rem .5rem; }
`;


export interface LayoutProps {
  title: string;
  nonce: string;
  /** Form token for the logout button, absent on pages shown before login. */
  csrf?: string | undefined;
  children?: Child;
}

export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · GoodTime for Lever`}</title>
        <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="bar">
          <span class="crumbs">
            <a href="/settings">Settings</a> › Integrations and API › Scheduling
          </span>
          {props.csrf ? (
            <form method="post" action="/settings/logout">
              <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
              <button type="submit" class="secondary">
                Log out
              </button>
            </form>
          ) : null}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** Renders an error or notice at the top of the page. Errors take focus, so keyboard and screen reader users meet them first. */
export function Banner(props: { error?: string | undefined; notice?: string | undefined }) {
  if (props.error) {
    return (
      <div class="error" role="alert" tabindex={-1} autofocus>
        {props.error}
      </div>
    );
  }
  if (props.notice) {
    return (
      <div class="notice" role="status">
        {props.notice}
      </div>
    );
  }
  return null;
}

export function LoginPage(props: { nonce: string; csrf: string; error?: string | undefined }) {
  return (
    <Layout title="Log in" nonce={props.nonce}>
      <h1>GoodTime integration settings</h1>
      <Banner error={props.error} />
      <section class="tile" aria-labelledby="login-heading">
        <h2 id="login-heading">Log in</h2>
        <form method="post" action="/settings/login">
          <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
          <label for="token">Operator token</label>
          <p class="hint" id="token-hint">
            The ADMIN_TOKEN secret of this service. It is checked on the server and never shown again.
          </p>
          <input
            type="password"
            id="token"
            name="token"
            required
            autocomplete="current-password"
            aria-describedby="token-hint"
            autofocus={!props.error}
          />
          <div class="row">
            <button type="submit">Log in</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

export function MessagePage(props: {
  nonce: string;
  csrf?: string | undefined;
  title: string;
  message: string;
  link?: { href: string; text: string } | undefined;
}) {
  return (
    <Layout title={props.title} nonce={props.nonce} csrf={props.csrf}>
      <h1>{props.title}</h1>
      <Banner error={props.message} />
      {props.link ? (
        <p>
          <a href={props.link.href}>{props.link.text}</a>
        </p>
      ) : null}
    </Layout>
  );
}
