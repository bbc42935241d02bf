// Reads and validates the settings page's form posts. Every failure becomes an
// AppError with a message meant for the page, never an exception that ends in a 500.

import { z } from "zod";
import { readBodyText } from "../../shared/body";
import { AppError } from "../../shared/errors";

/** The largest form post accepted; the biggest real one is well under 1 KiB. */
export const MAX_FORM_BYTES = 8 * 1024;
export const CSRF_FIELD = "_csrf";

export async function readForm(request: Request): Promise<URLSearchParams> {
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded") {
    throw new AppError(415, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.");
  }
  return new URLSearchParams(await readBodyText(request, MAX_FORM_BYTES));
}

const ActingUserEmail = z
  .string({ error: "Enter the email address of your Lever user." })
  .trim()
  .min(1, "Enter the email address of your Lever user.")
  .max(320, "The email address is longer than 320 characters.")
  .pipe(z.email("Enter a valid email address, such as ada@example.com."));

const IntegrationForm = z.object({
  actingUserEmail: ActingUserEmail,
  enabled: z.enum(["true", "false"], { error: "Choose whether to turn the integration on or off." }),
});

const ActingUserForm = z.object({ actingUserEmail: ActingUserEmail });

const LoginForm = z.object({
  token: z
    .string({ error: "Enter the operator token." })
    .min(1, "Enter the operator token.")
    .max(1000, "The operator token is longer than 1000 characters."),
});

function parseWith<T>(schema: z.ZodType<T>, form: URLSearchParams, fields: string[]): T {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = form.get(field);
    if (value !== null) values[field] = value;
  }
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw new AppError(400, "invalid_request", first?.message ?? "The form is invalid.", {
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  });
}

export function parseIntegrationForm(form: URLSearchParams): { actingUserEmail: string; enabled: boolean } {
  const parsed = parseWith(IntegrationForm, form, ["actingUserEmail", "enabled"]);
  return { actingUserEmail: parsed.actingUserEmail, enabled: parsed.enabled === "true" };
}

export function parseActingUserForm(form: URLSearchParams): { actingUserEmail: string } {
  return parseWith(ActingUserForm, form, ["actingUserEmail"]);
}

export function parseLoginForm(form: URLSearchParams): { token: string } {
  return parseWith(LoginForm, form, ["token"]);
}
