CREATE TABLE "calendar_feeds" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_feeds_secret_hash_unique" UNIQUE("secret_hash")
);
--> statement-breakpoint
CREATE TABLE "registry_agencies" (
	"registry" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"short_name" text NOT NULL,
	"kind" text NOT NULL,
	"merged_into" text,
	"search" text NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "registry_agencies_registry_code_pk" PRIMARY KEY("registry","code")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "recipient" text DEFAULT 'contact' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "preferences" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_agencies" ADD CONSTRAINT "registry_agencies_registry_agency_registries_key_fk" FOREIGN KEY ("registry") REFERENCES "public"."agency_registries"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "users_registry_name" ON "users" USING btree ("registry","name");