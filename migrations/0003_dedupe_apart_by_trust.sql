DROP INDEX "payments_message_key";--> statement-breakpoint
DROP INDEX "payments_provider_transaction_key";--> statement-breakpoint
CREATE UNIQUE INDEX "payments_message_key_by_trust" ON "payments" USING btree ("message_key",(auth_result = 'pass'));--> statement-breakpoint
CREATE UNIQUE INDEX "payments_provider_transaction_by_trust" ON "payments" USING btree ("provider","transaction_id",(auth_result = 'pass')) WHERE transaction_id is not null;