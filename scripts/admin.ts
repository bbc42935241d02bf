// `npm run admin -- <command>`: the operator CLI for the admin API under
// /admin/v1. It reads the operator token from ADMIN_TOKEN or --token-file and
// never prints it. Secrets that a command sends (the tenant's Lever API key and
// webhook token) are read from files, or from stdin with `-`, so they stay out
// of the shell history and the process list.
//
// Runs on Node 22 with type stripping, so only erasable TypeScript is used here.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const DEFAULT_URL = "http://127.0.0.1:8787";

interface OptionSpec {
  type: "string" | "boolean";
  value?: string;
  description: string;
  required?: boolean;
}

interface CommandSpec {
  name: string;
  summary: string;
  positionals: { name: string; description: string }[];
  options: Record<string, OptionSpec>;
  run: (context: CommandContext) => Promise<void>;
}

interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  api: ApiClient;
  json: boolean;
}

class UsageError extends Error {
  override name = "UsageError";
}

class ApiError extends Error {
  override name = "ApiError";
}

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  url: {
    type: "string",
    value: "URL",
    description: `Base URL of the sync service (default: $SERVICE_URL, else ${DEFAULT_URL}).`,
  },
  "token-file": {
    type: "string",
    value: "FILE",
    description: "File that contains the operator token (default: the ADMIN_TOKEN environment variable).",
  },
  json: { type: "boolean", description: "Print the API's JSON response instead of a summary." },
  help: { type: "boolean", description: "Show help for the command." },
};

const ACTING_USER: OptionSpec = {
  type: "string",
  value: "EMAIL",
  required: true,
  description: "Email of the Lever user who makes the change. Lever must report them as an active Super Admin.",
};

const TENANT_FIELDS: Record<string, OptionSpec> = {
  name: { type: "string", value: "TEXT", description: "Display name of the tenant (1-200 characters)." },
  "lever-api-base-url": {
    type: "string",
    value: "URL",
    description: "Base URL of the tenant's Lever API, including /v1 (for example https://api.lever.co/v1).",
  },
  "lever-api-key-file": {
    type: "string",
    value: "FILE",
    description: "File that contains the tenant's Lever API key, or - to read it from stdin. Stored encrypted.",
  },
  "lever-app-origin": {
    type: "string",
    value: "URL",
    description: "Origin of the tenant's Lever web app, used in feedback links (for example https://hire.lever.co).",
  },
  "goodtime-origin": {
    type: "string",
    value: "URL",
    description: "Origin of the tenant's GoodTime app, used in deep links (for example https://app.goodtime.io).",
  },
  "lever-webhook-token-file": {
    type: "string",
    value: "FILE",
    description: "File that contains the Lever webhook signature token, or - for stdin. Stored encrypted.",
  },
  "rate-limit-per-second": {
    type: "string",
    value: "N",
    description: "Lever requests per second allowed for this tenant, 1-100 (default on create: 8).",
  },
  "rate-limit-burst": {
    type: "string",
    value: "N",
    description: "Lever requests allowed in a burst for this tenant, 1-200 (default on create: 16).",
  },
};

const SLUG = { name: "slug", description: "The tenant's slug, as in /links/<slug>/..." };

