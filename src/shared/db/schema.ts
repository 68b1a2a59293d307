// The database schema: the single source of truth for drizzle-kit migrations and every query. The tables
// live in schema/, one file per concern; this is the one import for them all.
export * from './schema/admin.ts';
export * from './schema/customers.ts';
export * from './schema/forwarder.ts';
export * from './schema/ingestion.ts';
export * from './schema/instances.ts';
export * from './schema/merchants.ts';
export * from './schema/messages.ts';
export * from './schema/orders.ts';
export * from './schema/outbox.ts';
export * from './schema/payments.ts';
