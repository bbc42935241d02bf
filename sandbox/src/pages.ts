import type { Hono } from "hono";
import { findInterviewInAnyAccount } from "./accounts";
import type { SandboxEnv } from "./hono-env";
import type { Interview } from "./types";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function formatRange(interview: Interview): string {
  const format = new Intl.DateTimeFormat("en-GB", { timeZone: interview.timezone, dateStyle: "full", timeStyle: "short" });
  const end = interview.date + interview.duration * 60_000;
  return `${format.format(interview.date)} – ${new Intl.DateTimeFormat("en-GB", { timeZone: interview.timezone, timeStyle: "short" }).format(end)} (${interview.timezone})`;
}

function renderInterviewPage(interview: Interview, candidateName: string | undefined): string {
  const interviewers = interview.interviewers
    .map((interviewer) => `<li>${escapeHtml(interviewer.name)} &lt;${escapeHtml(interviewer.email)}&gt;</li>`)
    .join("");
  const subject = interview.subject === "" ? "Interview" : interview.subject;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(subject)} · Lever sandbox</title></head>
<body>
<h1>${escapeHtml(subject)}</h1>
${candidateName === undefined ? "" : `<p>Candidate: ${escapeHtml(candidateName)}</p>`}
<p>When: <time datetime="${new Date(interview.date).toISOString()}">${escapeHtml(formatRange(interview))}</time>, ${interview.duration} minutes</p>
${interview.canceledAt === null ? "" : "<p><strong>Canceled</strong></p>"}
<h2>Interviewers</h2>
<ul>${interviewers}</ul>
<p>Feedback form of the Lever sandbox; it stands in for the interview page of Lever's app.</p>
</body>
</html>`;
}

/** Register pages outside the API: health check and the interview page that feedback links point to. */
export function registerPages(app: Hono<SandboxEnv>): void {
  app.get("/healthz", (c) => c.json({ ok: true }));

  app.get("/interviews/:interview", (c) => {
    const found = findInterviewInAnyAccount(c.req.param("interview"));
    if (!found) return c.html("<!doctype html><title>Not found</title><h1>Interview not found</h1>", 404);
    const candidate = found.account.opportunities.get(found.stored.opportunityId)?.value.name;
    return c.html(renderInterviewPage(found.interview, candidate));
  });
}
