/**
 * A planner for the SQLite writer's tests (sqlite-writer.ts, `submitPlan`), loaded in the writer's
 * worker: `times` bumps of a new key, and a note saying which thread planned it.
 */
import { isMainThread, threadId } from 'node:worker_threads';
import type { WriteStep } from '../../sync-server/store/sqlite-writer';

export interface TestPlan {
  readonly k: string;
  readonly times: number;
  /** Throw instead of planning. */
  readonly refuse?: boolean;
}

export function plan(p: TestPlan): { steps: WriteStep[]; note: { steps: number; isMainThread: boolean; threadId: number } } {
  if (p.refuse === true) throw new Error(`no plan for ${p.k}`);
  const steps: WriteStep[] = [{ s: 'put', p: [p.k, 0] }];
  for (let i = 0; i < p.times; i++) steps.push({ s: 'bump', p: [p.k] });
  return { steps, note: { steps: steps.length, isMainThread, threadId } };
}
