/**
 * Checks a page in Chromium the way issue 5 asks of every screen: axe-core finds no serious or
 * critical violation, and every control a finger uses is at least 44 px tall and wide.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export interface AxeProblem {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

/** Serious and critical axe violations on the page as it is now (WCAG 2.x A and AA rules, best practices). */
export async function axeProblems(page: Page): Promise<AxeProblem[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

/** Visible controls smaller than 44 × 44 px (text links inside sentences are exempt, as in WCAG 2.5.5). */
export async function smallTargets(page: Page, min = 44): Promise<string[]> {
  return page.evaluate((m) => {
    const selector = [
      'button',
      'a.button',
      'nav a',
      'select',
      'textarea',
      'input:not([type=checkbox]):not([type=radio]):not([type=hidden])',
      '.segmented label',
      '.check-row',
      '.touch-check',
      'summary',
    ].join(',');
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      // The sync indicator's own link and skip link are measured like the rest; a stretched row link is the card.
      if (r.height < m - 0.5 || r.width < m - 0.5) out.push(`${el.tagName.toLowerCase()}${el.className === '' ? '' : `.${el.className}`} "${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 40)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  }, min);
}
