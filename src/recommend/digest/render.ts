// Renders a digest from titles and an unsubscribe link, and refuses (throws) when the result
// would say anything about viewing habits (a title whose name does is dropped before this).

import { viewingHabitWords } from './content-rules.js';
import { DIGEST_HTML, DIGEST_SUBJECT, DIGEST_TEXT } from './templates.js';

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderDigest(titles: readonly string[], unsubscribeUrl: string): RenderedDigest {
  const fill = (template: string, list: string, url: string) => template.replace('{{titles}}', list).replace(/\{\{url\}\}/g, url);
  const rendered = {
    subject: DIGEST_SUBJECT,
    text: fill(DIGEST_TEXT, titles.map((t) => `- ${t}`).join('\n'), unsubscribeUrl),
    html: fill(DIGEST_HTML, titles.map((t) => `<li>${escapeHtml(t)}</li>`).join('\n'), escapeHtml(unsubscribeUrl)),
  };
  const words = viewingHabitWords(`${rendered.subject}\n${rendered.text}\n${rendered.html}`);
  if (words.length > 0) throw new Error(`a digest would mention viewing habits (${words.join(', ')}); not sent`);
  return rendered;
}
