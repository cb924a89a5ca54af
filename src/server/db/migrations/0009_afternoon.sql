CREATE TABLE "afternoon_settings" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"code_secret" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "class_handovers" (
	"school_id" uuid NOT NULL,
	"day" date NOT NULL,
	"class_id" uuid NOT NULL,
	"pupils" integer NOT NULL,
	"handed_by" uuid NOT NULL,
	"handed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_handovers_school_id_day_class_id_pk" PRIMARY KEY("school_id","day","class_id")
);
--> statement-breakpoint
CREATE TABLE "handover_notes" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"day" date NOT NULL,
	"student_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"written_by" uuid NOT NULL,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handover_notes_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "handover_notes_kind_ck" CHECK ("handover_notes"."kind" IN ('medicine','early_pickup','substitute','other'))
);
--> statement-breakpoint
CREATE TABLE "headcounts" (
	"school_id" uuid NOT NULL,
	"day" date NOT NULL,
	"scope" text NOT NULL,
	"group_id" uuid,
	"campus_id" uuid NOT NULL,
	"counted" integer NOT NULL,
	"expected" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "headcounts_school_id_day_scope_pk" PRIMARY KEY("school_id","day","scope"),
	CONSTRAINT "headcounts_counts_ck" CHECK ("headcounts"."counted" >= 0 AND "headcounts"."expected" >= 0)
);
--> statement-breakpoint
CREATE TABLE "leave_requests" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"from_day" date NOT NULL,
	"to_day" date NOT NULL,
	"slots" text[] NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text DEFAULT '' NOT NULL,
	"cancelled_by" uuid,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "leave_requests_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "leave_requests_range_ck" CHECK ("leave_requests"."from_day" <= "leave_requests"."to_day"),
	CONSTRAINT "leave_requests_source_ck" CHECK ("leave_requests"."source" IN ('app','call')),
	CONSTRAINT "leave_requests_status_ck" CHECK ("leave_requests"."status" IN ('pending','approved','refused','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "pickup_records" (
	"school_id" uuid NOT NULL,
	"day" date NOT NULL,
	"group_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"via" text NOT NULL,
	"substitute_id" uuid,
	"guardian_account_id" uuid,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" uuid,
	CONSTRAINT "pickup_records_school_id_day_group_id_student_id_pk" PRIMARY KEY("school_id","day","group_id","student_id"),
	CONSTRAINT "pickup_records_via_ck" CHECK ("pickup_records"."via" IN ('list','substitute','code','alone'))
);
--> statement-breakpoint
CREATE TABLE "pickup_substitutes" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"day" date NOT NULL,
	"name" text NOT NULL,
	"phone" text NOT NULL,
	"relation" text NOT NULL,
	"photo" text,
	"id_last4" text,
	"announced_by" uuid NOT NULL,
	"announced_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "pickup_substitutes_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "pickup_substitutes_id_ck" CHECK ("pickup_substitutes"."id_last4" IS NULL OR "pickup_substitutes"."id_last4" ~ '^[0-9]{3}[0-9Xx]$')
);
--> statement-breakpoint
ALTER TABLE "afternoon_settings" ADD CONSTRAINT "afternoon_settings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_handovers" ADD CONSTRAINT "class_handovers_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_handovers" ADD CONSTRAINT "class_handovers_school_id_class_id_classes_school_id_id_fk" FOREIGN KEY ("school_id","class_id") REFERENCES "public"."classes"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_notes" ADD CONSTRAINT "handover_notes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_notes" ADD CONSTRAINT "handover_notes_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "headcounts" ADD CONSTRAINT "headcounts_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "headcounts" ADD CONSTRAINT "headcounts_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "headcounts" ADD CONSTRAINT "headcounts_school_id_campus_id_campuses_school_id_id_fk" FOREIGN KEY ("school_id","campus_id") REFERENCES "public"."campuses"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD CONSTRAINT "leave_requests_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD CONSTRAINT "leave_requests_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pickup_records" ADD CONSTRAINT "pickup_records_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pickup_records" ADD CONSTRAINT "pickup_records_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pickup_records" ADD CONSTRAINT "pickup_records_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pickup_substitutes" ADD CONSTRAINT "pickup_substitutes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pickup_substitutes" ADD CONSTRAINT "pickup_substitutes_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "handover_notes_day_idx" ON "handover_notes" USING btree ("school_id","day","student_id");--> statement-breakpoint
CREATE INDEX "leave_requests_student_idx" ON "leave_requests" USING btree ("school_id","student_id","from_day");--> statement-breakpoint
CREATE INDEX "leave_requests_day_idx" ON "leave_requests" USING btree ("school_id","status","from_day","to_day");--> statement-breakpoint
CREATE INDEX "pickup_substitutes_day_idx" ON "pickup_substitutes" USING btree ("school_id","student_id","day");