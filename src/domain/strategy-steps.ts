/**
 * A level's steps: which one is next and when.
 *
 * How it works. The level is entered on its delinquency range's first day (reference due date +
 * `daysPastDue.min`), or later when a step of another level was done later ("previous reminder" mode).
 * Walking the steps in order, a step is done when `stepsDone` has it since the level's start, or (not
 * manual) when a contact on its channel, or for a hold step an account hold, came since it fell due and
 * after the previous step. The first step not done is next: due `afterDays` after entry (first step) or
 * after the previous step was done; a manual step's open task sets its date; contact steps then wait
 * for the minimum contact delay and move past pauses.
 */
import type { AccountState, StepDone } from './account-state';
import type { ActivityChannel, Instant } from './facts';
import type { CompiledLevel, CompiledStep, CompiledStrategy, StepTexts } from './strategy-compile';
import { decide, pauseContact, pauseWaiting, plural, type Frame, type NextAction, type StrategyDecision, type StrategyWaiting, type WaitingReason } from './strategy-decision';
import type { MeasuredAccount } from './strategy-metrics';
import { flat } from './retained';
import { DAY_MS, dateOfMs, dayStartMs, instantMs, instantOfMs } from './strategy-time';

// The instants (ms) of the attempts of the account levelStep is deciding, parsed newest first as far as
// a step has looked: a level's steps look back over the same attempts one after the other, and each
// parse returned a boxed number (young garbage). Module scratch, valid for one levelStep call.
let attemptTimes = new Float64Array(64);
let attemptTimesParsed = 0;

/** First contact on `channel` at or after `sinceMs` and strictly after `afterMs` (attempts are oldest first). */
function contactSince(state: AccountState, channel: ActivityChannel, sinceMs: number, afterMs: number): number {
  const attempts = state.attempts;
  const n = attempts.length;
  if (attemptTimes.length < n) {
    const grown = new Float64Array(2 * n);
    grown.set(attemptTimes.subarray(0, attemptTimesParsed));
    attemptTimes = grown;
  }
  const times = attemptTimes;
  let found = Number.NaN;
  for (let i = n - 1; i >= 0; i--) {
    const a = attempts[i] as AccountState['attempts'][number];
    // times[n - 1 - j] holds the j-th newest attempt's instant once parsed.
    const j = n - 1 - i;
    if (j >= attemptTimesParsed) {
      times[j] = instantMs(a.at);
      attemptTimesParsed = j + 1;
    }
    const t = times[j] as number;
    if (t < sinceMs || t <= afterMs) break;
    if (a.channel === channel) found = t;
  }
  return found;
}

function holdSince(state: AccountState, sinceMs: number, afterMs: number): number {
  let found = Number.NaN;
  for (let i = 0; i < state.holds.length; i++) {
    const h = state.holds[i] as AccountState['holds'][number];
    if (h.fact.documentNumbers !== undefined) continue;
    const t = instantMs(h.fact.at);
    if (t >= sinceMs && t > afterMs && !(found <= t)) found = t;
  }
  return found;
}

/** When `stepId` was done by `done` (AccountState.stepsDone), if it was. */
export function stepDoneAt(done: readonly StepDone[], stepId: string): Instant | undefined {
  for (let i = 0; i < done.length; i++) {
    const d = done[i] as StepDone;
    if (d.stepId === stepId) return d.at;
  }
  return undefined;
}

/** Latest `stepsDone` time of the strategy's steps outside `level`; -Infinity if none. */
function doneOutside(c: CompiledStrategy, level: CompiledLevel, done: readonly StepDone[]): number {
  let latest = -Infinity;
  if (done.length === 0) return latest;
  for (let i = 0; i < c.steps.length; i++) {
    const s = c.steps[i] as CompiledStep;
    if (s.levelIndex === level.index) continue;
    const at = stepDoneAt(done, s.id);
    if (at !== undefined) latest = Math.max(latest, instantMs(at));
  }
  return latest;
}

