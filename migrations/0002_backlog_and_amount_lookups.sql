CREATE INDEX "orders_payable_idx" ON "orders" USING btree ("payable_fen");--> statement-breakpoint
CREATE INDEX "outbox_pending_chat_idx" ON "outbox" USING btree ("chat_id","id") WHERE status = 'pending';--> statement-breakpoint
-- Whether a pending order holds the amount, read with a snapshot of its own (a VOLATILE PL/pgSQL function
-- takes one per call): an allocation that has just locked an amount sees an order committed a moment ago,
-- where its statement's older snapshot would not, and moves on to the next amount instead of colliding.
CREATE FUNCTION payable_amount_taken(fen integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM orders WHERE status = 'pending' AND payable_fen = fen);
END
$$;
