// The weekly digest: who gets one (members consenting to recommendation e-mails now, not yet
// sent this ISO week), which titles (their profiles' recommendation rows, never "continue
// watching", titles only), and the real SMTP exchange through nodemailer. The only module of
// binge that sends mail. Reports hold counts and titles, never addresses.

import nodemailer from 'nodemailer';
import type { Millis } from '../../domain/model.js';
import { BingeError } from '../../errors.js';
import type { Store } from '../../store/port.js';
import type { PrivacyStore } from '../../store/privacy-port.js';
import type { RecommendStore } from '../../store/recommend-port.js';
import type { RecommendConfig } from '../config.js';
import type { RecommendService } from '../serving.js';
import { viewingHabitWords } from './content-rules.js';
import { renderDigest } from './render.js';
import { unsubscribeSecret, unsubscribeToken } from './unsubscribe-token.js';

export interface DigestDeps {
  store: Pick<Store, 'meta' | 'setMeta'>;
  recommend: RecommendStore;
  privacy: PrivacyStore;
  serving: RecommendService;
  config: RecommendConfig;
  now: () => Millis;
}

export interface DigestPlan {
  week: string;
  recipients: { memberId: string; titles: string[] }[];
  alreadySent: number;
  withoutTitles: number;
}

export interface DigestReport {
  week: string;
  dryRun: boolean;
  /** Members who get (or, in a dry run, would get) the digest. */
  recipients: number;
  sent: number;
  alreadySent: number;
  withoutTitles: number;
  /** Every title in the digests of this run, each once. */
  titles: string[];
}

/** ISO 8601 week of a UTC instant, as "2025-W07". */
export function isoWeek(ms: Millis): string {
  const d = new Date(ms);
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = (day.getUTCDay() + 6) % 7; // Monday 0
  day.setUTCDate(day.getUTCDate() - weekday + 3); // the Thursday of this week decides the year
  const year = day.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((day.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The titles of one member's digest: their profiles' recommendation rows, round-robin, each title once. */
async function titlesFor(deps: DigestDeps, memberId: string): Promise<string[]> {
  const lists: string[][] = [];
  for (const profile of await deps.privacy.profilesOf(memberId)) {
    const { rows } = await deps.serving.rowsFor({ profileId: profile.profileId, memberId });
    lists.push(rows.filter((r) => r.id !== 'continue_watching').flatMap((r) => r.items.map((i) => i.name)));
  }
  const chosen: string[] = [];
  for (let at = 0; chosen.length < deps.config.digestTitles && lists.some((l) => at < l.length); at++) {
    for (const list of lists) {
      const name = list[at];
      if (name === undefined || chosen.includes(name) || viewingHabitWords(name).length > 0) continue;
      if (chosen.length < deps.config.digestTitles) chosen.push(name);
    }
  }
  return chosen;
}

export async function planDigests(deps: DigestDeps): Promise<DigestPlan> {
  const nowMs = deps.now();
  const week = isoWeek(nowMs);
  const plan: DigestPlan = { week, recipients: [], alreadySent: 0, withoutTitles: 0 };
  for (const memberId of await deps.privacy.membersConsenting('recommendation_emails', nowMs)) {
    if (await deps.recommend.digestSent(memberId, week)) {
      plan.alreadySent++;
      continue;
    }
    const titles = await titlesFor(deps, memberId);
    if (titles.length === 0) plan.withoutTitles++;
    else plan.recipients.push({ memberId, titles });
  }
  return plan;
}

export async function sendDigests(deps: DigestDeps, options: { dryRun?: boolean } = {}): Promise<DigestReport> {
  const plan = await planDigests(deps);
  const report: DigestReport = {
    week: plan.week,
    dryRun: options.dryRun === true,
    recipients: plan.recipients.length,
    sent: 0,
    alreadySent: plan.alreadySent,
    withoutTitles: plan.withoutTitles,
    titles: [...new Set(plan.recipients.flatMap((r) => r.titles))],
  };
  if (options.dryRun || plan.recipients.length === 0) return report;
  const { config } = deps;
  const secret = await unsubscribeSecret(deps.store);
  const emails = await deps.recommend.emailsOf(plan.recipients.map((r) => r.memberId));
  const transport = nodemailer.createTransport({ host: config.smtpHost, port: config.smtpPort, secure: false, connectionTimeout: 10_000 });
  try {
    for (const recipient of plan.recipients) {
      const to = emails.get(recipient.memberId);
      if (!to) continue;
      const token = unsubscribeToken(secret, recipient.memberId);
      const url = `${config.publicUrl.replace(/\/$/, '')}/v1/unsubscribe?token=${token}`;
      const mailto = `mailto:${config.unsubscribeMailbox}?subject=unsubscribe%20${token}`;
      const message = renderDigest(recipient.titles, url);
      try {
        await transport.sendMail({
          from: config.digestFrom,
          to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { 'List-Unsubscribe': `<${mailto}>, <${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        });
      } catch (error) {
        throw new BingeError('BINGE_MAIL_FAILED', `the SMTP server ${config.smtpHost}:${config.smtpPort} did not accept a digest (${(error as Error).message}); ${report.sent} sent before it`, {
          cause: error,
          details: { sent: report.sent },
        });
      }
      await deps.recommend.recordDigestSend({ memberId: recipient.memberId, week: plan.week, sentAtMs: deps.now(), titles: recipient.titles });
      report.sent++;
    }
  } finally {
    transport.close();
  }
  return report;
}
