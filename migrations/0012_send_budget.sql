CREATE TABLE "send_budget" (
	"id" smallint PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"at_ms" bigint NOT NULL,
	CONSTRAINT "send_budget_one_row" CHECK ("send_budget"."id" = 1)
);
--> statement-breakpoint
-- The one row: counted at the epoch, so the first take finds the bucket full.
INSERT INTO "send_budget" ("id", "tokens", "at_ms") VALUES (1, 0, 0);
