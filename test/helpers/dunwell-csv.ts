/**
 * A seeded 100k-row-class invoice CSV in the generic Dunwell format, the same bytes on every run:
 * accounts of 20 invoices, ISO dates over two years, amounts with cents, some credit notes, quoted names
 * with commas, a quarter of the invoices paid, a few disputed. Used by the import and store benchmarks.
 */
/** mulberry32: a tiny seeded PRNG, so the generated file is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
function isoOf(day: number): string {
  const d = new Date(day * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function generateDunwellCsv(rows: number, seed = 42): string {
  const rand = prng(seed);
  const accounts = Math.max(1, Math.floor(rows / 20));
  const zones = ['America/Chicago', 'America/New_York', 'Europe/London', 'UTC'];
  const segments = ['wholesale', 'retail', 'public'];
  const start = Date.UTC(2023, 0, 1) / 86_400_000;
  const lines = ['account_number,account_name,segment,time_zone,document_number,document_type,issue_date,due_date,currency,amount,open_amount,paid_date,disputed'];
  for (let i = 0; i < rows; i++) {
    const a = i % accounts;
    const issue = start + Math.floor(rand() * 700);
    const credit = rand() < 0.05;
    const cents = 1000 + Math.floor(rand() * 5_000_000);
    const amount = `${credit ? '-' : ''}${Math.floor(cents / 100)}.${pad(cents % 100)}`;
    const paid = !credit && rand() < 0.25;
    const partial = !paid && !credit && rand() < 0.2;
    const open = paid ? '0.00' : partial ? `${Math.floor(cents / 200)}.${pad(cents % 100)}` : amount;
    lines.push(
      [
        `C${String(a).padStart(6, '0')}`,
        `"Customer ${a}, Inc."`,
        segments[a % segments.length],
        zones[a % zones.length],
        `INV-${String(i).padStart(8, '0')}`,
        credit ? 'credit_note' : 'invoice',
        isoOf(issue),
        isoOf(issue + 30),
        'USD',
        amount,
        open,
        paid ? isoOf(issue + 10 + Math.floor(rand() * 60)) : '',
        rand() < 0.03 ? 'true' : 'false',
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

