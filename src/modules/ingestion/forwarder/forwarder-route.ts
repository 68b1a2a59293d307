// POST /hooks/forwarder/<FORWARDER_TOKEN>: SmsForwarder's webhook. Answers `200 ok` once the notification is
// committed; a refusal answers its status and a body that says nothing more.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Logger } from '../../../shared/ports.ts';
import { assertNever } from '../../../shared/result.ts';
import { BodyTooLarge, readBody } from '../../http/request-body.ts';
import type { Route } from '../../http/router.ts';
import type { ForwarderAnswer, ForwarderIntake, Refusal } from './receive-forwarded.ts';

export const FORWARDER_PATH = '/hooks/forwarder/';
/** A notification is a few hundred bytes; SmsForwarder's whole template stays far below this. */
export const MAX_BODY_BYTES = 64 * 1024;

const STATUS_OF: Record<Refusal, number> = {
  unknown_token: 404,
  too_large: 413,
  malformed: 400,
  stale_timestamp: 401,
  bad_sign: 401,
  replayed: 409,
};

export function forwarderRoutes(deps: { token: string; intake: ForwarderIntake; logger: Logger }): Route[] {
  const tokenDigest = digest(deps.token);
  return [
    {
      method: 'POST',
      path: `${FORWARDER_PATH}*`,
      async handle(request, response) {
        const token = (request.url ?? '').split('?')[0]?.slice(FORWARDER_PATH.length) ?? '';
        if (!timingSafeEqual(digest(token), tokenDigest)) {
          // The same answer as any unknown path: a wrong token learns nothing about this route.
          await deps.intake.refuse('unknown_token');
          response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
          return;
        }
        let body: Buffer;
        try {
          body = await readBody(request, MAX_BODY_BYTES);
        } catch (error) {
          if (!(error instanceof BodyTooLarge)) throw error;
          answer(response, await deps.intake.refuse('too_large'));
          return;
        }
        answer(response, await deps.intake.receiveForwarded(body));
      },
    },
  ];
}

function answer(response: ServerResponse, result: ForwarderAnswer): void {
  switch (result.kind) {
    case 'recorded':
    case 'retried':
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok');
      return;
    case 'refused': {
      const status = STATUS_OF[result.reason];
      // `connection: close` for a body left unread (too large): the socket is not reused mid-body.
      const headers = {
        'content-type': 'text/plain; charset=utf-8',
        ...(status === 413 ? { connection: 'close' } : {}),
      };
      response.writeHead(status, headers).end(STATUS_CODES[status]);
      return;
    }
    default:
      assertNever(result);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