const COMMANDS: CommandSpec[] = [
  {
    name: "tenant create",
    summary: "Create a tenant. The integration starts off, with no keys.",
    positionals: [{ name: "slug", description: "Slug of the new tenant: 1-63 lowercase letters, digits or '-'." }],
    options: {
      ...TENANT_FIELDS,
      name: { ...TENANT_FIELDS.name!, required: true },
      "lever-api-base-url": { ...TENANT_FIELDS["lever-api-base-url"]!, required: true },
      "lever-api-key-file": { ...TENANT_FIELDS["lever-api-key-file"]!, required: true },
      "lever-app-origin": { ...TENANT_FIELDS["lever-app-origin"]!, required: true },
      "goodtime-origin": { ...TENANT_FIELDS["goodtime-origin"]!, required: true },
    },
    async run({ positionals, values, api, json }) {
      const body = await api.request("POST", "/tenants", { slug: positionals[0], ...tenantFields(values) });
      if (json) return printJson(body);
      printTenant((body as { tenant: Tenant }).tenant);
    },
  },
  {
    name: "tenant update",
    summary: "Change a tenant's settings. Only the given options change.",
    positionals: [SLUG],
    options: TENANT_FIELDS,
    async run({ positionals, values, api, json }) {
      const fields = tenantFields(values);
      if (Object.keys(fields).length === 0) throw new UsageError("Nothing to change: pass at least one option.");
      const body = await api.request("PATCH", `/tenants/${segment(positionals[0]!)}`, fields);
      if (json) return printJson(body);
      printTenant((body as { tenant: Tenant }).tenant);
    },
  },
  {
    name: "tenant show",
    summary: "Show a tenant, its keys and its panel counts per sync state.",
    positionals: [SLUG],
    options: {},
    async run({ positionals, api, json }) {
      const body = (await api.request("GET", `/tenants/${segment(positionals[0]!)}`)) as {
        tenant: Tenant;
        keys: Key[];
        panels: Record<string, number>;
      };
      if (json) return printJson(body);
      printTenant(body.tenant);
      console.log("\nKeys");
      printKeys(body.keys);
      console.log("\nPanels by sync state");
      const states = Object.entries(body.panels);
      if (states.length === 0) console.log("  (none)");
      for (const [state, count] of states) console.log(`  ${state.padEnd(18)} ${count}`);
    },
  },
  {
    name: "integration enable",
    summary: "Turn the GoodTime integration on for a tenant.",
    positionals: [SLUG],
    options: { "acting-user": ACTING_USER },
    run: (context) => setIntegration(context, true),
  },
  {
    name: "integration disable",
    summary: "Turn the GoodTime integration off; GoodTime requests are then rejected with 403.",
    positionals: [SLUG],
    options: { "acting-user": ACTING_USER },
    run: (context) => setIntegration(context, false),
  },
  {
    name: "key generate",
    summary: "Generate an integration key and print it once. A tenant can hold two active keys.",
    positionals: [SLUG],
    options: { "acting-user": ACTING_USER },
    async run({ positionals, values, api, json }) {
      const body = (await api.request("POST", `/tenants/${segment(positionals[0]!)}/keys`, {
        actingUserEmail: values["acting-user"],
      })) as { key: Key; integrationKey: string };
      console.error("Copy this key now and store it in GoodTime. It cannot be shown again.");
      if (json) return printJson(body);
      console.error(`Generated key ${body.key.id} (${body.key.displayPrefix}…).`);
      console.log(body.integrationKey);
    },
  },
  {
    name: "key list",
    summary: "List a tenant's keys: display prefix, creation, last use and revocation.",
    positionals: [SLUG],
    options: {},
    async run({ positionals, api, json }) {
      const body = (await api.request("GET", `/tenants/${segment(positionals[0]!)}/keys`)) as { keys: Key[] };
      if (json) return printJson(body);
      printKeys(body.keys);
    },
  },
  {
    name: "key revoke",
    summary: "Revoke a key. GoodTime requests with it are rejected from the next request on.",
    positionals: [SLUG, { name: "key-id", description: "Id of the key, as shown by `key list`." }],
    options: { "acting-user": ACTING_USER },
    async run({ positionals, values, api, json }) {
      const path = `/tenants/${segment(positionals[0]!)}/keys/${segment(positionals[1]!)}/revoke`;
      const body = (await api.request("POST", path, { actingUserEmail: values["acting-user"] })) as { key: Key };
      if (json) return printJson(body);
      console.log(`Revoked key ${body.key.id} (${body.key.displayPrefix}…) at ${body.key.revokedAt}.`);
    },
  },
  {
    name: "audit",
    summary: "Show a tenant's audit log, newest first.",
    positionals: [SLUG],
    options: { limit: { type: "string", value: "N", description: "Number of entries to show, 1-500 (default: 100)." } },
    async run({ positionals, values, api, json }) {
      const limit = values.limit === undefined ? 100 : integerOption("limit", values.limit as string, 1, 500);
      const body = (await api.request("GET", `/tenants/${segment(positionals[0]!)}/audit?limit=${limit}`)) as {
        entries: { at: string; actor: string; action: string; detail: unknown }[];
      };
      if (json) return printJson(body);
      if (body.entries.length === 0) console.log("(no entries)");
      for (const entry of body.entries) {
        console.log(`${entry.at}  ${entry.action.padEnd(20)} ${entry.actor.padEnd(10)} ${JSON.stringify(entry.detail)}`);
      }
    },
  },
];

interface Tenant {
  id: string;
  slug: string;
  name: string;
  leverApiBaseUrl: string;
  leverAppOrigin: string;
  goodtimeOrigin: string;
  integrationEnabled: boolean;
  integrationUserId: string | null;
  leverWebhookConfigured: boolean;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  createdAt: string;
  updatedAt: string;
}

