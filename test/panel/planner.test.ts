import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DesiredLeverPanel } from "../../src/panel/desired";
import { planLeverCalls, sameJson, type KnownLeverPanel } from "../../src/panel/planner";

const fields = { timezone: "America/New_York", note: "Onsite", externalUrl: "https://sync.test/links/a/panels/p", externallyManaged: true as const };

function body(subject: string, date = 1_000) {
  return { subject, note: "", date, duration: 60, location: "", interviewers: [{ id: "u1" }] };
}

function desired(interviews: [string, ReturnType<typeof body>][], overrides: Partial<DesiredLeverPanel> = {}): DesiredLeverPanel {
  return {
    opportunityId: "opp-1",
    fields,
    interviews: interviews.map(([externalEventId, b]) => ({ externalEventId, body: b })),
    ...overrides,
  };
}

function known(interviews: [string, string, ReturnType<typeof body>][], overrides: Partial<KnownLeverPanel> = {}): KnownLeverPanel {
  return {
    panelId: "panel-1",
    opportunityId: "opp-1",
    fields,
    interviews: Object.fromEntries(interviews.map(([eventId, interviewId, b]) => [eventId, { interviewId, body: b }])),
    ...overrides,
  };
}

describe("planLeverCalls", () => {
  it.each([
    ["nothing wanted, nothing known", null, null, []],
    ["cancel of a known panel", null, known([["e1", "i1", body("A")]]), [{ kind: "delete_panel", panelId: "panel-1", opportunityId: "opp-1" }]],
    ["new panel", desired([["e1", body("A")]]), null, [{ kind: "create_panel" }]],
    ["no change", desired([["e1", body("A")]]), known([["e1", "i1", body("A")]]), []],
    [
      "moved interview",
      desired([["e1", body("A", 2_000)]]),
      known([["e1", "i1", body("A")]]),
      [{ kind: "update_interview", externalEventId: "e1", interviewId: "i1" }],
    ],
    [
      "added interview",
      desired([["e1", body("A")], ["e2", body("B")]]),
      known([["e1", "i1", body("A")]]),
      [{ kind: "add_interview", externalEventId: "e2" }],
    ],
    [
      "removed interview",
      desired([["e1", body("A")]]),
      known([["e1", "i1", body("A")], ["e2", "i2", body("B")]]),
      [{ kind: "delete_interview", externalEventId: "e2", interviewId: "i2" }],
    ],
    [
      "replace every interview: adds before deletes",
      desired([["e3", body("C")]]),
      known([["e1", "i1", body("A")]]),
      [
        { kind: "add_interview", externalEventId: "e3" },
        { kind: "delete_interview", externalEventId: "e1", interviewId: "i1" },
      ],
    ],
    [
      "time zone change recreates",
      desired([["e1", body("A")]], { fields: { ...fields, timezone: "Europe/Paris" } }),
      known([["e1", "i1", body("A")]]),
      [{ kind: "delete_panel", panelId: "panel-1", opportunityId: "opp-1" }, { kind: "create_panel" }],
    ],
    [
      "opportunity change recreates",
      desired([["e1", body("A")]], { opportunityId: "opp-2" }),
      known([["e1", "i1", body("A")]]),
      [{ kind: "delete_panel", panelId: "panel-1", opportunityId: "opp-1" }, { kind: "create_panel" }],
    ],
    [
      "every interview removed in Lever",
      desired([]),
      known([["e1", "i1", body("A")]]),
      [{ kind: "delete_panel", panelId: "panel-1", opportunityId: "opp-1" }],
    ],
  ] as const)("plans %s", (_name, want, have, expected) => {
    expect(planLeverCalls(want as DesiredLeverPanel | null, have as KnownLeverPanel | null)).toEqual(expected);
  });

  it("ignores object key order when comparing bodies", () => {
    expect(sameJson({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
  });

  it("converges when its plan is applied", () => {
    // Applies each plan step to a model of Lever and checks the result equals the desired state.
    const want = desired([["e1", body("A", 5)], ["e2", body("B")], ["e4", body("D")]]);
    let have: KnownLeverPanel | null = known([["e1", "i1", body("A")], ["e3", "i3", body("C")]]);
    let nextId = 10;
    for (let round = 0; round < 10; round++) {
      const steps = planLeverCalls(want, have);
      if (steps.length === 0) break;
      const step = steps[0]!;
      if (step.kind === "create_panel") {
        have = {
          panelId: `p${nextId++}`,
          opportunityId: want.opportunityId,
          fields: want.fields,
          interviews: Object.fromEntries(want.interviews.map((i) => [i.externalEventId, { interviewId: `i${nextId++}`, body: i.body }])),
        };
      } else if (step.kind === "delete_panel") have = null;
      else if (step.kind === "add_interview") have!.interviews[step.externalEventId] = { interviewId: `i${nextId++}`, body: want.interviews.find((i) => i.externalEventId === step.externalEventId)!.body };
      else if (step.kind === "update_interview") have!.interviews[step.externalEventId]!.body = want.interviews.find((i) => i.externalEventId === step.externalEventId)!.body;
      else delete have!.interviews[step.externalEventId];
    }
    expect(planLeverCalls(want, have)).toEqual([]);
    expect(Object.keys(have!.interviews).sort()).toEqual(["e1", "e2", "e4"]);
  });
});

describe("planLeverCalls property", () => {
  // A model of Lever that applies each planned step; re-planning after every
  // step must reach the desired panel, as the panel object does it.
  const eventIds = ["e1", "e2", "e3", "e4"];
  const bodyArbitrary = fc.record({ subject: fc.constantFrom("A", "B"), date: fc.integer({ min: 0, max: 5 }) });
  const desiredArbitrary = fc.option(
    fc.record({
      opportunityId: fc.constantFrom("opp-1", "opp-2"),
      timezone: fc.constantFrom("UTC", "Europe/Paris"),
      interviews: fc.uniqueArray(fc.tuple(fc.constantFrom(...eventIds), bodyArbitrary), { selector: ([id]) => id, maxLength: 4 }),
    }),
    { nil: null },
  );
  const knownArbitrary = fc.option(
    fc.record({
      opportunityId: fc.constantFrom("opp-1", "opp-2"),
      timezone: fc.constantFrom("UTC", "Europe/Paris"),
      interviews: fc.uniqueArray(fc.tuple(fc.constantFrom(...eventIds), bodyArbitrary), { selector: ([id]) => id, minLength: 1, maxLength: 4 }),
    }),
    { nil: null },
  );

  it("always reaches the desired state", () => {
    fc.assert(
      fc.property(desiredArbitrary, knownArbitrary, (wantSpec, haveSpec) => {
        const want: DesiredLeverPanel | null = wantSpec && {
          opportunityId: wantSpec.opportunityId,
          fields: { ...fields, timezone: wantSpec.timezone },
          interviews: wantSpec.interviews.map(([id, b]) => ({ externalEventId: id, body: body(b.subject, b.date) })),
        };
        let have: KnownLeverPanel | null = haveSpec && {
          panelId: "p0",
          opportunityId: haveSpec.opportunityId,
          fields: { ...fields, timezone: haveSpec.timezone },
          interviews: Object.fromEntries(haveSpec.interviews.map(([id, b], i) => [id, { interviewId: `i${i}`, body: body(b.subject, b.date) }])),
        };

        let nextId = 100;
        let calls = 0;
        for (;;) {
          const step = planLeverCalls(want, have)[0];
          if (!step) break;
          calls++;
          expect(calls).toBeLessThanOrEqual(10);
          if (step.kind === "create_panel") {
            have = {
              panelId: `p${nextId++}`,
              opportunityId: want!.opportunityId,
              fields: want!.fields,
              interviews: Object.fromEntries(want!.interviews.map((i) => [i.externalEventId, { interviewId: `i${nextId++}`, body: i.body }])),
            };
          } else if (step.kind === "delete_panel") {
            have = null;
          } else {
            const target = want!.interviews.find((i) => i.externalEventId === step.externalEventId);
            if (step.kind === "add_interview") have!.interviews[step.externalEventId] = { interviewId: `i${nextId++}`, body: target!.body };
            if (step.kind === "update_interview") have!.interviews[step.externalEventId]!.body = target!.body;
            if (step.kind === "delete_interview") delete have!.interviews[step.externalEventId];
            // Lever deletes a panel with its last interview; the planner must never get there.
            expect(Object.keys(have!.interviews).length).toBeGreaterThan(0);
          }
        }

        if (!want || want.interviews.length === 0) {
          expect(have).toBeNull();
          return;
        }
        expect(have!.opportunityId).toBe(want.opportunityId);
        expect(have!.fields).toEqual(want.fields);
        expect(Object.keys(have!.interviews).sort()).toEqual(want.interviews.map((i) => i.externalEventId).sort());
        for (const interview of want.interviews) expect(have!.interviews[interview.externalEventId]!.body).toEqual(interview.body);
      }),
      { numRuns: 500 },
    );
  });
});
