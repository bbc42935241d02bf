// Worker configuration, checked once per isolate and handed around as a typed object.

import { DEFAULT_RETRY_BASE_MS, DEFAULT_RETRY_CAP_MS } from "./panel/backoff";
import { setLogLevel } from "./shared/log";

export interface Bindings extends Omit<Env, "ENCRYPTION_KEY" | "ADMIN_TOKEN"> {
  /** 32 random bytes, base64: the AES-GCM key for Lever credentials at rest. */
  ENCRYPTION_KEY?: string;
  /** Operator token for /admin/v1; compared as SHA-256 digests. */
  ADMIN_TOKEN?: string;
  /** Overrides of the defaults below, as decimal strings. */
  LEVER_TIMEOUT_MS?: string;
  LEVER_RETRY_BASE_MS?: string;
  LEVER_RETRY_CAP_MS?: string;
  UPDATE_COALESCE_MS?: string;
  USER_CACHE_TTL_SECONDS?: string;
  FEEDBACK_FORMS_CACHE_TTL_SECONDS?: string;
}

export interface ServiceConfig {
  publicOrigin: string;
  encryptionKey: string | undefined;
  adminToken: string | undefined;
  leverTimeoutMs: number;
  leverRetryBaseMs: number;
  leverRetryCapMs: number;
  updateCoalesceMs: number;
  userCacheTtlMs: number;
  feedbackFormsCacheTtlMs: number;
}

const DEFAULT_LEVER_TIMEOUT_MS = 15_000;
const DEFAULT_UPDATE_COALESCE_MS = 250;
const DEFAULT_USER_CACHE_TTL_SECONDS = 300;
const DEFAULT_FEEDBACK_FORMS_CACHE_TTL_SECONDS = 300;

export function readConfig(env: Bindings): ServiceConfig {
  setLogLevel(env.LOG_LEVEL);
  return {
    publicOrigin: String(env.PUBLIC_ORIGIN).replace(/\/+$/, ""),
    encryptionKey: env.ENCRYPTION_KEY || undefined,
    adminToken: env.ADMIN_TOKEN || undefined,
    leverTimeoutMs: positiveInteger(env.LEVER_TIMEOUT_MS, DEFAULT_LEVER_TIMEOUT_MS),
    leverRetryBaseMs: positiveInteger(env.LEVER_RETRY_BASE_MS, DEFAULT_RETRY_BASE_MS),
    leverRetryCapMs: positiveInteger(env.LEVER_RETRY_CAP_MS, DEFAULT_RETRY_CAP_MS),
    updateCoalesceMs: nonNegativeInteger(env.UPDATE_COALESCE_MS, DEFAULT_UPDATE_COALESCE_MS),
    userCacheTtlMs: positiveInteger(env.USER_CACHE_TTL_SECONDS, DEFAULT_USER_CACHE_TTL_SECONDS) * 1000,
    feedbackFormsCacheTtlMs:
      positiveInteger(env.FEEDBACK_FORMS_CACHE_TTL_SECONDS, DEFAULT_FEEDBACK_FORMS_CACHE_TTL_SECONDS) * 1000,
  };
}

function nonNegativeInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 0 ? parsed : fallback;
}

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** Builds the deep link that Lever panels carry as `externalUrl` ("View in External App"). */
export function panelDeepLink(publicOrigin: string, tenantSlug: string, externalPanelId: string): string {
  return `${publicOrigin}/links/${tenantSlug}/panels/${externalPanelId}`;
}
