// Pure rules for the mailbox cursor: what to fetch next and when a mailbox was recreated.

export interface MailboxCursor {
  uidValidity: bigint;
  lastUid: number;
}

export function hasUidValidityChanged(cursor: MailboxCursor | null, serverUidValidity: bigint): boolean {
  return cursor !== null && cursor.uidValidity !== serverUidValidity;
}

/** The UIDs still to process, oldest first, at most `batchSize` of them. */
export function nextBatch(serverUids: readonly number[], lastUid: number, batchSize: number): number[] {
  return serverUids
    .filter((uid) => uid > lastUid)
    .sort((a, b) => a - b)
    .slice(0, batchSize);
}
