CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"registry" text NOT NULL,
	"agency_code" text,
	"role" text,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"secret" text,
	"preferences" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"notification_id" bigint,
	"contact_id" uuid NOT NULL,
	"registry" text NOT NULL,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"content" jsonb,
	"digest_id" bigint,
	"dispatched_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"failed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "delivery_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"outcome" text NOT NULL,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "planned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_owner_address" ON "contacts" USING btree ("registry",coalesce("agency_code", ''),coalesce("role", ''),"channel","address");--> statement-breakpoint
CREATE INDEX "contacts_agency" ON "contacts" USING btree ("registry","agency_code");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_message" ON "deliveries" USING btree ("key","contact_id");--> statement-breakpoint
CREATE INDEX "deliveries_undispatched" ON "deliveries" USING btree ("id") WHERE "deliveries"."status" = 'pending' and "deliveries"."dispatched_at" is null;--> statement-breakpoint
CREATE INDEX "deliveries_waiting_digest" ON "deliveries" USING btree ("contact_id") WHERE "deliveries"."status" = 'pending' and "deliveries"."mode" = 'digest';--> statement-breakpoint
CREATE INDEX "deliveries_registry_status" ON "deliveries" USING btree ("registry","status","id");--> statement-breakpoint
CREATE INDEX "deliveries_notification" ON "deliveries" USING btree ("notification_id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery" ON "delivery_attempts" USING btree ("delivery_id","at");--> statement-breakpoint
CREATE INDEX "notifications_unplanned" ON "notifications" USING btree ("id") WHERE "notifications"."planned_at" is null;