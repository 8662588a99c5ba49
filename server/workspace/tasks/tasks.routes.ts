import { Router } from 'express';
import { z } from 'zod/v4';
import { declareRoute } from '../../http/contract/api-contract';
import { queryInt } from '../../http/contract/fields';
import { requireActor } from '../../identity/policy';
import { DEFAULT_TASK_LIMIT, MAX_TASK_LIMIT, type TasksService } from './tasks.service';

/** My tasks (我的待办): one inbox per member of staff, the workspace's home page. */
export function tasksRoutes(tasks: TasksService): Router {
  const router = Router();
  const [first, ...rest] = tasks.kinds;
  const query = z
    .object({
      kind: z.enum([first!, ...rest]).optional().describe(`only tasks of this kind: ${tasks.kinds.join(', ')}`),
      limit: queryInt(1, MAX_TASK_LIMIT).optional().default(DEFAULT_TASK_LIMIT),
    })
    .strict();

  declareRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/tasks',
      summary: 'What waits for the caller, earliest deadline first (no deadline last): rows with kind, student, due time, overdue and where the work is done; counts per kind',
      tag: 'My tasks (我的待办)',
      query,
      labels: { kind: '待办类型', limit: '条数' },
    },
    async ({ query: q }, req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await tasks.forActor(requireActor(req.actor), q));
    },
  );
  return router;
}
