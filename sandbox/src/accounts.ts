import feedbackTemplatesFixture from "../../fixtures/lever/feedback_templates.json";
import opportunitiesFixture from "../../fixtures/lever/opportunities.json";
import usersFixture from "../../fixtures/lever/users.json";
import type { StoredFaultRule } from "./faults";
import type { Sequenced } from "./pagination";
import { DEFAULT_RANDOM_SEED, SeededRandom } from "./random";
import { TokenBucket } from "./rate-limit";
import { feedbackTemplateSchema, opportunitySchema, userSchema } from "./schemas";
import type { FeedbackTemplate, Interview, Opportunity, Panel, SandboxBindings, User } from "./types";
import type { Delivery, WebhookConfig } from "./webhooks";

/** Key of the default account when the SANDBOX_API_KEY binding is absent (as in the vitest auxiliary worker). */
export const FALLBACK_API_KEY = "sandbox-demo-key";

export interface StoredPanel {
  seq: number;
  opportunityId: string;
  panel: Panel;
}

export interface CallRecord {
  method: string;
  /** Route template, e.g. "/v1/opportunities/:opportunity/panels". */
  route: string;
  /** Path and query string as requested. */
  path: string;
  /** Status sent to the client, or null while the call runs and when no response was sent (hang, drop). */
  status: number | null;
  at: number;
  fault?: { id: string; kind: string; appliedStatus?: number };
}

/** One isolated Lever tenant, selected by its API key. */
export interface Account {
  readonly apiKey: string;
  /** Whether reset fills the account from the fixtures (false for accounts created with `{seed: false}`). */
  readonly seedFixtures: boolean;
  nextSeq: number;
  users: Map<string, Sequenced<User>>;
  feedbackTemplates: Map<string, Sequenced<FeedbackTemplate>>;
  opportunities: Map<string, Sequenced<Opportunity>>;
  /** Merged opportunity id → id it was merged into. */
  mergedInto: Map<string, string>;
  panels: Map<string, StoredPanel>;
  interviewSeq: Map<string, number>;
  calls: CallRecord[];
  faults: StoredFaultRule[];
  rateLimit: TokenBucket;
  random: SeededRandom;
  webhook: WebhookConfig | null;
  deliveries: Delivery[];
}

// Parse once at start-up so a fixture that drifts from the stored shape fails loudly.
const fixtureUsers = userSchema.array().parse(usersFixture.data);
const fixtureTemplates = feedbackTemplateSchema.array().parse(feedbackTemplatesFixture.data);
const fixtureOpportunities = opportunitySchema.array().parse(opportunitiesFixture.data);

// State lives in the isolate's memory: it survives between requests and is lost when the isolate restarts.
const accounts = new Map<string, Account>();

export function allocateSeq(account: Account): number {
  account.nextSeq += 1;
  return account.nextSeq;
}

/** Fixture users in Lever's manual panels: an admin schedules, a team member interviews. */
const SEED_SCHEDULER_ID = "e1412f14-5a8a-5751-89b6-0c723c277860";
const SEED_INTERVIEWER_ID = "f2879a0d-4a3e-54a8-bf84-0140c4a68bb7";
const SEED_TEMPLATE_ID = "2f70ec2a-7595-512b-8551-b63736c1eb30";
const SEED_FIRST_INTERVIEW_AT = 1_766_138_400_000;
const DAY_MS = 86_400_000;

/**
 * Build the panel a recruiter scheduled by hand in Lever for the fixture opportunity at `index`.
 * It is not externally managed, so the API must refuse to change it.
 */