export function levelStep(f: Frame, level: CompiledLevel, state: AccountState, measured: MeasuredAccount, lastContactMs: number): StrategyDecision {
  attemptTimesParsed = 0;
  const c = f.c;
  const steps = level.steps;
  if (steps.length === 0)
    return decide(f, null, levelWait(level, false));
  const refMs = Number.isNaN(measured.referenceDueDay) ? dayStartMs(dateOfMs(f.asOfMs)) : measured.referenceDueDay * DAY_MS;
  const rangeEntryMs = refMs + level.entryOffsetMs;
  const entryMs = Math.max(rangeEntryMs, doneOutside(c, level, state.stepsDone));
  const startMs = entryMs + level.leadMs;

  let baseMs = entryMs;
  let prev: CompiledStep | null = null;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as CompiledStep;
    const rawMs = baseMs + s.afterMs;
    const doneAt = stepDoneAt(state.stepsDone, s.id);
    const doneMs = doneAt === undefined ? Number.NaN : instantMs(doneAt);
    if (doneMs >= startMs) {
      baseMs = doneMs;
      prev = s;
      continue;
    }
    if (!s.manual) {
      const after = prev === null ? -Infinity : baseMs;
      const t =
        s.channel !== null ? contactSince(state, s.channel, Math.max(rawMs, startMs), after) : s.kind === 'hold' ? holdSince(state, Math.max(rawMs, startMs), after) : Number.NaN;
      if (!Number.isNaN(t)) {
        baseMs = t;
        prev = s;
        continue;
      }
    }
    return stepDecision(f, level, s, prev, rawMs, baseMs, entryMs, state, lastContactMs);
  }
  return decide(f, null, levelWait(level, true));
}

// Per level: its two waits that name only the level, made once and shared (frozen).
const levelWaits = new WeakMap<CompiledLevel, { readonly none: StrategyWaiting; readonly done: StrategyWaiting }>();

function levelWait(level: CompiledLevel, done: boolean): StrategyWaiting {
  let t = levelWaits.get(level);
  if (t === undefined) {
    t = {
      none: Object.freeze({ reason: 'step-not-due', detail: flat(`Level "${level.name}" has no steps: nothing goes out while the account is at it.`) }),
      done: Object.freeze({ reason: 'step-not-due', detail: flat(`Every step of level "${level.name}" is done; the next steps come when the account moves to another level.`) }),
    };
    levelWaits.set(level, t);
  }
  return done ? t.done : t.none;
}

/**
 * The decision for step `s`, the first not done. Its timing comes as three numbers, not an object: `rawMs`
 * (its due time by the strategy), `baseMs` (the previous step's done time, or the entry) and `entryMs`
 * (the level's entry).
 */
function stepDecision(
  f: Frame,
  level: CompiledLevel,
  s: CompiledStep,
  prev: CompiledStep | null,
  rawMs: number,
  baseMs: number,
  entryMs: number,
  state: AccountState,
  lastContactMs: number,
): StrategyDecision {
  const c = f.c;
  let dueMs = rawMs;
  let why: WaitingReason = 'step-not-due';
  let note = '';
  if (s.manual)
    for (let i = 0; i < state.tasks.length; i++) {
      const task = state.tasks[i] as AccountState['tasks'][number];
      if (task.status === 'open' && task.fact.stepId === s.id && instantMs(task.fact.at) >= entryMs + level.leadMs) {
        // A person scheduled the step: their date wins over the strategy's.
        dueMs = instantMs(task.dueAt);
        why = 'manual-step';
        note = ` Scheduled by a task for ${task.dueAt.slice(0, 10)}.`;
      }
    }
  let pause = -1;
  if (s.contact) {
    if (c.minContactDelayMs > 0 && !Number.isNaN(lastContactMs) && lastContactMs + c.minContactDelayMs > dueMs) {
      dueMs = lastContactMs + c.minContactDelayMs;
      why = 'min-contact-delay';
      note = ` Kept ${plural(c.minContactDelayDays, 'day')} after the last contact on ${dateOfMs(lastContactMs)}.`;
    }
    const moved = pauseContact(c, dueMs, f.asOfMs);
    if (moved.pause >= 0) {
      dueMs = moved.ms;
      pause = moved.pause;
      why = 'pause';
      note = ` Moved past the pause "${c.pauseReasons[pause] ?? ''}".`;
    }
  }
  const because = f.because ?? (f.matched.length > 0 ? ` (${f.matched.join(', ')})` : '');
  const texts = stepTexts(s, prev, baseMs, entryMs);
  const dueAt = instantOfMs(dueMs);
  let reason: string | undefined;
  // A reason without a note is the same for every account at this step, day and "why": shared.
  const shared = note === '' && f.because !== undefined;
  if (shared) reason = texts.reasons.get(because);
  if (reason === undefined) {
    reason = flat(`${s.prefix}${because}, ${texts.timing}.${note}${s.manual ? MANUAL_NOTE : ''}`);
    if (shared) {
      if (texts.reasons.size >= TEXTS_SIZE) texts.reasons.clear();
      texts.reasons.set(because, reason);
    }
  }
  const next: NextAction =
    s.channel === null
      ? { kind: s.kind, stepId: s.id, levelId: level.id, action: s.action, manual: s.manual, dueAt, reason }
      : s.template === null
        ? { kind: s.kind, channel: s.channel, stepId: s.id, levelId: level.id, action: s.action, manual: s.manual, dueAt, reason }
        : { kind: s.kind, channel: s.channel, template: s.template, stepId: s.id, levelId: level.id, action: s.action, manual: s.manual, dueAt, reason };
  if (dueMs <= f.asOfMs) return decide(f, next);
  if (pause >= 0) return decide(f, next, pauseWaiting(c, pause, dueMs, `"${s.label}"`));
  return decide(f, next, { reason: why, until: dueAt, detail: waitingDetail(c, s, why, dueMs, lastContactMs) });
}

