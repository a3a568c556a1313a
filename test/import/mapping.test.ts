/** Mappings: the presets, JSON files that extend them, and mappings refused with a message. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importMappingSchema, resolveMapping } from '../../src/domain/import/mapping';
import { PRESETS } from '../../src/domain/import/presets';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

function refused(input: unknown): string {
  const r = resolveMapping(input);
  if (r.ok) throw new Error('expected the mapping to be refused');
  return r.error;
}

describe('import mappings', () => {
  it('resolves both presets, by name and as JSON text', () => {
    for (const name of ['ibm', 'dunwell']) {
      const r = resolveMapping(name);
      expect(r.ok).toBe(true);
      expect(resolveMapping(JSON.stringify(PRESETS[name as 'ibm']))).toEqual(r);
    }
  });

  it('the ibm preset reads the IBM columns', () => {
    const r = resolveMapping('ibm');
    if (!r.ok) throw new Error(r.error);
    expect(r.mapping).toMatchObject({ dateFormat: 'M/D/YYYY', currency: 'USD' });
    expect(r.mapping.columns.documentNumber).toEqual({ column: 'invoiceNumber', optional: false });
    expect(r.mapping.columns.segment).toMatchObject({ column: 'countryCode', template: 'country-{value}' });
  });

  it('a mapping file may extend a preset: keys replace, columns and constants merge, null removes', () => {
    const r = resolveMapping({
      extends: 'dunwell',
      name: 'eu-dunwell',
      currency: 'EUR',
      columns: { accountName: 'customer_name', dueDate: null },
      constants: { termsDays: 14 },
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.mapping.name).toBe('eu-dunwell');
    expect(r.mapping.currency).toBe('EUR');
    expect(r.mapping.dateFormat).toBe('YYYY-MM-DD');
    expect(r.mapping.columns.accountName).toEqual({ column: 'customer_name', optional: false });
    expect(r.mapping.columns.dueDate).toBeUndefined();
    expect(r.mapping.columns.amount).toEqual({ column: 'amount', optional: false });
    expect(r.mapping.constants.termsDays).toBe(14);
  });

  it('the example mapping file of the docs is valid', () => {
    const r = resolveMapping(JSON.parse(fixture('acme-erp.mapping.json')));
    expect(r.ok).toBe(true);
  });

  it.each([
    ['an unknown preset', 'sap', 'unknown mapping preset "sap"'],
    ['JSON that does not parse', '{"dateFormat":', 'the mapping is not JSON'],
    ['an unknown base', { extends: 'oracle' }, 'extends'],
    ['a missing required column', { dateFormat: 'YYYY-MM-DD', currency: 'USD', columns: { accountNumber: 'a', documentNumber: 'd', issueDate: 'i', dueDate: 'u' } }, 'columns.amount: a column for amount is required'],
    ['no due date and no terms', { extends: 'dunwell', columns: { dueDate: null } }, 'columns.dueDate: a column for dueDate is required (or constants.termsDays)'],
    ['a date format it does not know', { extends: 'dunwell', dateFormat: 'DD.MM.YY' }, 'dateFormat'],
    ['an unknown currency', { extends: 'dunwell', currency: 'XYZ' }, 'currency: expected an ISO 4217 currency code'],
    ['a misspelt key', { extends: 'dunwell', colums: {} }, 'colums'],
    ['a misspelt field', { extends: 'dunwell', columns: { acountName: 'x' } }, 'acountName'],
    ['a word meaning yes and no', { extends: 'dunwell', booleans: { true: ['Y'], false: ['y'] } }, 'a word cannot mean both yes and no: y'],
    ['the same decimal mark and separator', { extends: 'dunwell', decimal: { decimal: ',', thousands: ',' } }, 'must differ'],
    ['a template without {value}', { extends: 'ibm', columns: { segment: { column: 'countryCode', template: 'country' } } }, 'a template must contain {value}'],
    ['an unreadable constant credit limit', { extends: 'dunwell', constants: { creditLimit: '5,000' } }, 'constants.creditLimit'],
    ['an invalid constant time zone', { extends: 'dunwell', constants: { timeZone: 'Nowhere/Land' } }, 'constants.timeZone'],
  ])('refuses %s', (_what, input, message) => {
    expect(refused(input)).toContain(message);
  });

  it('fills the defaults a short mapping leaves out', () => {
    const m = importMappingSchema.parse({
      dateFormat: 'D/M/YYYY',
      currency: 'GBP',
      columns: { accountNumber: 'acct', documentNumber: 'doc', issueDate: 'date', amount: 'amt' },
      constants: { termsDays: 30 },
    });
    expect(m).toMatchObject({ name: 'custom', delimiter: ',', decimal: { decimal: '.', thousands: ',' } });
    expect(m.booleans.true).toContain('yes');
  });
});
