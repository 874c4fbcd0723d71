// The Attributes column: tokens ended by ";" such as "Autoplayed: user action: None; ",
// "user action: User_Interaction; ", "Has branched playback; ", "View was hidden; ".
//
// userAction: Netflix writes it for autoplayed views. "None" and "Unspecified" (nothing
// recorded) map to 'none', "User_Interaction" to 'interaction', "Visibility_Timeout" to
// 'visibility_timeout'. A view that was not autoplayed and has no user action was started by
// the member pressing play, so it counts as 'interaction'.

import type { UserAction } from '../../domain/model.js';

export interface Attributes {
  autoplayed: boolean;
  userAction: UserAction;
  branched: boolean;
  hidden: boolean;
  /** Tokens binge does not know, kept as written. */
  other: string[];
}

const USER_ACTION = /^(?:autoplayed:\s*)?user action:\s*(.*)$/i;

function userActionOf(value: string): UserAction {
  const key = value.trim().toLowerCase();
  if (key === 'user_interaction') return 'interaction';
  if (key === 'visibility_timeout') return 'visibility_timeout';
  return 'none';
}

export function parseAttributes(text: string): Attributes {
  let autoplayed = false;
  let action: UserAction | null = null;
  let branched = false;
  let hidden = false;
  const other: string[] = [];
  for (const raw of text.split(';')) {
    const token = raw.trim();
    if (token === '') continue;
    const lower = token.toLowerCase();
    const m = USER_ACTION.exec(token);
    if (m !== null) {
      autoplayed ||= lower.startsWith('autoplayed');
      action = userActionOf(m[1]);
    } else if (lower === 'autoplayed') autoplayed = true;
    else if (lower === 'has branched playback') branched = true;
    else if (lower === 'view was hidden') hidden = true;
    else other.push(token);
  }
  return { autoplayed, userAction: action ?? (autoplayed ? 'none' : 'interaction'), branched, hidden, other };
}
