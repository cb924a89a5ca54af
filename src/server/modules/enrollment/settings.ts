/** The school's enrolment settings, with the defaults of shared/enrollment for what is not set. */
import { eq, sql } from 'drizzle-orm';
import { type EnrollmentSettings, enrollmentSettingsSchema } from '../../../shared/enrollment';
import type { Db } from '../../db/client';
import { enrollmentSettings } from '../../db/schema';

export async function loadSettings(db: Db, schoolId: string): Promise<EnrollmentSettings> {
  const [row] = await db
    .select({ s: enrollmentSettings.settings })
    .from(enrollmentSettings)
    .where(eq(enrollmentSettings.schoolId, schoolId));
  const parsed = enrollmentSettingsSchema.safeParse(row?.s ?? {});
  return parsed.success ? parsed.data : enrollmentSettingsSchema.parse({});
}

export async function saveSettings(db: Db, schoolId: string, settings: EnrollmentSettings): Promise<void> {
  await db
    .insert(enrollmentSettings)
    .values({ schoolId, settings })
    .onConflictDoUpdate({ target: enrollmentSettings.schoolId, set: { settings, updatedAt: sql`now()` } });
}
