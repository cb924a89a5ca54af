/**
 * The audit log: every write, and every read of a pupil's file (POLICY N24), with who, when,
 * what and from where. Written inside the same transaction as the change it records.
 */
import type { Actor } from '../../auth/actor';
import type { Db } from '../../db/client';
import { auditLog, platformAuditLog } from '../../db/schema';
import { newId } from '../../lib/ids';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string;
  detail?: Record<string, unknown>;
}

export async function audit(db: Db, actor: Actor, schoolId: string, e: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    schoolId,
    id: newId(),
    accountId: actor.accountId,
    actorName: actor.displayName,
    role: actor.roles.join(','),
    action: e.action,
    entity: e.entity,
    entityId: e.entityId ?? '',
    ip: actor.ip,
    detail: e.detail ?? {},
  });
}

export async function auditPlatform(
  db: Db,
  e: AuditEntry & { accountId?: string | null; districtId?: string | null; ip: string },
): Promise<void> {
  await db.insert(platformAuditLog).values({
    id: newId(),
    accountId: e.accountId ?? null,
    districtId: e.districtId ?? null,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId ?? '',
    ip: e.ip,
    detail: e.detail ?? {},
  });
}
