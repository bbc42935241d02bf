// Server-rendered pages of the settings area, laid out like Lever's
// integration tiles (Settings › Integrations and API › Scheduling). Hono's JSX
// escapes every interpolated value. The only script is the copy button on the
// new-key dialog, allowed by the response's CSP nonce, and every form works without it.

import type { Child } from "hono/jsx";
import type { KeyView, TenantView } from "../service";
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

// Opens the server-rendered dialog as a modal and wires the copy button. The
// dialog is rendered `open`, so without this script it still shows inline.
const KEY_DIALOG_SCRIPT = `
(function () {
  var dialog = document.getElementById("new-key-dialog");
  var input = document.getElementById("new-key");
  var button = document.getElementById("copy-key");
  var status = document.getElementById("copy-status");
  if (!dialog || !input || !button || !status) return;
  if (typeof dialog.showModal === "function") { dialog.close(); dialog.showModal(); }
  input.focus();
  input.select();
  button.hidden = false;
  button.addEventListener("click", function () {
    input.select();
    var done = function () { status.textContent = "Copied to the clipboard."; };
    var fail = function () { status.textContent = "Copying failed. Select the key and press Ctrl+C or Cmd+C."; };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(input.value).then(done, fail);
    else if (document.execCommand && document.execCommand("copy")) done();
    else fail();
  });
})();
`;

