import { describe, expect, it } from "vitest";
import {
  call,
  createPanel,
  INTERVIEW_DATE,
  interviewBody,
  MARIA,
  manualPanel,
  newAccount,
  panelBody,
  panelsPath,
  TEMPLATE,
  USER,
} from "./helpers";

const anyId = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

describe("panel create", () => {
  it("panel create lever shape", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.ben}`, panelBody());
    expect(reply.status).toBe(201);
    const panel = reply.body.data;
    expect(reply.body).toEqual({
      data: {
        id: anyId,
        applications: MARIA.applications,
        canceledAt: null,
        createdAt: expect.any(Number),
        timezone: "America/New_York",
        feedbackReminder: "frequently",
        user: USER.ben,
        note: "Scheduled by GoodTime",
        externalUrl: "https://goodtime.example/panels/42",
        externallyManaged: true,
        interviews: [
          {
            id: anyId,
            panel: panel.id,
            subject: "Onsite: system design",
            note: "Bring the whiteboard.",
            interviewers: [{ id: USER.chloe, email: "chloe.dubois@acme.example", name: "Chloé Dubois", feedbackTemplate: TEMPLATE.systemDesign }],
            timezone: "America/New_York",
            createdAt: panel.createdAt,
            date: INTERVIEW_DATE,
            duration: 60,
            location: "Room 4",
            feedbackTemplate: TEMPLATE.systemDesign,
            feedbackForms: [],
            feedbackReminder: "frequently",
            user: USER.ben,
            stage: MARIA.stage,
            canceledAt: null,
            postings: [],
            gcalEventUrl: null,
          },
        ],
      },
    });
  });

  it("panel create minimal defaults", async () => {
    const apiKey = await newAccount();
    const body = { timezone: "UTC", interviews: [{ interviewers: [{ id: USER.emi }], date: INTERVIEW_DATE, duration: 45 }] };
    const reply = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.ada}`, body);
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({ externallyManaged: false, note: null, externalUrl: null, feedbackReminder: "frequently" });
    expect(reply.body.data.interviews[0]).toMatchObject({
      subject: "",
      note: "",
      location: null,
      feedbackTemplate: null,
      interviewers: [{ id: USER.emi, email: "emi.sato@acme.example", name: "Emi Sato", feedbackTemplate: null }],
    });
  });

  it("panel interviews keep order", async () => {
    const apiKey = await newAccount();
    const subjects = ["First", "Second", "Third"];
    const panel = await createPanel(apiKey, {
      interviews: subjects.map((subject, index) => interviewBody({ subject, date: INTERVIEW_DATE + index * 3_600_000 })),
    });
    expect(panel.interviews.map((interview: { subject: string }) => interview.subject)).toEqual(subjects);
  });

  it("panel unicode preserved", async () => {
    const apiKey = await newAccount();
    const subject = "Entretien technique — Ñandú 🎧 日本語 👩🏽‍💻";
    const note = "Zażółć gęślą jaźń\nمرحبا\u200f";
    const created = await createPanel(apiKey, { note, interviews: [interviewBody({ subject, note, location: "Salle Ï" })] });
    const reply = await call(apiKey, "GET", `${panelsPath()}/${created.id}`);
    expect(reply.body.data.note).toBe(note);
    expect(reply.body.data.interviews[0]).toMatchObject({ subject, note, location: "Salle Ï" });
  });

  it("panel create validation 400", async () => {
    const apiKey = await newAccount();
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["no interviews", { interviews: [] }, "interviews"],
      ["missing timezone", { timezone: undefined }, "timezone"],
      ["bad timezone", { timezone: "Mars/Olympus_Mons" }, "Mars/Olympus_Mons"],
      ["unknown interviewer", { interviews: [interviewBody({ interviewers: [{ id: "no-such-user" }] })] }, "no-such-user"],
      ["deactivated interviewer", { interviews: [interviewBody({ interviewers: [{ id: USER.gus }] })] }, USER.gus],
      ["unknown template", { interviews: [interviewBody({ feedbackTemplate: "no-such-template" })] }, "no-such-template"],
      [
        "unknown interviewer template",
        { interviews: [interviewBody({ interviewers: [{ id: USER.chloe, feedbackTemplate: "tpl-x" }] })] },
        "tpl-x",
      ],
      ["zero date", { interviews: [interviewBody({ date: 0 })] }, "interviews[0].date"],
      ["fractional date", { interviews: [interviewBody({ date: 1.5 })] }, "interviews[0].date"],
      ["string date", { interviews: [interviewBody({ date: "2026-01-01" })] }, "interviews[0].date"],
      ["negative duration", { interviews: [interviewBody({ duration: -30 })] }, "interviews[0].duration"],
      ["no interviewers", { interviews: [interviewBody({ interviewers: [] })] }, "interviews[0].interviewers"],
      ["foreign application", { applications: ["not-marias-application"] }, "not-marias-application"],
      ["bad external url", { externalUrl: "goodtime/panels/1" }, "externalUrl"],
      ["bad reminder", { feedbackReminder: "hourly" }, "feedbackReminder"],
    ];
    for (const [name, overrides, mention] of cases) {
      const reply = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.ben}`, panelBody(overrides));
      expect(reply.status, name).toBe(400);
      expect(reply.body.code, name).toBe("BadRequestError");
      expect(reply.body.message, name).toContain(mention);
    }
    const state = await call(apiKey, "GET", "/_sandbox/state");
    expect(state.body.opportunities[0].panels).toHaveLength(1);
  });

  it("panel create unknown opportunity 404", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `${panelsPath("nope")}?perform_as=${USER.ben}`, panelBody());
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ code: "ResourceNotFound", message: "Opportunity not found" });
  });
});

describe("panel read", () => {
  it("panel get", async () => {
    const apiKey = await newAccount();
    const created = await createPanel(apiKey);
    const reply = await call(apiKey, "GET", `${panelsPath()}/${created.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: created });
  });

  it("panel list includes foreign panels", async () => {
    const apiKey = await newAccount();
    const created = await createPanel(apiKey);
    const reply = await call(apiKey, "GET", panelsPath());
    expect(reply.body.hasNext).toBe(false);
    expect(reply.body.data.map((panel: { externallyManaged: boolean }) => panel.externallyManaged)).toEqual([false, true]);
    expect(reply.body.data[1]).toEqual(created);
  });

  it("panel get other opportunity 404", async () => {
    const apiKey = await newAccount();
    const created = await createPanel(apiKey);
    const reply = await call(apiKey, "GET", `/v1/opportunities/549b0a98-ba2f-56c0-9d2d-3ca48085afe0/panels/${created.id}`);
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ code: "ResourceNotFound", message: "Panel not found" });
  });

  it("panel canceled still listed", async () => {
    const apiKey = await newAccount();
    const manual = await manualPanel(apiKey);
    const canceled = await call(apiKey, "POST", `/_sandbox/opportunities/${MARIA.id}/panels/${manual.id}/cancel`);
    expect(canceled.status).toBe(200);
    const reply = await call(apiKey, "GET", panelsPath());
    expect(reply.body.data).toHaveLength(1);
    expect(reply.body.data[0].canceledAt).toEqual(expect.any(Number));
    expect(reply.body.data[0].interviews[0].canceledAt).toBe(reply.body.data[0].canceledAt);
  });

  it("panel account isolation", async () => {
    const first = await newAccount();
    const second = await newAccount();
    await createPanel(first);
    const reply = await call(second, "GET", panelsPath());
    expect(reply.body.data).toHaveLength(1);
  });
});

