/**
 * The first line of a CSV file as column names, for the mapping builder's choices. Only the header is
 * read here (quotes and doubled quotes honoured); the rows are the server's to parse and check.
 */
export function csvHeader(text: string, delimiter = ','): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cell.trim());
      cell = '';
    } else if (ch === '\n' || ch === '\r') break;
    else cell += ch;
  }
  out.push(cell.trim());
  return out.filter((c, i) => c !== '' || i < out.length - 1);
}

/** Data lines (not counting the header or a trailing blank line): a quick size for the wizard to show. */
export function lineCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  if (text.length > 0 && text.charCodeAt(text.length - 1) !== 10) n++;
  return Math.max(0, n - 1);
}
