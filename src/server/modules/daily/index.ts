/**
 * Every afternoon (issue 4): care groups (编班) for the office, the teacher's roll call and release,
 * relay care and the duty console with live events. One plugin mounts the module's routes.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { attendanceRoutes } from './attendance.routes';
import { dutyRoutes } from './duty.routes';
import { groupRoutes } from './groups.routes';

export const dailyModule: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [groupRoutes, attendanceRoutes, dutyRoutes]) await app.register(plugin);
};
