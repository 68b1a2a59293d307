// The balance API's bearer token, compared in constant time: both sides are hashed first, so neither the
// content nor the length of the token leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function createBearerCheck(token: string) {
  const expected = digest(token);
  return function isAuthorised(request: IncomingMessage): boolean {
    const given = /^Bearer ([\x21-\x7e]+)$/.exec(request.headers.authorization ?? '')?.[1];
    return timingSafeEqual(digest(given ?? ''), expected) && given !== undefined;
  };
}
