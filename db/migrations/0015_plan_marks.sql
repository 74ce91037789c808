CREATE TABLE "plan_marks" (
	"plan_id" uuid NOT NULL,
	"timers" text NOT NULL,
	"through" timestamp with time zone NOT NULL,
	CONSTRAINT "plan_marks_plan_id_timers_pk" PRIMARY KEY("plan_id","timers")
);
--> statement-breakpoint
ALTER TABLE "plan_marks" ADD CONSTRAINT "plan_marks_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;