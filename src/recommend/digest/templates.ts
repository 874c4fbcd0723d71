// The digest e-mail: a list of titles and how to stop receiving it. Nothing about anyone's
// viewing (content-rules.ts). Placeholders: {{titles}} (rendered list), {{url}} (the
// one-click unsubscribe link). Titles are escaped in HTML.

export const DIGEST_SUBJECT = 'Titles picked for you this week';

export const DIGEST_TEXT = `Hello,

Here are titles we picked for you this week:

{{titles}}

Enjoy!

You receive this because you asked for title recommendations by e-mail.
Stop these e-mails with one click: {{url}}
`;

export const DIGEST_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${DIGEST_SUBJECT}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>Hello,</p>
<p>Here are titles we picked for you this week:</p>
<ul>
{{titles}}
</ul>
<p>Enjoy!</p>
<p style="font-size: small; color: #555">You receive this because you asked for title recommendations by e-mail.
<a href="{{url}}">Stop these e-mails with one click</a>.</p>
</body></html>
`;

export const TEMPLATES: Readonly<Record<string, string>> = Object.freeze({ subject: DIGEST_SUBJECT, text: DIGEST_TEXT, html: DIGEST_HTML });
