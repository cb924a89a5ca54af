CREATE TABLE "offerings" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"slot" text NOT NULL,
	"grade_min" smallint NOT NULL,
	"grade_max" smallint NOT NULL,
	"weekdays" smallint[] NOT NULL,
	"capacity" integer NOT NULL,
	"venue_id" uuid,
	"teacher_staff_id" uuid,
	"provider_name" text DEFAULT '' NOT NULL,
	"fee_mode" text DEFAULT 'free' NOT NULL,
	"fee_fen" integer DEFAULT 0 NOT NULL,
	"allocation" text DEFAULT 'approval' NOT NULL,
	"opens_at" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offerings_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "offerings_grades_ck" CHECK ("offerings"."grade_min" BETWEEN 1 AND 6 AND "offerings"."grade_max" BETWEEN "offerings"."grade_min" AND 6),
	CONSTRAINT "offerings_capacity_ck" CHECK ("offerings"."capacity" > 0),
	CONSTRAINT "offerings_fee_ck" CHECK ("offerings"."fee_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plan_slots" (
	"school_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"slot" text NOT NULL,
	"season" text NOT NULL,
	"grade_band" text DEFAULT 'all' NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	CONSTRAINT "plan_slots_school_id_plan_id_slot_season_grade_band_pk" PRIMARY KEY("school_id","plan_id","slot","season","grade_band"),
	CONSTRAINT "plan_slots_time_ck" CHECK ("plan_slots"."start_time" < "plan_slots"."end_time")
);
--> statement-breakpoint
CREATE TABLE "plan_versions" (
	"school_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"reviewed_at" timestamp with time zone,
	"reviewer_account_id" uuid,
	"review_comment" text DEFAULT '' NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "plan_versions_school_id_plan_id_version_pk" PRIMARY KEY("school_id","plan_id","version")
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"safety_measures" text DEFAULT '' NOT NULL,
	"complaint_phone" text DEFAULT '' NOT NULL,
	"complaint_channel" text DEFAULT '' NOT NULL,
	"fee_basis" text DEFAULT '' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "plans_term_uq" UNIQUE("school_id","term_id")
);
--> statement-breakpoint
CREATE TABLE "survey_answers" (
	"school_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"days" jsonb NOT NULL,
	"interests" text[] DEFAULT '{}'::text[] NOT NULL,
	"pickup_time" text,
	"lunch" boolean DEFAULT false NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_answers_school_id_survey_id_student_id_pk" PRIMARY KEY("school_id","survey_id","student_id")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"title" text NOT NULL,
	"intro" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"closes_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "term_days" (
	"school_id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"as_weekday" smallint,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "term_days_school_id_term_id_day_pk" PRIMARY KEY("school_id","term_id","day")
);
--> statement-breakpoint
CREATE TABLE "terms" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"winter_from" date,
	"summer_from" date,
	"apply_opens_at" timestamp with time zone,
	"apply_closes_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "terms_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "terms_name_uq" UNIQUE("school_id","name"),
	CONSTRAINT "terms_dates_ck" CHECK ("terms"."starts_on" <= "terms"."ends_on")
);
--> statement-breakpoint
CREATE TABLE "venues" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"campus_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'classroom' NOT NULL,
	"capacity" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "venues_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "venues_name_uq" UNIQUE("school_id","campus_id","name"),
	CONSTRAINT "venues_capacity_ck" CHECK ("venues"."capacity" > 0)
);
--> statement-breakpoint
CREATE TABLE "agreement_signatures" (
	"school_id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"text_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"text_hash" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text DEFAULT '' NOT NULL,
	CONSTRAINT "agreement_signatures_school_id_term_id_student_id_text_id_pk" PRIMARY KEY("school_id","term_id","student_id","text_id")
);
--> statement-breakpoint
CREATE TABLE "agreement_texts" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreement_texts_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "agreement_texts_version_uq" UNIQUE("school_id","kind","version")
);
--> statement-breakpoint
CREATE TABLE "application_choices" (
	"school_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"offering_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"rank" smallint DEFAULT 1 NOT NULL,
	CONSTRAINT "application_choices_school_id_application_id_offering_id_weekday_pk" PRIMARY KEY("school_id","application_id","offering_id","weekday"),
	CONSTRAINT "application_choices_weekday_ck" CHECK ("application_choices"."weekday" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"priority_category" text,
	"priority_note" text DEFAULT '' NOT NULL,
	"lunch" boolean DEFAULT false NOT NULL,
	"go_home_alone" boolean DEFAULT false NOT NULL,
	"review_comment" text DEFAULT '' NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "applications_student_uq" UNIQUE("school_id","term_id","student_id")
);
--> statement-breakpoint
CREATE TABLE "enrollments" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"offering_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"status" text NOT NULL,
	"queue_key" double precision NOT NULL,
	"offer_expires_at" timestamp with time zone,
	"effective_from" date,
	"effective_to" date,
	"source" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enrollments_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "enrollments_seat_uq" UNIQUE("school_id","offering_id","weekday","student_id"),
	CONSTRAINT "enrollments_idem_uq" UNIQUE("school_id","idempotency_key"),
	CONSTRAINT "enrollments_weekday_ck" CHECK ("enrollments"."weekday" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "lottery_runs" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"offering_id" uuid NOT NULL,
	"seed" text NOT NULL,
	"weights" jsonb NOT NULL,
	"entrants" integer NOT NULL,
	"result" jsonb NOT NULL,
	"run_by" uuid,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lottery_runs_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"link" text DEFAULT '' NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "notifications_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "offering_seats" (
	"school_id" uuid NOT NULL,
	"offering_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"capacity" integer NOT NULL,
	"taken" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "offering_seats_school_id_offering_id_weekday_pk" PRIMARY KEY("school_id","offering_id","weekday"),
	CONSTRAINT "offering_seats_taken_ck" CHECK ("offering_seats"."taken" >= 0 AND "offering_seats"."taken" <= "offering_seats"."capacity")
);
--> statement-breakpoint
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_school_id_plan_id_plans_school_id_id_fk" FOREIGN KEY ("school_id","plan_id") REFERENCES "public"."plans"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_school_id_venue_id_venues_school_id_id_fk" FOREIGN KEY ("school_id","venue_id") REFERENCES "public"."venues"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_school_id_teacher_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","teacher_staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_slots" ADD CONSTRAINT "plan_slots_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_slots" ADD CONSTRAINT "plan_slots_school_id_plan_id_plans_school_id_id_fk" FOREIGN KEY ("school_id","plan_id") REFERENCES "public"."plans"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_school_id_plan_id_plans_school_id_id_fk" FOREIGN KEY ("school_id","plan_id") REFERENCES "public"."plans"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_school_id_survey_id_surveys_school_id_id_fk" FOREIGN KEY ("school_id","survey_id") REFERENCES "public"."surveys"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "term_days" ADD CONSTRAINT "term_days_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "term_days" ADD CONSTRAINT "term_days_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terms" ADD CONSTRAINT "terms_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_school_id_campus_id_campuses_school_id_id_fk" FOREIGN KEY ("school_id","campus_id") REFERENCES "public"."campuses"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_school_id_text_id_agreement_texts_school_id_id_fk" FOREIGN KEY ("school_id","text_id") REFERENCES "public"."agreement_texts"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_texts" ADD CONSTRAINT "agreement_texts_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_choices" ADD CONSTRAINT "application_choices_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_choices" ADD CONSTRAINT "application_choices_school_id_application_id_applications_school_id_id_fk" FOREIGN KEY ("school_id","application_id") REFERENCES "public"."applications"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_choices" ADD CONSTRAINT "application_choices_school_id_offering_id_offerings_school_id_id_fk" FOREIGN KEY ("school_id","offering_id") REFERENCES "public"."offerings"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_school_id_offering_id_offerings_school_id_id_fk" FOREIGN KEY ("school_id","offering_id") REFERENCES "public"."offerings"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lottery_runs" ADD CONSTRAINT "lottery_runs_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lottery_runs" ADD CONSTRAINT "lottery_runs_school_id_offering_id_offerings_school_id_id_fk" FOREIGN KEY ("school_id","offering_id") REFERENCES "public"."offerings"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offering_seats" ADD CONSTRAINT "offering_seats_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offering_seats" ADD CONSTRAINT "offering_seats_school_id_offering_id_offerings_school_id_id_fk" FOREIGN KEY ("school_id","offering_id") REFERENCES "public"."offerings"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offerings_plan_idx" ON "offerings" USING btree ("school_id","plan_id");--> statement-breakpoint
CREATE INDEX "enrollments_student_idx" ON "enrollments" USING btree ("school_id","student_id");--> statement-breakpoint
CREATE INDEX "enrollments_queue_idx" ON "enrollments" USING btree ("school_id","offering_id","weekday","status","queue_key");--> statement-breakpoint
CREATE INDEX "notifications_account_idx" ON "notifications" USING btree ("account_id","created_at");