import { describe, expect, it } from "vitest";
import { crc32, displayPrefixOf, generateIntegrationKey, isWellFormedIntegrationKey } from "../../src/shared/keys";

describe("integration keys", () => {
  it("have the prefix, length and alphabet", () => {
    const key = generateIntegrationKey();
    expect(key).toMatch(/^gtlk_[0-9A-Za-z]{36}$/);
    expect(isWellFormedIntegrationKey(key)).toBe(true);
  });

  it("carry at least 160 random bits", () => {
    // 30 base62 characters: 30 * log2(62) bits.
    expect(30 * Math.log2(62)).toBeGreaterThanOrEqual(160);
    const keys = new Set(Array.from({ length: 200 }, generateIntegrationKey));
    expect(keys.size).toBe(200);
  });

  it("fail the checksum after any one-character change", () => {
    const key = generateIntegrationKey();
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (let position = 5; position < key.length; position++) {
      const original = key[position]!;
      const replacement = alphabet[(alphabet.indexOf(original) + 1) % alphabet.length]!;
      const changed = key.slice(0, position) + replacement + key.slice(position + 1);
      expect(isWellFormedIntegrationKey(changed), `position ${position}`).toBe(false);
    }
  });

  it("reject other shapes", () => {
    expect(isWellFormedIntegrationKey("")).toBe(false);
    expect(isWellFormedIntegrationKey("gtlk_short")).toBe(false);
    expect(isWellFormedIntegrationKey(generateIntegrationKey().replace("gtlk_", "ghp_x"))).toBe(false);
  });

  it("show only a short prefix", () => {
    const key = generateIntegrationKey();
    expect(displayPrefixOf(key)).toBe(key.slice(0, 9));
  });

  it("compute the standard CRC32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});
