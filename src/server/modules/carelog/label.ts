/** The name a group has now ("普通托管（一二年级） 1组"), kept on care-log rows that must outlive the group. */
import { sql } from 'drizzle-orm';

export const groupLabelSql = (schoolId: string, groupId: string | null) =>
  sql`COALESCE((SELECT o.name || ' ' || g.idx || '组' FROM care_groups g JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
                 WHERE g.school_id = ${schoolId} AND g.id = ${groupId}), '')`;
