import { ApiError } from "./errors";

export const MAX_PAGE_SIZE = 100;

/** A stored entity with its insertion sequence number, which orders lists and anchors page tokens. */
export interface Sequenced<T> {
  seq: number;
  value: T;
}

export interface Page<T> {
  data: T[];
  hasNext: boolean;
  next?: string;
}

const TOKEN_PREFIX = "lvr1.";

function encodeToken(afterSeq: number): string {
  const base64 = btoa(JSON.stringify({ after: afterSeq }));
  return TOKEN_PREFIX + base64.replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

function decodeToken(token: string): number {
  const invalid = new ApiError(400, `Invalid offset token: ${JSON.stringify(token)}. Pass the "next" value of the previous page.`);
  if (!token.startsWith(TOKEN_PREFIX)) throw invalid;
  try {
    const base64 = token.slice(TOKEN_PREFIX.length).replaceAll("-", "+").replaceAll("_", "/");
    const parsed: unknown = JSON.parse(atob(base64));
    if (typeof parsed === "object" && parsed !== null && "after" in parsed && Number.isSafeInteger(parsed.after)) {
      return parsed.after as number;
    }
  } catch {
    throw invalid;
  }
  throw invalid;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return MAX_PAGE_SIZE;
  if (!/^\d+$/.test(raw)) throw new ApiError(400, `Invalid limit: ${JSON.stringify(raw)}. Use an integer from 1 to ${MAX_PAGE_SIZE}.`);
  const limit = Number(raw);
  if (limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ApiError(400, `Invalid limit: ${raw}. Use an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return limit;
}

/**
 * Cut one page out of `items`, which may come in any order and are sorted here by sequence number.
 * The `offset` token stores the sequence number of the last item returned, so deleting
 * items between two page requests neither skips nor repeats the remaining ones.
 */
export function paginate<T>(items: Iterable<Sequenced<T>>, query: { limit?: string; offset?: string }): Page<T> {
  const limit = parseLimit(query.limit);
  const afterSeq = query.offset === undefined ? -1 : decodeToken(query.offset);
  const remaining = [...items].filter((item) => item.seq > afterSeq).sort((a, b) => a.seq - b.seq);
  const pageItems = remaining.slice(0, limit);
  const hasNext = remaining.length > limit;
  const page: Page<T> = { data: pageItems.map((item) => item.value), hasNext };
  const last = pageItems.at(-1);
  if (hasNext && last) page.next = encodeToken(last.seq);
  return page;
}
