CREATE TABLE "escalations" (
	"assignment_id" text NOT NULL,
	"cycle" integer NOT NULL,
	"level" integer NOT NULL,
	"agency_code" text NOT NULL,
	"effective_due" date,
	"raised_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "escalations_assignment_id_cycle_level_pk" PRIMARY KEY("assignment_id","cycle","level")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"assignment_id" text NOT NULL,
	"recipient_agency" text,
	"recipient_role" text,
	"kind" text NOT NULL,
	"level" integer,
	"period" text,
	"text" text NOT NULL,
	"link" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	"dedupe_key" text NOT NULL,
	CONSTRAINT "notifications_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "report_filings" (
	"assignment_id" text NOT NULL,
	"period" text NOT NULL,
	"agency_code" text NOT NULL,
	"filed_at" timestamp with time zone,
	"late" boolean DEFAULT false NOT NULL,
	"marked_late_at" timestamp with time zone,
	CONSTRAINT "report_filings_assignment_id_period_pk" PRIMARY KEY("assignment_id","period")
);
--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_filings" ADD CONSTRAINT "report_filings_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "escalations_open" ON "escalations" USING btree ("level","raised_at") WHERE "escalations"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_agency" ON "notifications" USING btree ("recipient_agency","created_at");--> statement-breakpoint
CREATE INDEX "notifications_role" ON "notifications" USING btree ("recipient_role","created_at");--> statement-breakpoint
CREATE INDEX "notifications_assignment" ON "notifications" USING btree ("assignment_id");--> statement-breakpoint
CREATE INDEX "report_filings_period" ON "report_filings" USING btree ("period");--> statement-breakpoint
ALTER TABLE "assignments" DROP COLUMN "overdue";