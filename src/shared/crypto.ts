// Hashing, constant-time comparison, HMAC and AES-GCM helpers on WebCrypto.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const AES_GCM_IV_BYTES = 12;
const ENCRYPTED_PREFIX = "v1.";

export function bytesToHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let hex = "";
  for (const byte of view) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

export async function sha256Hex(text: string): Promise<string> {
  return bytesToHex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Compares two strings without leaking where they differ. Both sides are hashed
 * first, so the comparison also takes the same time for inputs of different length.
 */
export async function timingSafeEqualStrings(a: string, b: string): Promise<boolean> {
  const [digestA, digestB] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(digestA, digestB);
}

export async function hmacSha256Hex(key: string, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return bytesToHex(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message)));
}

/** Imports the service's encryption secret: 32 bytes, base64-encoded. */
export async function importEncryptionKey(base64Secret: string): Promise<CryptoKey> {
  const raw = base64ToBytes(base64Secret);
  if (raw.byteLength !== 32) {
    throw new Error(`ENCRYPTION_KEY must decode to 32 bytes, got ${raw.byteLength}`);
  }
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

/**
 * Encrypts a secret for storage as `v1.<base64 iv>.<base64 ciphertext>`. The
 * `context` (for example the tenant id and column) is bound as additional data,
 * so a ciphertext copied to another row or column does not decrypt.
 */
export async function encryptSecret(key: CryptoKey, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(AES_GCM_IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
    key,
    encoder.encode(plaintext),
  );
  return `${ENCRYPTED_PREFIX}${bytesToBase64(iv)}.${bytesToBase64(new Uint8Array(ciphertext))}`;
}

export async function decryptSecret(key: CryptoKey, stored: string, context: string): Promise<string> {
  if (!stored.startsWith(ENCRYPTED_PREFIX)) throw new Error("unknown ciphertext format");
  const [ivPart, dataPart] = stored.slice(ENCRYPTED_PREFIX.length).split(".");
  if (!ivPart || !dataPart) throw new Error("malformed ciphertext");
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: base64ToBytes(ivPart), additionalData: encoder.encode(context) },
    key,
    base64ToBytes(dataPart),
  );
  return decoder.decode(plaintext);
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
