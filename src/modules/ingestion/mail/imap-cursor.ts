// Pure rules for the mailbox cursor: what to fetch next and when a mailbox was recreated.

export interface MailboxCursor {
  uidValidity: bigint;
  lastUid: number;
}

export function hasUidValidityChanged(cursor: MailboxCursor | null, serverUidValidity: bigint): boolean {
  return cursor !== null && cursor.uidValidity !== serverUidValidity;
}

/** The server's UIDs past the cursor: a SEARCH `N:*` also matches the last message when N is beyond it. */
export const uidsAfter = (serverUids: readonly number[], lastUid: number): number[] =>
  serverUids.filter((uid) => uid > lastUid);

/** The UIDs still to process, oldest first, at most `batchSize` of them. */
export function nextBatch(serverUids: readonly number[], lastUid: number, batchSize: number): number[] {
  return uidsAfter(serverUids, lastUid)
    .sort((a, b) => a - b)
    .slice(0, batchSize);
}

/**
 * Splits messages (oldest first) into runs whose sizes add up to at most `maxBytes`, so fetching
 * their sources never holds more than that in memory; a message larger than the limit goes alone.
 */
export function sizeBoundedChunks<T extends { size: number }>(
  messages: readonly T[],
  maxBytes: number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (current.length > 0 && bytes + message.size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += message.size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
