CREATE TABLE "messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"source_key" text NOT NULL,
	"trusted" boolean NOT NULL,
	"sender" text,
	"subject" text,
	"received_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
DROP INDEX "payments_message_key_by_trust";--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "message_id" bigint;--> statement-breakpoint
-- An installed database upgrades in place: every payment recorded so far came from the mailbox, and its message
-- takes the payment's id, so each pair is found again without a lookup.
INSERT INTO "messages" ("id", "source", "source_key", "trusted", "sender", "subject", "received_at", "metadata")
  SELECT "id", 'mail', "message_key", "auth_result" = 'pass', "sender", "subject", "received_at",
    jsonb_build_object('mailbox', "mailbox", 'uidValidity', "uid_validity"::text, 'uid', "uid")
  FROM "payments";--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('messages', 'id'), coalesce((SELECT max("id") FROM "messages"), 0) + 1, false);--> statement-breakpoint
UPDATE "payments" SET "message_id" = "id";--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "message_id" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_source_key_by_trust" ON "messages" USING btree ("source","source_key","trusted");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_message_id_key" ON "payments" USING btree ("message_id");--> statement-breakpoint
ALTER TABLE "payments" DROP COLUMN "mailbox";--> statement-breakpoint
ALTER TABLE "payments" DROP COLUMN "uid_validity";--> statement-breakpoint
ALTER TABLE "payments" DROP COLUMN "uid";--> statement-breakpoint
ALTER TABLE "payments" DROP COLUMN "message_key";--> statement-breakpoint
ALTER TABLE "payments" DROP COLUMN "sender";--> statement-breakpoint
ALTER TABLE "payments" DROP COLUMN "subject";--> statement-breakpoint
ALTER TABLE "payments" DROP COLUMN "received_at";