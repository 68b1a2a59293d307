// Customers in the domain: who is paying, identified by the channel they reach us through.

/**
 * The ways a customer reaches us: a Telegram user, a customer of the operator's own app (balance API), or a
 * shop of the EPay API (external id = its pid), whose account takes what its orders were paid.
 */
export const CUSTOMER_CHANNELS = ['telegram', 'api', 'shop'] as const;
export type CustomerChannel = (typeof CUSTOMER_CHANNELS)[number];
