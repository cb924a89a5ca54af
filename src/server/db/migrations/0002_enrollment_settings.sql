CREATE TABLE "enrollment_settings" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enrollment_settings" ADD CONSTRAINT "enrollment_settings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_choices_offering_idx" ON "application_choices" USING btree ("school_id","offering_id","weekday");--> statement-breakpoint
CREATE INDEX "enrollments_offer_idx" ON "enrollments" USING btree ("offer_expires_at") WHERE status = 'offered';