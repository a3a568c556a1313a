/** Terminal reports of the strategy engine: the worklist and a simulation. */
import type { Instant } from '../../src/domain/facts';
import { toDecimalString } from '../../src/domain/money';
import type { SimulationResult } from '../../src/domain/simulation';
import type { WorklistEntry } from '../../src/domain/worklist';

const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

export function formatWorklist(portfolioId: string, asOf: Instant, entries: readonly WorklistEntry[]): string {
  const out = [`Worklist of ${portfolioId} at ${asOf}: ${entries.length} accounts`];
  entries.forEach((e, i) => {
    const m = e.decision.metrics;
    const next = e.decision.next;
    const what = next ? `${next.kind}${next.template ? ` (${next.template})` : ''}` : `waiting: ${e.decision.waiting?.reason ?? 'nothing to do'}`;
    const due = e.dueAt === undefined ? '' : ` due ${e.dueAt.slice(0, 16).replace('T', ' ')}Z`;
    out.push(
      `${String(i + 1).padStart(3)}. ${pad(`${e.accountNumber} ${e.accountName}`, 40)} score ${e.score.toFixed(1).padStart(6)}  ${toDecimalString(m.pastDue, m.currency)} ${m.currency} past due, ${m.oldestDaysPastDue} days (${m.bucketId ?? '—'})  ${e.assignedTo ?? 'unassigned'}`,
    );
    out.push(`     next: ${what}${due}`);
    if (next) out.push(`     why: ${next.reason}`);
    if (e.compliance && !e.compliance.allowed) out.push(`     blocked by ${e.compliance.rule}: ${e.compliance.reason}`);
    out.push(`     score: ${e.components.map((c) => `${c.id} ${c.points.toFixed(1)}`).join(', ')}`);
  });
  return out.join('\n');
}

export function formatSimulation(portfolioId: string, strategy: string, r: SimulationResult): string {
  const kinds = Object.keys(r.totals).sort();
  const out = [`Simulation of ${portfolioId} under ${strategy} for ${r.days} days from ${r.start}`];
  out.push(['date      ', ...kinds.map((k) => k.padStart(Math.max(6, k.length))), ' total', 'blocked'].join(' '));
  for (const d of r.perDay)
    out.push([d.date, ...kinds.map((k) => String(d.actions[k] ?? 0).padStart(Math.max(6, k.length))), String(d.total).padStart(6), String(d.blocked).padStart(7)].join(' '));
  out.push(['total     ', ...kinds.map((k) => String(r.totals[k] ?? 0).padStart(Math.max(6, k.length)))].join(' '));
  out.push('Accounts reaching each level:');
  for (const l of r.levels) out.push(`  ${l.strategyId} / ${l.levelName}: ${l.accounts}`);
  out.push(`Accounts escalated on the last day: ${r.escalatedAccounts}`);
  out.push('Assumptions:', ...r.assumptions.map((a) => `  - ${a}`));
  return out.join('\n');
}