const TEXTS_SIZE = 1024;
const MANUAL_NOTE = ' Later steps wait until it is done or skipped.';

/** The step's timing sentence for the day it is counted from, with its shared reasons. */
function stepTexts(s: CompiledStep, prev: CompiledStep | null, baseMs: number, entryMs: number): StepTexts {
  // prev is the step before s (every earlier step is done), so the day alone tells the sentence.
  const fromMs = prev === null ? entryMs : baseMs;
  const day = Math.floor(fromMs / DAY_MS);
  let texts = s.texts.get(day);
  if (texts === undefined) {
    const d = s.afterDays;
    const timing =
      prev === null
        ? d === 0
          ? `due on entering the level (${dateOfMs(entryMs)})`
          : d > 0
            ? `due ${plural(d, 'day')} after entering the level on ${dateOfMs(entryMs)}`
            : `due ${plural(-d, 'day')} before the level's date ${dateOfMs(entryMs)}`
        : `due ${plural(d, 'day')} after "${prev.label}" on ${dateOfMs(baseMs)}`;
    texts = { timing: flat(timing), reasons: new Map() };
    if (s.texts.size >= TEXTS_SIZE) s.texts.clear();
    s.texts.set(day, texts);
  }
  return texts;
}

// Waiting details by step, then by day and kind (they name a date and the step): shared.
const detailCache = new WeakMap<CompiledStep, Map<number, string>>();

function waitingDetail(c: CompiledStrategy, s: CompiledStep, why: WaitingReason, dueMs: number, lastContactMs: number): string {
  const kind = why === 'min-contact-delay' ? 0 : why === 'manual-step' ? 1 : 2;
  const day = Math.floor((kind === 0 ? lastContactMs : dueMs) / DAY_MS);
  const key = day * 3 + kind;
  let byKey = detailCache.get(s);
  if (byKey === undefined) {
    byKey = new Map();
    detailCache.set(s, byKey);
  }
  let detail = byKey.get(key);
  if (detail === undefined) {
    detail =
      kind === 0
        ? `"${s.label}" waits ${plural(c.minContactDelayDays, 'day')} after the last contact (${dateOfMs(lastContactMs)}).`
        : kind === 1
          ? `"${s.label}" is scheduled for ${dateOfMs(dueMs)}; later steps wait for it.`
          : `"${s.label}" is due on ${dateOfMs(dueMs)}.`;
    detail = flat(detail);
    if (byKey.size >= TEXTS_SIZE) byKey.clear();
    byKey.set(key, detail);
  }
  return detail;
}
