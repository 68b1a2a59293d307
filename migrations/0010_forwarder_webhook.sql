CREATE TABLE "forwarder_refusals" (
	"reason" text PRIMARY KEY NOT NULL,
	"count" bigint NOT NULL,
	"last_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forwarder_requests" (
	"signed_at" bigint PRIMARY KEY NOT NULL,
	"body_digest" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
