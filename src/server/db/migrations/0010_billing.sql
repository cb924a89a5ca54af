CREATE TABLE "approved_providers" (
	"district_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"credit_code" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "approved_providers_district_id_id_pk" PRIMARY KEY("district_id","id"),
	CONSTRAINT "approved_providers_name_uq" UNIQUE("district_id","name")
);
--> statement-breakpoint
CREATE TABLE "billing_runs" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"status" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"documents" integer DEFAULT 0 NOT NULL,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"started_by" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "billing_runs_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "billing_settings" (
	"school_id" uuid NOT NULL,
	"mode" text DEFAULT 'term' NOT NULL,
	"refund_preset" text DEFAULT 'by_day' NOT NULL,
	"due_days" integer DEFAULT 14 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_settings_school_id_pk" PRIMARY KEY("school_id"),
	CONSTRAINT "billing_settings_mode_ck" CHECK ("billing_settings"."mode" IN ('term','month')),
	CONSTRAINT "billing_settings_preset_ck" CHECK ("billing_settings"."refund_preset" IN ('by_day','half_month','none')),
	CONSTRAINT "billing_settings_due_ck" CHECK ("billing_settings"."due_days" BETWEEN 0 AND 90)
);
--> statement-breakpoint
CREATE TABLE "hardship_registrations" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"category" text NOT NULL,
	"basis_points" integer DEFAULT 10000 NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"evidence" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"verified_by" uuid,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hardship_registrations_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "hardship_bp_ck" CHECK ("hardship_registrations"."basis_points" BETWEEN 1 AND 10000)
);
--> statement-breakpoint
CREATE TABLE "service_cancellations" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"day" date NOT NULL,
	"offering_id" uuid,
	"reason" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_cancellations_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "doc_type" text DEFAULT 'invoice' NOT NULL;--> statement-breakpoint
ALTER TABLE "approved_providers" ADD CONSTRAINT "approved_providers_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_runs" ADD CONSTRAINT "billing_runs_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_runs" ADD CONSTRAINT "billing_runs_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hardship_registrations" ADD CONSTRAINT "hardship_registrations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hardship_registrations" ADD CONSTRAINT "hardship_registrations_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_cancellations" ADD CONSTRAINT "service_cancellations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_cancellations" ADD CONSTRAINT "service_cancellations_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_cancellations" ADD CONSTRAINT "service_cancellations_school_id_offering_id_offerings_school_id_id_fk" FOREIGN KEY ("school_id","offering_id") REFERENCES "public"."offerings"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "billing_runs_term_idx" ON "billing_runs" USING btree ("school_id","term_id");--> statement-breakpoint
CREATE INDEX "hardship_student_idx" ON "hardship_registrations" USING btree ("school_id","student_id");--> statement-breakpoint
CREATE INDEX "service_cancellations_term_idx" ON "service_cancellations" USING btree ("school_id","term_id","day");