function seedManualPanel(account: Account, opportunity: Opportunity, index: number): StoredPanel {
  const interviewer = account.users.get(SEED_INTERVIEWER_ID)?.value;
  if (!interviewer) throw new Error(`fixture user ${SEED_INTERVIEWER_ID} is missing from users.json`);
  const panelId = crypto.randomUUID();
  const createdAt = opportunity.updatedAt;
  const interview: Interview = {
    id: crypto.randomUUID(),
    panel: panelId,
    subject: `Phone screen – ${opportunity.name}`,
    note: "Scheduled in Lever by the recruiter.",
    interviewers: [{ id: interviewer.id, email: interviewer.email, name: interviewer.name, feedbackTemplate: SEED_TEMPLATE_ID }],
    timezone: "Europe/Paris",
    createdAt,
    date: SEED_FIRST_INTERVIEW_AT + index * DAY_MS,
    duration: 30,
    location: "Phone",
    feedbackTemplate: SEED_TEMPLATE_ID,
    feedbackForms: [],
    feedbackReminder: "frequently",
    user: SEED_SCHEDULER_ID,
    stage: opportunity.stage,
    canceledAt: null,
    postings: [],
    gcalEventUrl: null,
  };
  account.interviewSeq.set(interview.id, allocateSeq(account));
  return {
    seq: allocateSeq(account),
    opportunityId: opportunity.id,
    panel: {
      id: panelId,
      applications: [...opportunity.applications],
      canceledAt: null,
      createdAt,
      timezone: "Europe/Paris",
      feedbackReminder: "frequently",
      user: SEED_SCHEDULER_ID,
      note: null,
      externalUrl: null,
      externallyManaged: false,
      interviews: [interview],
    },
  };
}

function fillFromFixtures(account: Account): void {
  for (const user of fixtureUsers) account.users.set(user.id, { seq: allocateSeq(account), value: structuredClone(user) });
  for (const template of fixtureTemplates) {
    account.feedbackTemplates.set(template.id, { seq: allocateSeq(account), value: structuredClone(template) });
  }
  fixtureOpportunities.forEach((opportunity, index) => {
    account.opportunities.set(opportunity.id, { seq: allocateSeq(account), value: structuredClone(opportunity) });
    const stored = seedManualPanel(account, opportunity, index);
    account.panels.set(stored.panel.id, stored);
  });
}

/** Empty the account's data, calls, faults and outbox, then refill from the fixtures if it is seeded. */
export function resetAccount(account: Account): void {
  account.nextSeq = 0;
  account.users.clear();
  account.feedbackTemplates.clear();
  account.opportunities.clear();
  account.mergedInto.clear();
  account.panels.clear();
  account.interviewSeq.clear();
  account.calls.length = 0;
  account.faults.length = 0;
  account.deliveries.length = 0;
  account.random = new SeededRandom(account.random.seed);
  if (account.seedFixtures) fillFromFixtures(account);
}

export function createAccount(apiKey: string, seedFixtures: boolean): Account {
  const account: Account = {
    apiKey,
    seedFixtures,
    nextSeq: 0,
    users: new Map(),
    feedbackTemplates: new Map(),
    opportunities: new Map(),
    mergedInto: new Map(),
    panels: new Map(),
    interviewSeq: new Map(),
    calls: [],
    faults: [],
    rateLimit: new TokenBucket(),
    random: new SeededRandom(DEFAULT_RANDOM_SEED),
    webhook: null,
    deliveries: [],
  };
  resetAccount(account);
  accounts.set(apiKey, account);
  return account;
}

/** Return the account for `apiKey`. The default account is created from the fixtures on first use. */
export function findAccount(apiKey: string, env: SandboxBindings): Account | undefined {
  const existing = accounts.get(apiKey);
  if (existing) return existing;
  if (apiKey === (env.SANDBOX_API_KEY ?? FALLBACK_API_KEY)) return createAccount(apiKey, true);
  return undefined;
}

/** Follow merge links from `opportunityId` to the surviving id, or return null when it was never merged. */
export function survivingOpportunityId(account: Account, opportunityId: string): string | null {
  let current = account.mergedInto.get(opportunityId);
  if (current === undefined) return null;
  for (let next = account.mergedInto.get(current); next !== undefined; next = account.mergedInto.get(current)) current = next;
  return current;
}

/** Find an interview by id in any account (interview ids are random UUIDs, so they do not collide). */
export function findInterviewInAnyAccount(
  interviewId: string,
): { account: Account; stored: StoredPanel; interview: Interview } | undefined {
  for (const account of accounts.values()) {
    for (const stored of account.panels.values()) {
      const interview = stored.panel.interviews.find((candidate) => candidate.id === interviewId);
      if (interview) return { account, stored, interview };
    }
  }
  return undefined;
}
