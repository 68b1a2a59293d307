CREATE TABLE "auth_holds" (
	"payment_id" bigint PRIMARY KEY NOT NULL,
	"raw" text NOT NULL,
	"identity" jsonb NOT NULL,
	"held_since" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_status_valid";--> statement-breakpoint
ALTER TABLE "auth_holds" ADD CONSTRAINT "auth_holds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "auth_holds_due_idx" ON "auth_holds" USING btree ("next_attempt_at");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_status_valid" CHECK ("payments"."status" in ('matched','review','ignored','failed','rejected','refunded','held'));