// Verification of Lever webhook deliveries. Lever signs each delivery with
// hex HMAC-SHA256, keyed by the webhook's signature token, over the string
// `token + triggeredAt`, and puts the signature in the JSON body.

import { hmacSha256Hex, timingSafeEqualStrings } from "../shared/crypto";

/** Deliveries whose triggeredAt is further than this from our clock are rejected. */
export const MAX_DELIVERY_SKEW_MS = 5 * 60_000;

export type DeliveryCheck = "valid" | "invalid_signature" | "stale_delivery";

export async function checkLeverDelivery(
  delivery: { token: string; triggeredAt: number; signature: string },
  signatureToken: string,
  now: number,
): Promise<DeliveryCheck> {
  const expected = await hmacSha256Hex(signatureToken, `${delivery.token}${delivery.triggeredAt}`);
  if (!(await timingSafeEqualStrings(expected, delivery.signature.toLowerCase()))) return "invalid_signature";
  if (Math.abs(now - delivery.triggeredAt) > MAX_DELIVERY_SKEW_MS) return "stale_delivery";
  return "valid";
}
