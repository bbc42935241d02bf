import { describe, expect, it } from "vitest";
import {
  call,
  createPanel,
  INTERVIEW_DATE,
  interviewBody,
  interviewsPath,
  MARIA,
  manualPanel,
  newAccount,
  panelsPath,
  TEMPLATE,
  USER,
} from "./helpers";

const asBen = `?perform_as=${USER.ben}`;

describe("interview add", () => {
  it("interview add to panel", async () => {
    const apiKey = await newAccount();
    const panel = await createPanel(apiKey);
    const body = { ...interviewBody({ subject: "Coding", interviewers: [{ id: USER.emi }], feedbackTemplate: TEMPLATE.coding }), panel: panel.id };
    const reply = await call(apiKey, "POST", `${interviewsPath()}${asBen}`, body);
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      data: {
        id: expect.any(String),
        panel: panel.id,
        subject: "Coding",
        note: "Bring the whiteboard.",
        interviewers: [{ id: USER.emi, email: "emi.sato@acme.example", name: "Emi Sato", feedbackTemplate: TEMPLATE.coding }],
        timezone: "America/New_York",
        createdAt: expect.any(Number),
        date: INTERVIEW_DATE,
        duration: 60,
        location: "Room 4",
        feedbackTemplate: TEMPLATE.coding,
        feedbackForms: [],
        feedbackReminder: "frequently",
        user: USER.ben,
        stage: MARIA.stage,
        canceledAt: null,
        postings: [],
        gcalEventUrl: null,
      },
    });
    const after = await call(apiKey, "GET", `${panelsPath()}/${panel.id}`);
    expect(after.body.data.interviews.map((interview: { id: string }) => interview.id)).toEqual([panel.interviews[0].id, reply.body.data.id]);
  });

  it("interview add to manual panel 403", async () => {
    const apiKey = await newAccount();
    const manual = await manualPanel(apiKey);
    const reply = await call(apiKey, "POST", `${interviewsPath()}${asBen}`, { ...interviewBody(), panel: manual.id });
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe("ForbiddenError");
  });

  it("interview add unknown panel 400", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `${interviewsPath()}${asBen}`, { ...interviewBody(), panel: "no-such-panel" });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain("no-such-panel");
  });

  it("interview add missing panel 400", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `${interviewsPath()}${asBen}`, interviewBody());
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^panel: /);
  });
});

