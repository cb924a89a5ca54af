CREATE TABLE "attendance" (
	"school_id" uuid NOT NULL,
	"day" date NOT NULL,
	"group_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"status" text DEFAULT 'expected' NOT NULL,
	"marked_at" timestamp with time zone,
	"marked_by" uuid,
	"handover" text DEFAULT 'none' NOT NULL,
	"relay_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"released_to_pickup_id" uuid,
	"released_to_name" text,
	"released_alone" boolean DEFAULT false NOT NULL,
	"released_by" uuid,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "attendance_school_id_day_group_id_student_id_pk" PRIMARY KEY("school_id","day","group_id","student_id"),
	CONSTRAINT "attendance_status_ck" CHECK ("attendance"."status" IN ('expected','present','late','leave','absent')),
	CONSTRAINT "attendance_handover_ck" CHECK ("attendance"."handover" IN ('none','relay','released')),
	CONSTRAINT "attendance_released_ck" CHECK ("attendance"."handover" <> 'released' OR "attendance"."status" IN ('present','late'))
);
--> statement-breakpoint
CREATE TABLE "care_group_members" (
	"school_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	CONSTRAINT "care_group_members_school_id_group_id_student_id_pk" PRIMARY KEY("school_id","group_id","student_id")
);
--> statement-breakpoint
CREATE TABLE "care_groups" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"key" text NOT NULL,
	"weekday" smallint NOT NULL,
	"slot" text NOT NULL,
	"campus_id" uuid NOT NULL,
	"offering_id" uuid NOT NULL,
	"band" text NOT NULL,
	"idx" smallint NOT NULL,
	"teacher_staff_id" uuid,
	"provider_name" text DEFAULT '' NOT NULL,
	"venue_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "care_groups_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "care_groups_key_uq" UNIQUE("school_id","term_id","key","weekday"),
	CONSTRAINT "care_groups_weekday_ck" CHECK ("care_groups"."weekday" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "daily_writes" (
	"school_id" uuid NOT NULL,
	"key" text NOT NULL,
	"account_id" uuid NOT NULL,
	"result" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_writes_school_id_key_pk" PRIMARY KEY("school_id","key")
);
--> statement-breakpoint
CREATE TABLE "day_closures" (
	"school_id" uuid NOT NULL,
	"day" date NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_by" uuid,
	CONSTRAINT "day_closures_school_id_day_pk" PRIMARY KEY("school_id","day")
);
--> statement-breakpoint
CREATE TABLE "duty_assignments" (
	"school_id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"staff_id" uuid NOT NULL,
	CONSTRAINT "duty_assignments_school_id_term_id_weekday_staff_id_pk" PRIMARY KEY("school_id","term_id","weekday","staff_id")
);
--> statement-breakpoint
CREATE TABLE "grouping_runs" (
	"school_id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"violations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"solver" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"generated_by" uuid,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grouping_runs_school_id_term_id_pk" PRIMARY KEY("school_id","term_id")
);
--> statement-breakpoint
CREATE TABLE "missing_cases" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"day" date NOT NULL,
	"group_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opened_by" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"note" text DEFAULT '' NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	CONSTRAINT "missing_cases_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "missing_cases_pupil_uq" UNIQUE("school_id","day","group_id","student_id")
);
--> statement-breakpoint
CREATE TABLE "teacher_checkins" (
	"school_id" uuid NOT NULL,
	"day" date NOT NULL,
	"group_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teacher_checkins_school_id_day_group_id_pk" PRIMARY KEY("school_id","day","group_id")
);
--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_group_members" ADD CONSTRAINT "care_group_members_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_group_members" ADD CONSTRAINT "care_group_members_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_group_members" ADD CONSTRAINT "care_group_members_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_groups" ADD CONSTRAINT "care_groups_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_groups" ADD CONSTRAINT "care_groups_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_groups" ADD CONSTRAINT "care_groups_school_id_offering_id_offerings_school_id_id_fk" FOREIGN KEY ("school_id","offering_id") REFERENCES "public"."offerings"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_groups" ADD CONSTRAINT "care_groups_school_id_teacher_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","teacher_staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_writes" ADD CONSTRAINT "daily_writes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "day_closures" ADD CONSTRAINT "day_closures_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_school_id_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grouping_runs" ADD CONSTRAINT "grouping_runs_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grouping_runs" ADD CONSTRAINT "grouping_runs_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missing_cases" ADD CONSTRAINT "missing_cases_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missing_cases" ADD CONSTRAINT "missing_cases_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missing_cases" ADD CONSTRAINT "missing_cases_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teacher_checkins" ADD CONSTRAINT "teacher_checkins_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teacher_checkins" ADD CONSTRAINT "teacher_checkins_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_group_members_student_idx" ON "care_group_members" USING btree ("school_id","student_id");--> statement-breakpoint
CREATE INDEX "care_groups_day_idx" ON "care_groups" USING btree ("school_id","term_id","weekday");--> statement-breakpoint
CREATE INDEX "missing_cases_open_idx" ON "missing_cases" USING btree ("school_id","day","status");