/**
 * From a command's input to the facts it writes: the envelope filled from the session, the device and
 * the clock; the whole fact parsed with `factSchema` (so a refinement names the field that failed);
 * the records a command refers to checked (a cancellation names a promise of this account).
 *
 * Role checks are here too: a viewer runs no command, MANAGER_COMMANDS need a manager or an admin.
 */
import type { z } from 'zod';
import { factSchema, type Fact, type FactType } from '../domain/facts';
import type { Role } from '../protocol/token';
import { commandSchemas, MANAGER_COMMANDS, type CommandError, type CommandName } from './commands';

export interface CommandContext {
  readonly user: { readonly id: string; readonly role: Role };
  readonly deviceId: string;
  readonly portfolioId: string;
  readonly now: string;
  readonly newId: () => string;
  readonly hasAccount: (accountNumber: string) => boolean;
  readonly factsOf: (accountNumber: string) => readonly Fact[];
  readonly hasStrategy: (id: string) => boolean;
}

/** What a command does: facts to write, or a configuration value to set in the config doc. */
export type Plan =
  | { readonly ok: true; readonly facts: readonly Fact[]; readonly config?: { readonly map: 'strategies' | 'settings'; readonly key: string; readonly value: unknown } }
  | { readonly ok: false; readonly error: CommandError };

/** Commands that write one fact of a type, their input being the fact without its envelope. */
const FACT_OF: Partial<Record<CommandName, FactType>> = {
  'activity/log': 'activity',
  'promise/take': 'promise',
  'promise/cancel': 'promise-cancelled',
  'dispute/raise': 'dispute',
  'dispute/resolve': 'dispute-resolved',
  'escalation/raise': 'escalation',
  'escalation/resolve': 'escalation-resolved',
  'task/schedule': 'task',
  'task/close': 'task-closed',
  'hold/place': 'hold',
  'hold/release': 'hold-released',
  'account/release-claim': 'claim-released',
  'strategy/override': 'strategy-override',
  'payment/record': 'field-receipt',
};

/** Fields that name an earlier fact of the same account, and the type it must have. */
const REFERENCES: Partial<Record<CommandName, { readonly field: string; readonly type: FactType; readonly derivedPrefix?: string }>> = {
  'promise/cancel': { field: 'promiseId', type: 'promise' },
  'dispute/resolve': { field: 'disputeId', type: 'dispute' },
  'escalation/resolve': { field: 'escalationId', type: 'escalation', derivedPrefix: 'derived:' },
  'task/close': { field: 'taskId', type: 'task' },
  'hold/release': { field: 'holdId', type: 'hold' },
  'account/release-claim': { field: 'claimId', type: 'claim' },
};

const issuesOf = (error: z.ZodError, prefix: readonly PropertyKey[] = []) =>
  error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.'), message: i.message }));

function refuse(code: CommandError['code'], message: string, issues?: CommandError['issues']): Plan {
  return { ok: false, error: issues === undefined ? { code, message } : { code, message, issues } };
}

export function mayRun(role: Role, name: CommandName): CommandError | undefined {
  if (role === 'viewer') return { code: 'forbidden', message: 'a viewer reads only: ask a manager for a collector role' };
  if (MANAGER_COMMANDS.has(name) && role !== 'manager' && role !== 'admin') return { code: 'forbidden', message: `${name} is for managers and admins` };
  return undefined;
}

function parseFact(raw: Record<string, unknown>): { ok: true; fact: Fact } | { ok: false; plan: Plan } {
  const r = factSchema.safeParse(raw);
  if (r.success) return { ok: true, fact: r.data };
  const issues = issuesOf(r.error);
  return { ok: false, plan: refuse('invalid', `invalid ${issues[0]?.path ?? 'input'}: ${issues[0]?.message ?? ''}`, issues) };
}

export function planCommand(name: CommandName, input: unknown, ctx: CommandContext): Plan {
  const denied = mayRun(ctx.user.role, name);
  if (denied !== undefined) return { ok: false, error: denied };
  const parsed = (commandSchemas[name] as z.ZodType).safeParse(input);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    return refuse('invalid', `invalid ${issues[0]?.path ?? 'input'}: ${issues[0]?.message ?? ''}`, issues);
  }
  const data = parsed.data as Record<string, unknown>;
  const envelope = (type: FactType, accountNumber: unknown) => ({
    v: 1,
    id: ctx.newId(),
    by: ctx.user.id,
    at: ctx.now,
    deviceId: ctx.deviceId,
    portfolioId: ctx.portfolioId,
    type,
    accountNumber,
  });
  const knownAccount = (accountNumber: unknown): Plan | undefined =>
    typeof accountNumber === 'string' && ctx.hasAccount(accountNumber) ? undefined : refuse('not_found', `no account ${String(accountNumber)} in this portfolio`);

  const type = FACT_OF[name];
  if (type !== undefined) {
    const missing = knownAccount(data.accountNumber);
    if (missing !== undefined) return missing;
    const ref = REFERENCES[name];
    if (ref !== undefined) {
      const id = data[ref.field];
      const derived = ref.derivedPrefix !== undefined && typeof id === 'string' && id.startsWith(ref.derivedPrefix);
      if (!derived && !ctx.factsOf(String(data.accountNumber)).some((f) => f.id === id && f.type === ref.type))
        return refuse('not_found', `no ${ref.type} ${String(id)} on account ${String(data.accountNumber)}`);
    }
    if (name === 'strategy/override' && typeof data.strategyId === 'string' && !ctx.hasStrategy(data.strategyId))
      return refuse('not_found', `no strategy ${data.strategyId}`);
    const f = parseFact({ ...data, ...envelope(type, data.accountNumber) });
    return f.ok ? { ok: true, facts: [f.fact] } : f.plan;
  }

  switch (name) {
    case 'account/assign': {
      const { accountNumbers, collector } = data as { accountNumbers: string[]; collector: string | null };
      const unknown = accountNumbers.filter((a) => !ctx.hasAccount(a));
      if (unknown.length > 0) return refuse('not_found', `no account ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} in this portfolio`);
      const facts: Fact[] = [];
      for (const accountNumber of new Set(accountNumbers)) {
        const f = parseFact({ ...envelope('assignment', accountNumber), collector });
        if (!f.ok) return f.plan;
        facts.push(f.fact);
      }
      return { ok: true, facts };
    }
    case 'account/claim': {
      const { accountNumber, minutes } = data as { accountNumber: string; minutes: number };
      const missing = knownAccount(accountNumber);
      if (missing !== undefined) return missing;
      const expiresAt = new Date(Date.parse(ctx.now) + minutes * 60_000).toISOString();
      const f = parseFact({ ...envelope('claim', accountNumber), expiresAt });
      return f.ok ? { ok: true, facts: [f.fact] } : f.plan;
    }
    case 'strategy/save': {
      const { strategy } = data as { strategy: { id: string } };
      return { ok: true, facts: [], config: { map: 'strategies', key: strategy.id, value: strategy } };
    }
    case 'strategy/assign-segment':
      // The selection lives in settings; the caller merges this segment into it (it knows the current one).
      return { ok: true, facts: [] };
    default:
      return refuse('invalid', `unknown command ${name}`);
  }
}
