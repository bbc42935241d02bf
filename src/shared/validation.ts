// The hook for @hono/zod-validator, so validation failures carry the same
// error shape as every other error: a stable code and each failing field path.

import type { z } from "zod";

import { AppError } from "./errors";

export function validationHook(result: { success: true } | { success: false; error: z.core.$ZodError }): void {
  if (result.success) return;
  throw new AppError(400, "invalid_request", "The request body is invalid.", {
    issues: result.error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)",
      message: issue.message,
    })),
  });
}
