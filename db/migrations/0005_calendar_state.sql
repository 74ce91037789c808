CREATE TABLE "calendar_state" (
	"key" text PRIMARY KEY DEFAULT 'calendar' NOT NULL,
	"version" text NOT NULL,
	"announced_at" timestamp with time zone DEFAULT now() NOT NULL
);
