// What settling a payment for review needs to know: who hears of it, how often, and how its card reads.
import type { Config } from '../../shared/config/config.ts';
import { type AdminAudience, adminAudienceOf } from '../notify/admin-audience.ts';

export interface CardSettings {
  timeZone: string;
  /** How far from the paid amount a likely order may be (AMOUNT_OFFSET_MAX_FEN). */
  nearFen: number;
}

export interface ReviewSettings {
  admins: AdminAudience;
  /** ALARM_FLOOD_PER_MINUTE: past it, cards of forged-looking mail wait in /pending. */
  floodPerMinute: number;
  card: CardSettings;
}

/** The settings by name, read once where the service is wired. */
export function reviewSettingsOf(config: Config): ReviewSettings {
  return {
    admins: adminAudienceOf(config),
    floodPerMinute: config.alarms.floodPerMinute,
    card: cardSettingsOf(config),
  };
}

export function cardSettingsOf(config: Config): CardSettings {
  return { timeZone: config.timeZone, nearFen: config.recharge.offsetMaxFen };
}
