// What a recommendation e-mail may never say: anything about the member's viewing habits or
// amounts (ARCHITECTURE.md, "What the project must not contain"). Checked on every template (a
// test) and on every rendered message before it is sent (render.ts throws).

/** Words and phrases about habits or amounts of viewing. */
export const VIEWING_HABIT_PATTERN =
  /\b(hours?|hrs?|minutes?|mins?|episodes?|binge\w*|streaks?|watched|watching|you spent|in a row|marathon|every day|per day|days straight|time spent|screen time)\b|\d+\s*(h|m)\b/i;

/**
 * Habit words in `text`. Links are left out first: the unsubscribe token is random base64url and
 * may by chance hold "3h-" or "-min-"; the links are binge's own, never about viewing.
 */
export function viewingHabitWords(text: string): string[] {
  const found: string[] = [];
  const global = new RegExp(VIEWING_HABIT_PATTERN.source, 'gi');
  const withoutLinks = text.replace(/(https?:\/\/|mailto:)[^\s"'<>]+/gi, ' ');
  for (const m of withoutLinks.matchAll(global)) found.push(m[0]);
  return found;
}