export interface LayoutProps {
  title: string;
  nonce: string;
  /** Form token for the logout button; absent on pages shown before login. */
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

/** An error or notice at the top of the page; errors take focus so keyboard and screen reader users meet them first. */
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

export function TenantListPage(props: { nonce: string; csrf: string; tenants: TenantView[] }) {
  return (
    <Layout title="Accounts" nonce={props.nonce} csrf={props.csrf}>
      <h1>GoodTime integration</h1>
      <section class="tile" aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">Lever accounts</h2>
        {props.tenants.length === 0 ? (
          <p>
            No accounts yet. Create one with <code>npm run admin -- tenant create</code>.
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Slug</th>
                <th scope="col">GoodTime</th>
              </tr>
            </thead>
            <tbody>
              {props.tenants.map((tenant) => (
                <tr>
                  <td>
                    <a href={`/settings/tenants/${tenant.slug}`}>{tenant.name}</a>
                  </td>
                  <td>
                    <code>{tenant.slug}</code>
                  </td>
                  <td>
                    <IntegrationStatus enabled={tenant.integrationEnabled} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

function IntegrationStatus(props: { enabled: boolean }) {
  return props.enabled ? <span class="status-on">On</span> : <span class="status-off">Off</span>;
}

/** The email field every change form asks for: Lever checks this user's role at the moment of the action. */
function ActingUserField(props: { id: string; value?: string | undefined; autofocus?: boolean }) {
  return (
    <div>
      <label for={props.id}>Your Lever email</label>
      <input
        type="email"
        id={props.id}
        name="actingUserEmail"
        required
        maxlength={320}
        autocomplete="email"
        value={props.value ?? ""}
        aria-describedby="acting-user-hint"
        autofocus={props.autofocus}
      />
    </div>
  );
}

export interface PanelHealth {
  counts: Record<string, number>;
  attention: { externalPanelId: string; opportunityId: string; reason: string | null; updatedAt: number }[];
}

export interface AuditEntryView {
  action: string;
  actor: string;
  at: string;
}

/** Which form was submitted, so a failed post keeps its typed email in that form. */
export type FormName = "integration" | "generate";

export interface TenantPageProps {
  nonce: string;
  csrf: string;
  tenant: TenantView;
  keys: KeyView[];
  health: PanelHealth;
  audit: AuditEntryView[];
  maxActiveKeys: number;
  notice?: string | undefined;
  error?: string | undefined;
  failedForm?: FormName | undefined;
  submittedEmail?: string | undefined;
  newKey?: string | undefined;
}

const STATE_ORDER = ["pending", "retrying", "synced", "needs_attention", "canceled", "removed_in_lever"];

export function TenantPage(props: TenantPageProps) {
  const { tenant } = props;
  const base = `/settings/tenants/${tenant.slug}`;
  const activeKeys = props.keys.filter((key) => key.revokedAt === null).length;
  const emailFor = (form: FormName) => (props.failedForm === form ? props.submittedEmail : undefined);
  const states = [
    ...STATE_ORDER,
    ...Object.keys(props.health.counts)
      .filter((state) => !STATE_ORDER.includes(state))
      .sort(),
  ];

  return (
    <Layout title={tenant.name} nonce={props.nonce} csrf={props.csrf}>
      <h1>GoodTime · {tenant.name}</h1>
      <Banner error={props.error} notice={props.notice} />
      {props.newKey ? <NewKeyDialog integrationKey={props.newKey} nonce={props.nonce} /> : null}
      <p class="hint" id="acting-user-hint">
        Every change is checked with Lever: only an active Lever Super Admin of this account can make it.
      </p>

      <section class="tile" aria-labelledby="integration-heading">
        <h2 id="integration-heading">GoodTime scheduling</h2>
        <p>
          Status: <IntegrationStatus enabled={tenant.integrationEnabled} />
          {tenant.integrationEnabled
            ? ". GoodTime events are mirrored into Lever."
            : ". GoodTime events are rejected until the integration is turned on."}
        </p>
        <form method="post" action={`${base}/integration`}>
          <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
          <input type="hidden" name="enabled" value={tenant.integrationEnabled ? "false" : "true"} />
          <div class="row">
            <ActingUserField id="integration-email" value={emailFor("integration")} />
            <button type="submit" class={tenant.integrationEnabled ? "danger" : ""}>
              {tenant.integrationEnabled ? "Turn off GoodTime" : "Turn on GoodTime"}
            </button>
          </div>
        </form>
      </section>

      <section class="tile" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Integration keys</h2>
        <p class="hint">
          GoodTime sends each request with one of these keys. Up to {props.maxActiveKeys} keys can be active at once, so a
          new key can replace an old one without downtime. A key is shown once, when it is generated.
        </p>
        <KeyTable keys={props.keys} base={base} />
        <form method="post" action={`${base}/keys`}>
          <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
          <div class="row">
            <ActingUserField id="generate-email" value={emailFor("generate")} />
            <button type="submit" disabled={activeKeys >= props.maxActiveKeys}>
              Generate key
            </button>
          </div>
          {activeKeys >= props.maxActiveKeys ? (
            <p class="hint">Revoke a key before generating another: {props.maxActiveKeys} keys are already active.</p>
          ) : null}
        </form>
      </section>

      <section class="tile" aria-labelledby="health-heading">
        <h2 id="health-heading">Sync health</h2>
        <table>
          <caption class="visually-hidden">Scheduled panels by sync state</caption>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Panels</th>
            </tr>
          </thead>
          <tbody>
            {states.map((state) => (
              <tr>
                <td>
                  <code>{state}</code>
                </td>
                <td>{props.health.counts[state] ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Newest panels that need attention</h3>
        {props.health.attention.length === 0 ? (
          <p>No panel needs attention.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">GoodTime panel</th>
                <th scope="col">Lever opportunity</th>
                <th scope="col">Reason</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {props.health.attention.map((panel) => (
                <tr>
                  <td>
                    <code>{panel.externalPanelId}</code>
                  </td>
                  <td>
                    <code>{panel.opportunityId}</code>
                  </td>
                  <td>
                    <code>{panel.reason ?? "unknown"}</code>
                  </td>
                  <td>
                    <Time iso={new Date(panel.updatedAt).toISOString()} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="tile" aria-labelledby="audit-heading">
        <h2 id="audit-heading">Recent changes</h2>
        {props.audit.length === 0 ? (
          <p>No changes recorded.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {props.audit.map((entry) => (
                <tr>
                  <td>
                    <Time iso={entry.at} />
                  </td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

function Time(props: { iso: string | null }) {
  if (props.iso === null) return <span>Never</span>;
  return <time datetime={props.iso}>{props.iso.replace("T", " ").replace(/\.\d+Z$/, " UTC")}</time>;
}

function KeyTable(props: { keys: KeyView[]; base: string }) {
  if (props.keys.length === 0) return <p>No keys yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Created</th>
          <th scope="col">Created by (Lever user id)</th>
          <th scope="col">Last used</th>
          <th scope="col">Revoked</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.keys.map((key) => (
          <tr>
            <td>
              <code>{key.displayPrefix}…</code>
            </td>
            <td>
              <Time iso={key.createdAt} />
            </td>
            <td>
              <code>{key.createdBy}</code>
            </td>
            <td>
              <Time iso={key.lastUsedAt} />
            </td>
            <td>{key.revokedAt === null ? "No" : <Time iso={key.revokedAt} />}</td>
            <td>
              {key.revokedAt === null ? (
                <a class="button secondary" href={`${props.base}/keys/${key.id}/revoke`}>
                  Revoke<span class="visually-hidden"> key {key.displayPrefix}…</span>
                </a>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NewKeyDialog(props: { integrationKey: string; nonce: string }) {
  return (
    <>
      <dialog id="new-key-dialog" open aria-labelledby="new-key-heading" aria-describedby="new-key-warning" tabindex={-1}>
        <h2 id="new-key-heading">New integration key</h2>
        <p id="new-key-warning" class="warning">
          Copy this key now and store it in GoodTime. It cannot be shown again.
        </p>
        <label for="new-key">Integration key</label>
        <input type="text" id="new-key" class="key" readonly value={props.integrationKey} autofocus />
        <div class="row">
          <button type="button" id="copy-key" hidden>
            Copy key
          </button>
          <form method="dialog">
            <button type="submit" class="secondary">
              I have copied the key
            </button>
          </form>
        </div>
        <p id="copy-status" role="status" aria-live="polite"></p>
      </dialog>
      <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: KEY_DIALOG_SCRIPT }} />
    </>
  );
}

export function RevokePage(props: {
  nonce: string;
  csrf: string;
  tenant: TenantView;
  keyView: KeyView;
  error?: string | undefined;
  submittedEmail?: string | undefined;
}) {
  const base = `/settings/tenants/${props.tenant.slug}`;
  return (
    <Layout title="Revoke key" nonce={props.nonce} csrf={props.csrf}>
      <h1>Revoke key {props.keyView.displayPrefix}…</h1>
      <Banner error={props.error} />
      <section class="tile" aria-labelledby="revoke-heading">
        <h2 id="revoke-heading">{props.tenant.name}</h2>
        <p>
          GoodTime requests that use this key are rejected from the moment it is revoked. Revoking cannot be undone.
        </p>
        <p class="hint" id="acting-user-hint">
          Only an active Lever Super Admin of this account can revoke a key.
        </p>
        <form method="post" action={`${base}/keys/${props.keyView.id}/revoke`}>
          <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
          <div class="row">
            <ActingUserField id="revoke-email" value={props.submittedEmail} autofocus={!props.error} />
            <button type="submit" class="danger">
              Revoke key
            </button>
            <a class="button secondary" href={base}>
              Cancel
            </a>
          </div>
        </form>
      </section>
    </Layout>
  );
}

export function MessagePage(props: { nonce: string; csrf?: string | undefined; title: string; message: string; link?: { href: string; text: string } }) {
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
