CREATE TABLE "live_matches" (
	"match_id" text PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"seed" bigint NOT NULL,
	"setup" jsonb NOT NULL,
	"owner" text NOT NULL,
	"lease_expires_at" timestamp with time zone NOT NULL,
	"journal_length" integer DEFAULT 0 NOT NULL,
	"durable_tick" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_journal" (
	"match_id" text NOT NULL,
	"seq" integer NOT NULL,
	"tick" integer NOT NULL,
	"entry" jsonb NOT NULL,
	CONSTRAINT "match_journal_match_id_seq_pk" PRIMARY KEY("match_id","seq")
);
--> statement-breakpoint
CREATE TABLE "match_snapshots" (
	"match_id" text PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"tick" integer NOT NULL,
	"hash" text NOT NULL,
	"state" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_journal" ADD CONSTRAINT "match_journal_match_id_live_matches_match_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."live_matches"("match_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_snapshots" ADD CONSTRAINT "match_snapshots_match_id_live_matches_match_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."live_matches"("match_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "live_matches_lease_idx" ON "live_matches" USING btree ("lease_expires_at");