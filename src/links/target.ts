// Redirect targets of the deep links. Pure: the origin always comes from the
// tenant's configuration and ids are checked against strict patterns, so no
// part of the request can steer the redirect to another site.

import { EXTERNAL_ID_PATTERN, LEVER_ID_PATTERN } from "../goodtime/schemas";

export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function candidateScheduleTarget(goodtimeOrigin: string, opportunityId: string): string | null {
  if (!LEVER_ID_PATTERN.test(opportunityId)) return null;
  return `${originOf(goodtimeOrigin)}/dashboard/candidates/lever/${opportunityId}/schedule`;
}

export function panelTarget(goodtimeOrigin: string, externalPanelId: string): string | null {
  if (!EXTERNAL_ID_PATTERN.test(externalPanelId)) return null;
  return `${originOf(goodtimeOrigin)}/dashboard/interview/${externalPanelId}`;
}

// Reduces a configured origin to scheme, host and port; configuration is
// validated on write, so this only guards against a trailing slash or path.
function originOf(configured: string): string {
  return new URL(configured).origin;
}
