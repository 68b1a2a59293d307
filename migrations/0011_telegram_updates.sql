CREATE TABLE "telegram_updates" (
	"update_id" bigint PRIMARY KEY NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"handled_at" timestamp with time zone
);
