CREATE TABLE "admin_notice_windows" (
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL,
	"sent" integer NOT NULL,
	"held" integer NOT NULL,
	CONSTRAINT "admin_notice_windows_kind_subject_pk" PRIMARY KEY("kind","subject")
);
--> statement-breakpoint
CREATE INDEX "admin_notice_windows_held_idx" ON "admin_notice_windows" USING btree ("window_ends_at") WHERE held > 0;