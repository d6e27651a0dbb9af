// Where an event sits in the outbox: (xid, event_id), the order every replica delivers in and
// every resume starts from. Clients see it as an opaque eventId.

export interface Position {
  xid: bigint;
  id: bigint;
}

const EVENT_ID = /^(\d{1,20})\.(\d{1,19})$/;

export function encodeEventId({ xid, id }: Position): string {
  return `${xid}.${id}`;
}

/** The position an eventId names, or null when it is not one. */
export function decodeEventId(eventId: string): Position | null {
  const match = EVENT_ID.exec(eventId);
  return match ? { xid: BigInt(match[1]), id: BigInt(match[2]) } : null;
}

export function comparePositions(a: Position, b: Position): number {
  if (a.xid !== b.xid) return a.xid < b.xid ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}
