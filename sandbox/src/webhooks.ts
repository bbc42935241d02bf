import type { InterviewEvent } from "./types";

export interface WebhookConfig {
  /** URL that receives the deliveries. Null keeps them only in the outbox. */
  url: string | null;
  /** Key of the HMAC-SHA256 signature, as Lever shows it on the webhook settings page. */
  signatureToken: string;
  events: InterviewEvent[];
}

export interface InterviewEventData {
  interviewId: string;
  panelId: string;
  opportunityId: string;
  createdAt?: number;
  updatedAt?: number;
  deletedAt?: number;
}

/** Body of one webhook POST, with the field order of Lever's payloads. */
export interface WebhookPayload {
  triggeredAt: number;
  event: InterviewEvent;
  token: string;
  signature: string;
  data: InterviewEventData;
}

/** Delivery state: `stored` (no URL configured), `pending` (POST in flight), `delivered` (2xx) or `failed`. */
export type DeliveryStatus = "stored" | "pending" | "delivered" | "failed";

export interface Delivery {
  id: string;
  event: InterviewEvent;
  url: string | null;
  payload: WebhookPayload;
  status: DeliveryStatus;
  /** HTTP status of the last POST, or null when none completed. */
  responseStatus: number | null;
  error: string | null;
  attempts: number;
}

export type WaitUntil = (promise: Promise<unknown>) => void;

const DELIVERY_TIMEOUT_MS = 10_000;

function toHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Compute Lever's webhook signature: hex HMAC-SHA256, keyed by the signature token, over `token + triggeredAt`. */
export async function signWebhook(signatureToken: string, token: string, triggeredAt: number): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(signatureToken), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", key, encoder.encode(token + String(triggeredAt))));
}

function randomToken(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(24)).buffer);
}

/** POST a delivery to its URL in the background and record the outcome on it. */
export function sendDelivery(delivery: Delivery, waitUntil: WaitUntil): void {
  const url = delivery.url;
  if (url === null) return;
  delivery.status = "pending";
  delivery.attempts += 1;
  const attempt = async (): Promise<void> => {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(delivery.payload),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.body?.cancel();
      delivery.responseStatus = response.status;
      delivery.status = response.ok ? "delivered" : "failed";
      delivery.error = response.ok ? null : `receiver returned HTTP ${response.status}`;
    } catch (error) {
      delivery.status = "failed";
      delivery.error = String(error);
      console.warn(`webhook delivery ${delivery.id} (${delivery.event}) to ${url} failed: ${String(error)}`);
    }
  };
  waitUntil(attempt());
}

/**
 * Add a signed delivery for `event` to the outbox and send it when a URL is configured.
 * Does nothing when no webhook is configured or the event is not subscribed, as Lever sends only subscribed events.
 */
export async function emitInterviewEvent(
  config: WebhookConfig | null,
  outbox: Delivery[],
  event: InterviewEvent,
  data: InterviewEventData,
  waitUntil: WaitUntil,
): Promise<void> {
  if (config === null || !config.events.includes(event)) return;
  const triggeredAt = Date.now();
  const token = randomToken();
  const signature = await signWebhook(config.signatureToken, token, triggeredAt);
  const delivery: Delivery = {
    id: crypto.randomUUID(),
    event,
    url: config.url,
    payload: { triggeredAt, event, token, signature, data },
    status: "stored",
    responseStatus: null,
    error: null,
    attempts: 0,
  };
  outbox.push(delivery);
  sendDelivery(delivery, waitUntil);
}
