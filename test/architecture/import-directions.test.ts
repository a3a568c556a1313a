/**
 * The import directions of DESIGN.md §5 are enforced by lint rules (eslint.config.js). These cases prove
 * the rules bite: each probe is linted as if it sat in the named folder.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The probes are not files of the TypeScript project, so type-aware rules are off for them; the
// import rules under test need no types.
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: [tseslint.configs.disableTypeChecked] });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('import directions (DESIGN.md §5)', () => {
  it('the engine may not import a package other than zod', async () => {
    expect(await ruleIds('src/domain/probe.ts', "import { Dexie } from 'dexie';\nexport const x = Dexie;\n")).toContain('no-restricted-imports');
  });

  // The rule checks resolved paths, so the probes import modules that exist.
  it('the engine may not import the server, the app layer or the UI', async () => {
    for (const from of ['../../sync-server/store/migrations', '../app/server-api', '../ui/App']) {
      expect(await ruleIds('src/domain/probe.ts', `import { y } from '${from}';\nexport const x = y;\n`)).toContain('import-x/no-restricted-paths');
    }
  });

  it('the engine may not read the clock or draw random numbers', async () => {
    const ids = await ruleIds('src/domain/probe.ts', 'export const x = [Date.now(), Math.random()];\n');
    expect(ids.filter((i) => i === 'no-restricted-properties')).toHaveLength(2);
  });

  it('the server may not import the app layers', async () => {
    expect(await ruleIds('sync-server/probe.ts', "import { App } from '../src/ui/App';\nexport const x = App;\n")).toContain(
      'import-x/no-restricted-paths',
    );
  });

  it('the UI may not reach the server or the wire protocol directly', async () => {
    for (const from of ['../../sync-server/store/migrations', '../protocol/version']) {
      expect(await ruleIds('src/ui/probe.ts', `import { y } from '${from}';\nexport const x = y;\n`)).toContain('import-x/no-restricted-paths');
    }
  });

  it('an import cycle is refused', async () => {
    // calendar.ts does not import money.ts; a probe standing in for calendar.ts that imports a module
    // which imports calendar.ts closes a cycle.
    expect(await ruleIds('src/domain/calendar.ts', "import { minor } from './money';\nimport { x } from './ledger';\nexport const y = [minor, x];\n")).toContain(
      'import-x/no-cycle',
    );
  });

  it('allowed imports pass: domain → zod and itself', async () => {
    const ids = await ruleIds('src/domain/probe.ts', "import { z } from 'zod';\nimport { dayOf } from './calendar';\nexport const x = [z, dayOf];\n");
    expect(ids.filter((i) => i === 'no-restricted-imports' || i === 'import-x/no-restricted-paths')).toEqual([]);
  });

  it('no default exports', async () => {
    expect(await ruleIds('src/domain/probe.ts', 'const x = 1;\nexport default x;\n')).toContain('no-restricted-syntax');
  });
});
