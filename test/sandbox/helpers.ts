import feedbackTemplates from "../../fixtures/lever/feedback_templates.json";
import opportunities from "../../fixtures/lever/opportunities.json";
import users from "../../fixtures/lever/users.json";

// In vitest every outbound fetch goes to the lever-sandbox auxiliary worker, whatever the host.
export const SANDBOX = "https://lever-sandbox.test";

function userId(username: string): string {
  const user = users.data.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`fixture user ${username} not found`);
  return user.id;
}

export const USER = {
  ada: userId("ada"), // super admin
  ben: userId("ben"), // admin
  chloe: userId("chloe"), // team member
  dev: userId("dev"), // interviewer
  emi: userId("emi"), // interviewer
  farah: userId("farah"), // limited team member
  gus: userId("gus"), // interviewer, deactivated
};

export const TEMPLATE = {
  systemDesign: feedbackTemplates.data[0]!.id,
  coding: feedbackTemplates.data[1]!.id,
  phoneScreen: feedbackTemplates.data[3]!.id,
};

export const MARIA = opportunities.data[0]!;
export const KWAME = opportunities.data[1]!;

export function basicAuth(apiKey: string): string {
  return "Basic " + btoa(apiKey + ":");
}

export interface Reply {
  status: number;
  headers: Headers;
  // Parsed JSON, the text of other bodies, or null for an empty body.
  body: any;
}

/** Send one request to the sandbox and read the whole body. */
export async function call(
  apiKey: string | null,
  method: string,
  path: string,
  body?: unknown,
  init: RequestInit = {},
): Promise<Reply> {
  const headers = new Headers(init.headers);
  if (apiKey !== null) headers.set("Authorization", basicAuth(apiKey));
  if (body !== undefined) headers.set("Content-Type", "application/json");
  // A string body is sent as is, so tests can send malformed JSON.
  let requestBody: string | undefined;
  if (typeof body === "string") requestBody = body;
  else if (body !== undefined) requestBody = JSON.stringify(body);
  const response = await fetch(SANDBOX + path, { ...init, method, headers, body: requestBody });

  const text = await response.text();
  const isJson = response.headers.get("content-type")?.includes("application/json") ?? false;
  let parsed: unknown = text;
  if (text === "") parsed = null;
  else if (isJson) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Create a fresh account through the control API and return its API key. */
export async function newAccount(seed = true): Promise<string> {
  const reply = await call(null, "POST", "/_sandbox/accounts", { seed });
  if (reply.status !== 201) throw new Error(`account creation failed: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.apiKey;
}

/** Raise the account's rate limit for tests that send more than the default burst of 20 requests. */
export async function liftRateLimit(apiKey: string): Promise<void> {
  const reply = await call(apiKey, "PUT", "/_sandbox/rate-limit", { perSecond: 1000, burst: 1000 });
  if (reply.status !== 200) throw new Error(`rate limit change failed: HTTP ${reply.status}`);
}

export const INTERVIEW_DATE = 1_767_000_000_000;

export function interviewBody(overrides: Record<string, unknown> = {}) {
  return {
    subject: "Onsite: system design",
    note: "Bring the whiteboard.",
    interviewers: [{ id: USER.chloe, feedbackTemplate: TEMPLATE.systemDesign }],
    date: INTERVIEW_DATE,
    duration: 60,
    location: "Room 4",
    feedbackTemplate: TEMPLATE.systemDesign,
    ...overrides,
  };
}

export function panelBody(overrides: Record<string, unknown> = {}) {
  return {
    timezone: "America/New_York",
    externallyManaged: true,
    externalUrl: "https://goodtime.example/panels/42",
    note: "Scheduled by GoodTime",
    interviews: [interviewBody()],
    ...overrides,
  };
}

export function panelsPath(opportunityId = MARIA.id): string {
  return `/v1/opportunities/${opportunityId}/panels`;
}

export function interviewsPath(opportunityId = MARIA.id): string {
  return `/v1/opportunities/${opportunityId}/interviews`;
}

/** Create an externally managed panel as Ben (admin) and return it. */
export async function createPanel(apiKey: string, overrides: Record<string, unknown> = {}, opportunityId = MARIA.id) {
  const reply = await call(apiKey, "POST", `${panelsPath(opportunityId)}?perform_as=${USER.ben}`, panelBody(overrides));
  if (reply.status !== 201) throw new Error(`panel creation failed: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data;
}

/** Return the panel Lever's UI created for the opportunity in the fixtures (not externally managed). */
export async function manualPanel(apiKey: string, opportunityId = MARIA.id) {
  const reply = await call(apiKey, "GET", panelsPath(opportunityId));
  const panel = reply.body.data.find((candidate: { externallyManaged: boolean }) => !candidate.externallyManaged);
  if (!panel) throw new Error(`no manual panel on opportunity ${opportunityId}`);
  return panel;
}
