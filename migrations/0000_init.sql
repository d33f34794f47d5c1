CREATE TABLE "match_players" (
	"match_id" text NOT NULL,
	"player_name" text NOT NULL,
	"team" text NOT NULL,
	"score" integer NOT NULL,
	"actions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "match_players_match_id_player_name_pk" PRIMARY KEY("match_id","player_name")
);
--> statement-breakpoint
CREATE TABLE "matches" (
	"id" text PRIMARY KEY NOT NULL,
	"scenario_id" text NOT NULL,
	"seed" bigint NOT NULL,
	"settings" jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"state_hash" text NOT NULL,
	"score" integer NOT NULL,
	"availability" double precision NOT NULL,
	"error_budget_remaining" double precision NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_players" ADD CONSTRAINT "match_players_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "match_players_leaderboard_idx" ON "match_players" USING btree ("player_name","score" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "matches_scenario_idx" ON "matches" USING btree ("scenario_id","ended_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "matches_ended_at_idx" ON "matches" USING btree ("ended_at" DESC NULLS LAST);