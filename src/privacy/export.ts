// A member's export: everything kept about them, as JSON or CSV, in the layout README.md
// documents. Pure functions over the rows the store returns (MEMBER_TABLES) and the audit
// entries about the member.
//
// CSV is "long": one line per cell, `table,row,column,value`, so every table fits one file and
// one parser. A cell starting with = + - @ tab or carriage return is prefixed with ' so a
// spreadsheet shows it as text instead of running it as a formula (OWASP, CSV injection).

import type { MemberRows, PrivacyStore } from '../store/privacy-port.js';
import type { AuditEntry } from './audit.js';
import { consentsAt, type ConsentChange, type ConsentPurpose } from './consent.js';

export const EXPORT_FORMAT = 'binge-export/1';

export interface AccessLogLine {
  seq: number;
  at: string;
  /** "you" for the member's own actions; a staff account id or "cli:<user>" otherwise. */
  who: string;
  role: string;
  purpose: string;
  ticket: string | null;
  data: string;
  what: string;
  outcome: string;
}

export interface MemberExport {
  format: typeof EXPORT_FORMAT;
  memberId: string;
  exportedAt: string;
  consentsNow: Record<ConsentPurpose, boolean>;
  tables: MemberRows;
  accessLog: AccessLogLine[];
}

/** Audit entries as the member sees them. */
export function accessLogLines(entries: readonly AuditEntry[], ownPseudonym: string): AccessLogLine[] {
  return entries.map((e) => ({
    seq: e.seq,
    at: new Date(e.atMs).toISOString(),
    who: e.asker === ownPseudonym ? 'you' : e.asker,
    role: e.role,
    purpose: e.purpose,
    ticket: e.ticket,
    data: e.data,
    what: e.what,
    outcome: e.outcome,
  }));
}

export function buildExport(memberId: string, tables: MemberRows, accessLog: AccessLogLine[], consentHistory: readonly ConsentChange[], nowMs: number): MemberExport {
  return { format: EXPORT_FORMAT, memberId, exportedAt: new Date(nowMs).toISOString(), consentsNow: consentsAt(consentHistory, nowMs), tables, accessLog };
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet will not evaluate. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function csvField(value: string): string {
  const safe = neutraliseCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Long CSV: header `table,row,column,value`; the export's own fields are under table "export". */
export function exportToCsv(data: MemberExport): string {
  const lines = ['table,row,column,value'];
  const add = (table: string, row: number, column: string, value: unknown) =>
    lines.push([table, String(row), column, cellText(value)].map(csvField).join(','));
  add('export', 0, 'format', data.format);
  add('export', 0, 'memberId', data.memberId);
  add('export', 0, 'exportedAt', data.exportedAt);
  for (const [purpose, granted] of Object.entries(data.consentsNow)) add('consents_now', 0, purpose, granted);
  for (const [table, rows] of Object.entries(data.tables)) {
    rows.forEach((row, i) => {
      for (const [column, value] of Object.entries(row)) add(table, i, column, value);
    });
  }
  data.accessLog.forEach((line, i) => {
    for (const [column, value] of Object.entries(line)) add('access_log', i, column, value);
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** Gathers the member's export from the store (rows of MEMBER_TABLES, consent, entries about them). */
export async function collectExport(store: PrivacyStore, memberId: string, nowMs: number): Promise<MemberExport> {
  const pseudonym = await store.pseudonymOf(memberId);
  const [tables, entries, history] = [await store.memberRows(memberId), await store.auditEntriesAbout(pseudonym), await store.consentHistory(memberId)];
  return buildExport(memberId, tables, accessLogLines(entries, pseudonym), history, nowMs);
}
