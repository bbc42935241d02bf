// Tenant pages of the settings area, laid out like Lever's integration tiles
// (Settings › Integrations and API › Scheduling). Hono's JSX escapes every
// interpolated value. The only script is the copy button on the new-key
// dialog, allowed by the response's CSP nonce, and every form works without it.

import type { KeyView, TenantView } from "../service";
import { CSRF_FIELD } from "./forms";
import { Banner, Layout } from "./layout";

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
    var done = function () { status.textContent = "Copied to the clipboard."; };
    var fail = function () { status.textContent = "Copying failed. Select the key and press Ctrl+C or Cmd+C."; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(input.value).then(done, fail);
      return;
    }
    input.select();
    if (document.execCommand && document.execCommand("copy")) done();
    else fail();
    button.focus();
  });
})();
`;

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

/** Renders the email field of every change form. Lever checks this user's role at the moment of the action. */
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

/** Name of the submitted form, so a failed post keeps its typed email in that form. */
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
