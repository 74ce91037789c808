CREATE TABLE "plan_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"registry" text NOT NULL,
	"created_by" text NOT NULL,
	"file_name" text,
	"format" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"table" jsonb NOT NULL,
	"fields" jsonb NOT NULL,
	"edits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"preview" jsonb NOT NULL,
	"imported_plan_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_sources" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"file_name" text,
	"format" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"edits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"imported_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "issued_on" date;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "completion" jsonb;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "plan_drafts" ADD CONSTRAINT "plan_drafts_imported_plan_id_plans_id_fk" FOREIGN KEY ("imported_plan_id") REFERENCES "public"."plans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_sources" ADD CONSTRAINT "plan_sources_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_drafts_registry" ON "plan_drafts" USING btree ("registry","created_at");--> statement-breakpoint
CREATE INDEX "plan_drafts_expires" ON "plan_drafts" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "plan_sources_plan" ON "plan_sources" USING btree ("plan_id","revision");