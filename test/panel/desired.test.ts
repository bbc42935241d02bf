import { describe, expect, it } from "vitest";
import { GoodTimeEventSchema } from "../../src/goodtime/schemas";
import { buildDesiredPanel } from "../../src/panel/desired";
import { FIXTURE_WEEK } from "../support/fixtures";

const ids = new Map([
  ["emi.sato@acme.example", "u-emi"],
  ["new.hire@acme.example", "u-new"],
]);

describe("buildDesiredPanel", () => {
  it("computes duration from UTC instants on the DST day", () => {
    const event = GoodTimeEventSchema.parse(FIXTURE_WEEK[7]);
    const panel = buildDesiredPanel(event.scheduledPanel, "https://sync.test/links/a/panels/p", ids);
    expect(panel.interviews[0]!.body.date).toBe(Date.UTC(2027, 2, 14, 17, 0));
    expect(panel.interviews[0]!.body.duration).toBe(30);
  });

  it("keeps offsets other than Z exact", () => {
    const event = GoodTimeEventSchema.parse(structuredClone(FIXTURE_WEEK[7]));
    const scheduled = event.scheduledPanel.scheduledEvents[0]!;
    scheduled.startTime = "2027-03-14T01:30:00-05:00";
    scheduled.endTime = "2027-03-14T03:30:00-04:00";
    const panel = buildDesiredPanel(event.scheduledPanel, "u", ids);
    expect(panel.interviews[0]!.body.date).toBe(Date.parse("2027-03-14T06:30:00Z"));
    // 01:30 EST to 03:30 EDT is one hour of real time across the spring-forward gap.
    expect(panel.interviews[0]!.body.duration).toBe(60);
  });

  it("keeps Unicode titles unchanged", () => {
    const event = GoodTimeEventSchema.parse(FIXTURE_WEEK[7]);
    const panel = buildDesiredPanel(event.scheduledPanel, "u", ids);
    expect(panel.fields.note).toBe("Phone screen — Données & ML 🤖");
    expect(panel.fields.externallyManaged).toBe(true);
    expect(panel.fields.applications).toBeUndefined();
  });

  it("skips events removed in Lever", () => {
    const event = GoodTimeEventSchema.parse(FIXTURE_WEEK[7]);
    const panel = buildDesiredPanel(event.scheduledPanel, "u", ids, new Set(["3fa37eb0-f1e2-5964-b690-81e0d10377fa"]));
    expect(panel.interviews).toEqual([]);
  });
});
