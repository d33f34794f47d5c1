CREATE TABLE "rating_events" (
	"match_group" text NOT NULL,
	"player" text NOT NULL,
	"scope" text NOT NULL,
	"mu_before" double precision NOT NULL,
	"sigma_before" double precision NOT NULL,
	"mu" double precision NOT NULL,
	"sigma" double precision NOT NULL,
	"ordinal" double precision NOT NULL,
	"rank" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "rating_events_match_group_player_scope_pk" PRIMARY KEY("match_group","player","scope")
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"player" text NOT NULL,
	"scope" text NOT NULL,
	"mu" double precision NOT NULL,
	"sigma" double precision NOT NULL,
	"ordinal" double precision NOT NULL,
	"matches" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ratings_player_scope_pk" PRIMARY KEY("player","scope")
);
--> statement-breakpoint
CREATE TABLE "workshops" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"trainer" text NOT NULL,
	"title" text NOT NULL,
	"settings" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"room_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	CONSTRAINT "workshops_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "match_group" text;--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "workshop_id" text;--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "rated" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "rating_events_player_idx" ON "rating_events" USING btree ("player","at");--> statement-breakpoint
CREATE INDEX "ratings_scope_ordinal_idx" ON "ratings" USING btree ("scope","ordinal" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "workshops_trainer_idx" ON "workshops" USING btree ("trainer","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "matches_group_idx" ON "matches" USING btree ("match_group");--> statement-breakpoint
CREATE INDEX "matches_workshop_idx" ON "matches" USING btree ("workshop_id");