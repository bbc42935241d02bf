import { describe, expect, it } from "vitest";
import fixtureSignatureToken from "../../fixtures/lever/webhook-signature-token.txt?raw";
import deletedFixture from "../../fixtures/lever/webhook-interviewDeleted.json";
import { call, createPanel, INTERVIEW_DATE, interviewBody, interviewsPath, MARIA, manualPanel, newAccount, panelsPath, USER } from "./helpers";

const SIGNATURE_TOKEN = fixtureSignatureToken.trim();
const ALL_EVENTS = ["interviewCreated", "interviewUpdated", "interviewDeleted"];

/** Verify a Lever webhook the way a receiver does: hex HMAC-SHA256 of token + triggeredAt. */
async function leverSignature(signatureToken: string, token: string, triggeredAt: number): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(signatureToken), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${token}${triggeredAt}`));
  return [...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function subscribe(apiKey: string, events = ALL_EVENTS, url?: string) {
  const reply = await call(apiKey, "PUT", "/_sandbox/webhooks", { url, signatureToken: SIGNATURE_TOKEN, events });
  expect(reply.status).toBe(200);
}

async function deliveries(apiKey: string) {
  return (await call(apiKey, "GET", "/_sandbox/webhooks/deliveries")).body.data;
}

describe("webhook signature", () => {
  it("webhook verifier matches fixture", async () => {
    const signature = await leverSignature(SIGNATURE_TOKEN, deletedFixture.token, deletedFixture.triggeredAt);
    expect(signature).toBe(deletedFixture.signature);
  });

  it("webhook sandbox signs like fixture", async () => {
    const apiKey = await newAccount();
    await subscribe(apiKey);
    const reply = await call(apiKey, "POST", "/_sandbox/webhooks/sign", { token: deletedFixture.token, triggeredAt: deletedFixture.triggeredAt });
    expect(reply.body).toEqual({ signature: deletedFixture.signature });
  });

  it("webhook deleted delivery verified", async () => {
    const apiKey = await newAccount();
    await subscribe(apiKey);
    const manual = await manualPanel(apiKey);
    const interviewId = manual.interviews[0].id;
    await call(apiKey, "DELETE", `/_sandbox/opportunities/${MARIA.id}/interviews/${interviewId}`);
    const [delivery] = await deliveries(apiKey);
    expect(delivery).toMatchObject({ event: "interviewDeleted", url: null, status: "stored", attempts: 0 });
    const payload = delivery.payload;
    expect(Object.keys(payload)).toEqual(Object.keys(deletedFixture));
    expect(Object.keys(payload.data)).toEqual(Object.keys(deletedFixture.data));
    expect(payload.data).toEqual({ interviewId, panelId: manual.id, opportunityId: MARIA.id, deletedAt: expect.any(Number) });
    expect(payload.token).toMatch(/^[0-9a-f]{48}$/);
    expect(payload.signature).toBe(await leverSignature(SIGNATURE_TOKEN, payload.token, payload.triggeredAt));
  });
});

describe("webhook events", () => {
  it("webhook events for api writes", async () => {
    const apiKey = await newAccount();
    await subscribe(apiKey);
    const panel = await createPanel(apiKey, { interviews: [interviewBody({ subject: "A" }), interviewBody({ subject: "B" })] });
    const [first, second] = panel.interviews;
    const asBen = `?perform_as=${USER.ben}`;
    await call(apiKey, "PUT", `${interviewsPath()}/${first.id}${asBen}`, { ...interviewBody({ date: INTERVIEW_DATE + 1000 }), panel: panel.id });
    await call(apiKey, "DELETE", `${panelsPath()}/${panel.id}${asBen}`);

    const outbox = await deliveries(apiKey);
    expect(outbox.map((delivery: { event: string; payload: { data: { interviewId: string } } }) => [delivery.event, delivery.payload.data.interviewId])).toEqual([
      ["interviewCreated", first.id],
      ["interviewCreated", second.id],
      ["interviewUpdated", first.id],
      ["interviewDeleted", first.id],
      ["interviewDeleted", second.id],
    ]);
    expect(outbox[0].payload.data).toEqual({ interviewId: first.id, panelId: panel.id, opportunityId: MARIA.id, createdAt: panel.createdAt });
    expect(outbox[2].payload.data).toEqual({ interviewId: first.id, panelId: panel.id, opportunityId: MARIA.id, updatedAt: expect.any(Number) });
    const tokens = new Set(outbox.map((delivery: { payload: { token: string } }) => delivery.payload.token));
    expect(tokens.size).toBe(5);
    for (const delivery of outbox) {
      expect(delivery.payload.signature).toBe(await leverSignature(SIGNATURE_TOKEN, delivery.payload.token, delivery.payload.triggeredAt));
    }
  });

  it("webhook ui panel delete", async () => {
    const apiKey = await newAccount();
    await subscribe(apiKey);
    const manual = await manualPanel(apiKey);
    const reply = await call(apiKey, "DELETE", `/_sandbox/opportunities/${MARIA.id}/panels/${manual.id}`);
    expect(reply.status).toBe(204);
    const outbox = await deliveries(apiKey);
    expect(outbox).toHaveLength(1);
    expect(outbox[0].payload).toMatchObject({ event: "interviewDeleted", data: { interviewId: manual.interviews[0].id, panelId: manual.id } });
  });

  it("webhook unsubscribed events skipped", async () => {
    const apiKey = await newAccount();
    await subscribe(apiKey, ["interviewDeleted"]);
    const panel = await createPanel(apiKey);
    expect(await deliveries(apiKey)).toEqual([]);
    await call(apiKey, "DELETE", `${panelsPath()}/${panel.id}?perform_as=${USER.ben}`);
    expect((await deliveries(apiKey)).map((delivery: { event: string }) => delivery.event)).toEqual(["interviewDeleted"]);
  });

  it("webhook none without config", async () => {
    const apiKey = await newAccount();
    await createPanel(apiKey);
    expect(await deliveries(apiKey)).toEqual([]);
    expect((await call(apiKey, "GET", "/_sandbox/webhooks")).body).toEqual({ data: null });
  });

  it("webhook failed post recorded", async () => {
    const apiKey = await newAccount();
    // Nothing listens on the discard port, so the POST fails without leaving the machine.
    await subscribe(apiKey, ALL_EVENTS, "http://127.0.0.1:9/lever-webhooks");
    await createPanel(apiKey);
    let delivery = (await deliveries(apiKey))[0];
    for (let attempt = 0; attempt < 50 && delivery.status === "pending"; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      delivery = (await deliveries(apiKey))[0];
    }
    expect(delivery).toMatchObject({ url: "http://127.0.0.1:9/lever-webhooks", status: "failed", responseStatus: null, attempts: 1 });
    expect(delivery.error).toEqual(expect.any(String));
  });

  it("webhook config validation 400", async () => {
    const apiKey = await newAccount();
    const badEvent = await call(apiKey, "PUT", "/_sandbox/webhooks", { signatureToken: "t", events: ["candidateHired"] });
    const noToken = await call(apiKey, "PUT", "/_sandbox/webhooks", { events: ALL_EVENTS });
    const badUrl = await call(apiKey, "PUT", "/_sandbox/webhooks", { url: "not a url", signatureToken: "t", events: ALL_EVENTS });
    expect([badEvent.status, noToken.status, badUrl.status]).toEqual([400, 400, 400]);
  });
});
