// Customers in the domain: who is paying, identified by the channel they reach us through.

/** The ways a customer reaches us: a Telegram user, or a merchant's API client (issue 12). */
export const CUSTOMER_CHANNELS = ['telegram', 'api'] as const;
export type CustomerChannel = (typeof CUSTOMER_CHANNELS)[number];