interface Key {
  id: string;
  displayPrefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

// --- Commands ------------------------------------------------------------

async function setIntegration({ positionals, values, api, json }: CommandContext, enabled: boolean): Promise<void> {
  const body = (await api.request("PUT", `/tenants/${segment(positionals[0]!)}/integration`, {
    enabled,
    actingUserEmail: values["acting-user"],
  })) as { tenant: Tenant };
  if (json) return printJson(body);
  console.log(`GoodTime integration for ${body.tenant.slug} is now ${body.tenant.integrationEnabled ? "on" : "off"}.`);
}

function tenantFields(values: CommandContext["values"]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const text = (option: string) => values[option] as string | undefined;
  if (text("name") !== undefined) fields.name = text("name");
  if (text("lever-api-base-url") !== undefined) fields.leverApiBaseUrl = text("lever-api-base-url");
  if (text("lever-app-origin") !== undefined) fields.leverAppOrigin = text("lever-app-origin");
  if (text("goodtime-origin") !== undefined) fields.goodtimeOrigin = text("goodtime-origin");
  const apiKeyFile = text("lever-api-key-file");
  if (apiKeyFile !== undefined) fields.leverApiKey = readSecret(apiKeyFile, "--lever-api-key-file");
  const webhookTokenFile = text("lever-webhook-token-file");
  if (webhookTokenFile !== undefined) fields.leverWebhookToken = readSecret(webhookTokenFile, "--lever-webhook-token-file");
  const perSecond = text("rate-limit-per-second");
  if (perSecond !== undefined) fields.rateLimitPerSecond = integerOption("rate-limit-per-second", perSecond, 1, 100);
  const burst = text("rate-limit-burst");
  if (burst !== undefined) fields.rateLimitBurst = integerOption("rate-limit-burst", burst, 1, 200);
  return fields;
}

// --- Output --------------------------------------------------------------

function printJson(body: unknown): void {
  console.log(JSON.stringify(body, null, 2));
}

function printTenant(tenant: Tenant): void {
  const rows: [string, string][] = [
    ["Slug", tenant.slug],
    ["Name", tenant.name],
    ["Id", tenant.id],
    ["GoodTime integration", tenant.integrationEnabled ? "on" : "off"],
    ["Enabled by (Lever user)", tenant.integrationUserId ?? "-"],
    ["Lever API base URL", tenant.leverApiBaseUrl],
    ["Lever app origin", tenant.leverAppOrigin],
    ["GoodTime origin", tenant.goodtimeOrigin],
    ["Lever webhook token", tenant.leverWebhookConfigured ? "configured" : "not configured"],
    ["Lever rate limit", `${tenant.rateLimitPerSecond}/s, burst ${tenant.rateLimitBurst}`],
    ["Created", tenant.createdAt],
    ["Updated", tenant.updatedAt],
  ];
  for (const [label, value] of rows) console.log(`${label.padEnd(24)} ${value}`);
}

function printKeys(keys: Key[]): void {
  if (keys.length === 0) {
    console.log("  (no keys)");
    return;
  }
  for (const key of keys) {
    const state = key.revokedAt ? `revoked ${key.revokedAt} by ${key.revokedBy ?? "-"}` : "active";
    console.log(`  ${key.id}  ${key.displayPrefix}…  created ${key.createdAt} by ${key.createdBy}`);
    console.log(`  ${" ".repeat(key.id.length)}  last used ${key.lastUsedAt ?? "never"}, ${state}`);
  }
}

// --- Input ---------------------------------------------------------------

function readSecret(path: string, option: string): string {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read ${option} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  const secret = text.trim();
  if (secret === "") throw new UsageError(`${option} ${path} is empty.`);
  return secret;
}

function integerOption(option: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

/** Encodes one path segment, so a slug or key id cannot change the request path. */
function segment(value: string): string {
  return encodeURIComponent(value);
}

// --- API client ----------------------------------------------------------

interface ApiClient {
  request(method: string, path: string, body?: unknown): Promise<unknown>;
}

function createApiClient(baseUrl: string, token: string): ApiClient {
  return {
    async request(method, path, body) {
      const url = `${baseUrl}/admin/v1${path}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const reason = cause?.code ?? cause?.message ?? (error as Error).message;
        throw new ApiError(`Could not reach the service at ${baseUrl} (${reason}). Start it, or pass --url or set SERVICE_URL.`);
      }
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text === "" ? null : JSON.parse(text);
      } catch {
        throw new ApiError(`${method} ${path} returned ${response.status} with a body that is not JSON.`);
      }
      if (!response.ok) throw new ApiError(describeApiError(response.status, parsed));
      return parsed;
    },
  };
}

function describeApiError(status: number, body: unknown): string {
  const error = (body as { error?: { code?: string; message?: string; issues?: { path: string; message: string }[] } } | null)
    ?.error;
  if (!error) return `The service returned ${status} without an error body.`;
  const lines = [`${status} ${error.code ?? "error"}: ${error.message ?? "(no message)"}`];
  for (const issue of error.issues ?? []) lines.push(`  ${issue.path}: ${issue.message}`);
  if (status === 401) lines.push("Check ADMIN_TOKEN or --token-file.");
  return lines.join("\n");
}

function resolveToken(tokenFile: string | undefined): string {
  if (tokenFile !== undefined) return readSecret(tokenFile, "--token-file");
  const token = process.env.ADMIN_TOKEN?.trim();
  if (!token) throw new UsageError("No operator token: set ADMIN_TOKEN or pass --token-file FILE.");
  return token;
}

function resolveUrl(option: string | undefined): string {
  const raw = option ?? process.env.SERVICE_URL ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url must be an http or https URL, got ${JSON.stringify(raw)}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--url must be an http or https URL, got ${JSON.stringify(raw)}.`);
  }
  return url.href.replace(/\/+$/, "");
}

// --- Help ----------------------------------------------------------------

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const flag = `--${name}${spec.value ? ` ${spec.value}` : ""}`;
    return `  ${flag.padEnd(34)} ${spec.required ? "(required) " : ""}${spec.description}`;
  });
}

