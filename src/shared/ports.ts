// What use cases are given from outside: time, randomness, the mailbox state, a way to wake the outbox sender.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type MailboxState = 'connected' | 'connecting' | 'down';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}
