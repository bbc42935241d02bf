import type { Hono } from "hono";
import type { Account, StoredPanel } from "../accounts";
import { ApiError } from "../errors";
import type { SandboxEnv } from "../hono-env";
import { paginate, type Sequenced } from "../pagination";
import { interviewWithPanelInput, panelInput } from "../panel-input";
import {
  addInterview,
  createPanel,
  deleteInterview,
  deletePanel,
  panelsOfOpportunity,
  replaceInterview,
  requireInterview,
  requireOpportunity,
  requirePanel,
} from "../panel-store";
import { readInput, waitUntilOf } from "../request";
import type { Interview, User } from "../types";

/**
 * Check the `perform_as` user of a write. Missing or unknown → 400, deactivated → 403, and
 * the `interviewer` access role → 403, because interviewers cannot schedule in Lever.
 */
function requirePerformer(account: Account, performAs: string | undefined): User {
  if (performAs === undefined || performAs === "") {
    throw new ApiError(400, "Missing perform_as: pass the id of the Lever user the write is made on behalf of");
  }
  const user = account.users.get(performAs)?.value;
  if (!user) throw new ApiError(400, `perform_as: user ${performAs} not found`);
  if (user.deactivatedAt !== null) throw new ApiError(403, `perform_as: user ${performAs} is deactivated`);
  if (user.accessRole === "interviewer") {
    throw new ApiError(403, `perform_as: user ${performAs} has the interviewer access role, which cannot schedule interviews`);
  }
  return user;
}

/** Lever lets the API change only panels that an API client created with `externallyManaged: true`. */
function requireExternallyManaged(stored: StoredPanel): void {
  if (!stored.panel.externallyManaged) {
    throw new ApiError(
      403,
      `Panel ${stored.panel.id} is not externally managed: only panels created through the API with externallyManaged: true can be changed through it`,
    );
  }
}

function interviewsOfOpportunity(account: Account, opportunityId: string): Sequenced<Interview>[] {
  return panelsOfOpportunity(account, opportunityId).flatMap((stored) =>
    stored.panel.interviews.map((interview) => ({ seq: account.interviewSeq.get(interview.id) ?? 0, value: interview })),
  );
}

export function registerPanelRoutes(app: Hono<SandboxEnv>): void {
  app.get("/v1/opportunities/:opportunity/panels", (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    const panels = panelsOfOpportunity(account, opportunity.id).map((stored) => ({ seq: stored.seq, value: stored.panel }));
    return c.json(paginate(panels, c.req.query()));
  });

  app.get("/v1/opportunities/:opportunity/panels/:panel", (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    return c.json({ data: requirePanel(account, opportunity.id, c.req.param("panel")).panel });
  });

  app.post("/v1/opportunities/:opportunity/panels", async (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    const performer = requirePerformer(account, c.req.query("perform_as"));
    const input = await readInput(c, panelInput);
    const panel = await createPanel(account, opportunity, input, performer.id, waitUntilOf(c));
    return c.json({ data: panel }, 201);
  });

  app.delete("/v1/opportunities/:opportunity/panels/:panel", async (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    requirePerformer(account, c.req.query("perform_as"));
    const stored = requirePanel(account, opportunity.id, c.req.param("panel"));
    requireExternallyManaged(stored);
    await deletePanel(account, stored, waitUntilOf(c));
    return c.body(null, 204);
  });

  app.get("/v1/opportunities/:opportunity/interviews", (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    return c.json(paginate(interviewsOfOpportunity(account, opportunity.id), c.req.query()));
  });

  app.get("/v1/opportunities/:opportunity/interviews/:interview", (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    return c.json({ data: requireInterview(account, opportunity.id, c.req.param("interview")).interview });
  });

  app.post("/v1/opportunities/:opportunity/interviews", async (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    const performer = requirePerformer(account, c.req.query("perform_as"));
    const input = await readInput(c, interviewWithPanelInput);
    const stored = account.panels.get(input.panel);
    if (!stored || stored.opportunityId !== opportunity.id) {
      throw new ApiError(400, `panel: panel ${input.panel} not found on opportunity ${opportunity.id}`);
    }
    requireExternallyManaged(stored);
    const interview = await addInterview(account, stored, input, performer.id, waitUntilOf(c));
    return c.json({ data: interview }, 201);
  });

  app.put("/v1/opportunities/:opportunity/interviews/:interview", async (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    requirePerformer(account, c.req.query("perform_as"));
    const { stored, interview } = requireInterview(account, opportunity.id, c.req.param("interview"));
    requireExternallyManaged(stored);
    const input = await readInput(c, interviewWithPanelInput);
    if (input.panel !== stored.panel.id) {
      throw new ApiError(400, `panel: interview ${interview.id} belongs to panel ${stored.panel.id}; moving it to ${input.panel} is not supported`);
    }
    return c.json({ data: await replaceInterview(account, stored, interview, input, waitUntilOf(c)) });
  });

  app.delete("/v1/opportunities/:opportunity/interviews/:interview", async (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    requirePerformer(account, c.req.query("perform_as"));
    const { stored, interview } = requireInterview(account, opportunity.id, c.req.param("interview"));
    requireExternallyManaged(stored);
    await deleteInterview(account, stored, interview.id, waitUntilOf(c));
    return c.body(null, 204);
  });
}