describe("interview read", () => {
  it("interview get", async () => {
    const apiKey = await newAccount();
    const panel = await createPanel(apiKey);
    const reply = await call(apiKey, "GET", `${interviewsPath()}/${panel.interviews[0].id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: panel.interviews[0] });
  });

  it("interview get unknown 404", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "GET", `${interviewsPath()}/nope`);
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ code: "ResourceNotFound", message: "Interview not found" });
  });

  it("interview list across panels", async () => {
    const apiKey = await newAccount();
    const manual = await manualPanel(apiKey);
    const panel = await createPanel(apiKey, { interviews: [interviewBody({ subject: "A" }), interviewBody({ subject: "B" })] });
    const first = await call(apiKey, "GET", `${interviewsPath()}?limit=2`);
    const second = await call(apiKey, "GET", `${interviewsPath()}?limit=2&offset=${encodeURIComponent(first.body.next)}`);
    expect(first.body.data.map((interview: { id: string }) => interview.id)).toEqual([manual.interviews[0].id, panel.interviews[0].id]);
    expect(second.body).toEqual({ data: [panel.interviews[1]], hasNext: false });
  });
});

describe("interview update", () => {
  it("interview update replaces fields", async () => {
    const apiKey = await newAccount();
    const panel = await createPanel(apiKey);
    const interview = panel.interviews[0];
    const body = { panel: panel.id, interviewers: [{ id: USER.ada }], date: INTERVIEW_DATE + 86_400_000, duration: 90 };
    const reply = await call(apiKey, "PUT", `${interviewsPath()}/${interview.id}${asBen}`, body);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      data: {
        ...interview,
        subject: "",
        note: "",
        interviewers: [{ id: USER.ada, email: "ada.okafor@acme.example", name: "Ada Okafor", feedbackTemplate: null }],
        date: INTERVIEW_DATE + 86_400_000,
        duration: 90,
        location: null,
        feedbackTemplate: null,
      },
    });
    const after = await call(apiKey, "GET", `${interviewsPath()}/${interview.id}`);
    expect(after.body).toEqual(reply.body);
  });

  it("interview update missing fields 400", async () => {
    const apiKey = await newAccount();
    const panel = await createPanel(apiKey);
    const path = `${interviewsPath()}/${panel.interviews[0].id}${asBen}`;
    const full = { ...interviewBody(), panel: panel.id };
    for (const field of ["panel", "interviewers", "date", "duration"]) {
      const body: Record<string, unknown> = { ...full };
      delete body[field];
      const reply = await call(apiKey, "PUT", path, body);
      expect(reply.status, field).toBe(400);
      expect(reply.body.message, field).toMatch(new RegExp(`^${field}: `));
    }
    const unchanged = await call(apiKey, "GET", `${interviewsPath()}/${panel.interviews[0].id}`);
    expect(unchanged.body.data).toEqual(panel.interviews[0]);
  });

  it("interview update other panel 400", async () => {
    const apiKey = await newAccount();
    const first = await createPanel(apiKey);
    const second = await createPanel(apiKey);
    const reply = await call(apiKey, "PUT", `${interviewsPath()}/${first.interviews[0].id}${asBen}`, { ...interviewBody(), panel: second.id });
    expect(reply.status).toBe(400);
  });

  it("interview update manual 403", async () => {
    const apiKey = await newAccount();
    const manual = await manualPanel(apiKey);
    const reply = await call(apiKey, "PUT", `${interviewsPath()}/${manual.interviews[0].id}${asBen}`, { ...interviewBody(), panel: manual.id });
    expect(reply.status).toBe(403);
  });
});

describe("interview delete", () => {
  it("interview delete keeps panel", async () => {
    const apiKey = await newAccount();
    const panel = await createPanel(apiKey, { interviews: [interviewBody({ subject: "A" }), interviewBody({ subject: "B" })] });
    const reply = await call(apiKey, "DELETE", `${interviewsPath()}/${panel.interviews[0].id}${asBen}`);
    expect(reply.status).toBe(204);
    const after = await call(apiKey, "GET", `${panelsPath()}/${panel.id}`);
    expect(after.body.data.interviews.map((interview: { subject: string }) => interview.subject)).toEqual(["B"]);
    const deleted = await call(apiKey, "GET", `${interviewsPath()}/${panel.interviews[0].id}`);
    expect(deleted.status).toBe(404);
  });

  it("interview delete last removes panel", async () => {
    const apiKey = await newAccount();
    const panel = await createPanel(apiKey);
    const reply = await call(apiKey, "DELETE", `${interviewsPath()}/${panel.interviews[0].id}${asBen}`);
    expect(reply.status).toBe(204);
    const after = await call(apiKey, "GET", `${panelsPath()}/${panel.id}`);
    expect(after.status).toBe(404);
  });

  it("interview delete manual 403", async () => {
    const apiKey = await newAccount();
    const manual = await manualPanel(apiKey);
    const reply = await call(apiKey, "DELETE", `${interviewsPath()}/${manual.interviews[0].id}${asBen}`);
    expect(reply.status).toBe(403);
  });

  it("interview delete via ui any panel", async () => {
    const apiKey = await newAccount();
    const manual = await manualPanel(apiKey);
    const reply = await call(apiKey, "DELETE", `/_sandbox/opportunities/${MARIA.id}/interviews/${manual.interviews[0].id}`);
    expect(reply.status).toBe(204);
    const panels = await call(apiKey, "GET", panelsPath());
    expect(panels.body.data).toEqual([]);
  });

  it("interview patch via ui", async () => {
    const apiKey = await newAccount();
    const manual = await manualPanel(apiKey);
    const interview = manual.interviews[0];
    const reply = await call(apiKey, "PATCH", `/_sandbox/opportunities/${MARIA.id}/interviews/${interview.id}`, { date: INTERVIEW_DATE, duration: 45 });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ ...interview, date: INTERVIEW_DATE, duration: 45 });
  });
});