describe("panel delete", () => {
  it("panel delete 204", async () => {
    const apiKey = await newAccount();
    const created = await createPanel(apiKey);
    const reply = await call(apiKey, "DELETE", `${panelsPath()}/${created.id}?perform_as=${USER.ben}`);
    expect(reply.status).toBe(204);
    expect(reply.body).toBeNull();
    const after = await call(apiKey, "GET", `${panelsPath()}/${created.id}`);
    expect(after.status).toBe(404);
  });

  it("panel delete manual 403", async () => {
    const apiKey = await newAccount();
    const manual = await manualPanel(apiKey);
    const reply = await call(apiKey, "DELETE", `${panelsPath()}/${manual.id}?perform_as=${USER.ben}`);
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe("ForbiddenError");
    expect(reply.body.message).toContain("not externally managed");
    const after = await call(apiKey, "GET", `${panelsPath()}/${manual.id}`);
    expect(after.status).toBe(200);
  });

  it("panel created unmanaged refuses delete", async () => {
    const apiKey = await newAccount();
    const created = await createPanel(apiKey, { externallyManaged: false });
    const reply = await call(apiKey, "DELETE", `${panelsPath()}/${created.id}?perform_as=${USER.ben}`);
    expect(reply.status).toBe(403);
  });

  it("panel put not allowed 405", async () => {
    const apiKey = await newAccount();
    const created = await createPanel(apiKey);
    const reply = await call(apiKey, "PUT", `${panelsPath()}/${created.id}?perform_as=${USER.ben}`, panelBody());
    expect(reply.status).toBe(405);
    expect(reply.headers.get("allow")).toBe("GET, DELETE");
  });
});

describe("perform_as", () => {
  it("perform_as missing 400", async () => {
    const apiKey = await newAccount();
    const created = await createPanel(apiKey);
    const writes: Array<[string, string, unknown]> = [
      ["POST", panelsPath(), panelBody()],
      ["DELETE", `${panelsPath()}/${created.id}`, undefined],
      ["POST", `/v1/opportunities/${MARIA.id}/interviews`, { ...interviewBody(), panel: created.id }],
      ["PUT", `/v1/opportunities/${MARIA.id}/interviews/${created.interviews[0].id}`, { ...interviewBody(), panel: created.id }],
      ["DELETE", `/v1/opportunities/${MARIA.id}/interviews/${created.interviews[0].id}`, undefined],
    ];
    for (const [method, path, body] of writes) {
      const reply = await call(apiKey, method, path, body);
      expect(reply.status, `${method} ${path}`).toBe(400);
      expect(reply.body.message, `${method} ${path}`).toMatch(/^Missing perform_as/);
    }
  });

  it("perform_as unknown user 400", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `${panelsPath()}?perform_as=nobody`, panelBody());
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ code: "BadRequestError", message: "perform_as: user nobody not found" });
  });

  it("perform_as deactivated 403", async () => {
    const apiKey = await newAccount();
    await call(apiKey, "PATCH", `/_sandbox/users/${USER.chloe}`, { deactivatedAt: 1765000000000 });
    const reply = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.chloe}`, panelBody({ interviews: [interviewBody({ interviewers: [{ id: USER.emi }] })] }));
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe("ForbiddenError");
  });

  it("perform_as interviewer role 403", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.dev}`, panelBody());
    expect(reply.status).toBe(403);
    expect(reply.body.message).toContain("interviewer access role");
  });

  it("perform_as limited team member allowed", async () => {
    const apiKey = await newAccount();
    const reply = await call(apiKey, "POST", `${panelsPath()}?perform_as=${USER.farah}`, panelBody());
    expect(reply.status).toBe(201);
    expect(reply.body.data.user).toBe(USER.farah);
  });
});
