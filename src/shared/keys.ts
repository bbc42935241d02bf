// Integration key format: `gtlk_` + 30 base62 characters from
// crypto.getRandomValues (178 bits) + 6 base62 characters of CRC32 over the
// prefix and random part. The prefix and checksum let secret scanners spot a
// leaked key and let the service reject a mistyped key without a D1 lookup.

const KEY_PREFIX = "gtlk_";
const RANDOM_CHARS = 30;
const CHECKSUM_CHARS = 6;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${RANDOM_CHARS + CHECKSUM_CHARS}}$`);

/** Number of leading key characters that list views may show. */
export const DISPLAY_PREFIX_CHARS = KEY_PREFIX.length + 4;

export function generateIntegrationKey(): string {
  const body = KEY_PREFIX + randomBase62(RANDOM_CHARS);
  return body + checksumOf(body);
}

/** Checks the prefix, the alphabet, the length and the CRC32 checksum. */
export function isWellFormedIntegrationKey(candidate: string): boolean {
  if (!KEY_PATTERN.test(candidate)) return false;
  const body = candidate.slice(0, -CHECKSUM_CHARS);
  return checksumOf(body) === candidate.slice(-CHECKSUM_CHARS);
}

export function displayPrefixOf(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_CHARS);
}

function randomBase62(length: number): string {
  // Rejection sampling keeps every character uniform: bytes >= 248 (4 * 62) are dropped.
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function checksumOf(text: string): string {
  let value = crc32(new TextEncoder().encode(text));
  let out = "";
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC32_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