function commandHelp(command: CommandSpec): string {
  const usage = [command.name, ...command.positionals.map((positional) => `<${positional.name}>`), "[options]"].join(" ");
  return [
    `Usage: npm run admin -- ${usage}`,
    "",
    command.summary,
    "",
    "Arguments:",
    ...command.positionals.map((positional) => `  ${`<${positional.name}>`.padEnd(34)} ${positional.description}`),
    "",
    "Options:",
    ...optionLines(command.options),
    ...optionLines(GLOBAL_OPTIONS),
  ].join("\n");
}

function generalHelp(): string {
  return [
    "Usage: npm run admin -- <command> [arguments] [options]",
    "",
    "Operator CLI for the GoodTime-Lever sync service's admin API.",
    "",
    "Commands:",
    ...COMMANDS.map((command) => `  ${command.name.padEnd(22)} ${command.summary}`),
    "",
    "Options for every command:",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    "Run `npm run admin -- <command> --help` for a command's arguments and options.",
  ].join("\n");
}

// --- Main ----------------------------------------------------------------

function findCommand(args: string[]): { command: CommandSpec; rest: string[] } | null {
  for (const command of COMMANDS) {
    const words = command.name.split(" ");
    if (words.every((word, index) => args[index] === word)) return { command, rest: args.slice(words.length) };
  }
  return null;
}

async function main(argv: string[]): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      console.log(generalHelp());
      return argv.length === 0 ? 2 : 0;
    }
    const words = argv.filter((arg) => !arg.startsWith("-")).slice(0, 2).join(" ");
    throw new UsageError(`Unknown command ${JSON.stringify(words)}. Run \`npm run admin -- --help\` for the list.`);
  }

  const { command, rest } = found;
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: Object.fromEntries(Object.entries(options).map(([name, spec]) => [name, { type: spec.type }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun \`npm run admin -- ${command.name} --help\`.`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(commandHelp(command));
    return 0;
  }

  const expected = command.positionals.length;
  if (parsed.positionals.length !== expected) {
    const names = command.positionals.map((positional) => `<${positional.name}>`).join(" ");
    throw new UsageError(`${command.name} takes ${names}, got ${parsed.positionals.length} argument(s). Run with --help.`);
  }
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.required && values[name] === undefined) throw new UsageError(`Missing --${name}. Run with --help.`);
  }

  const api = createApiClient(resolveUrl(values.url as string | undefined), resolveToken(values["token-file"] as string | undefined));
  await command.run({ positionals: parsed.positionals, values, api, json: values.json === true });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`Error: ${error.message}`);
      process.exitCode = 2;
    } else if (error instanceof ApiError) {
      console.error(`Error: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  },
);
