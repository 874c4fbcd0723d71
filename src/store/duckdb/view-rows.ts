// One view written through DuckDB Appenders: its row of `views` and its rows of `view_days`, in
// the tables' column order. Shared by replaceViews (adapter.ts) and the imported views' pure
// fallback (imported-views.ts).

import type { DuckDBAppender } from '@duckdb/node-api';
import type { View } from '../../domain/model.js';

export function appendView(views: DuckDBAppender, days: DuckDBAppender, v: View): void {
  views.appendVarchar(v.viewId);
  views.appendVarchar(v.profileId);
  views.appendVarchar(v.titleId);
  views.appendVarchar(v.kind);
  views.appendBigInt(BigInt(v.startMs));
  views.appendBigInt(BigInt(v.endMs));
  views.appendDouble(v.watchedS);
  views.appendDouble(v.furthestS);
  views.appendDouble(v.bookmarkS);
  views.appendBoolean(v.completed);
  views.appendBoolean(v.rewatch);
  views.appendBoolean(v.autoplayed);
  views.appendBoolean(v.endedByTimeout);
  views.appendBoolean(v.interacted);
  views.appendInteger(v.sessions);
  views.appendVarchar(v.deviceId);
  views.appendVarchar(v.country);
  views.appendSmallInt(v.offsetMin);
  views.appendVarchar(v.day);
  views.endRow();
  for (const d of v.days) {
    days.appendVarchar(v.viewId);
    days.appendVarchar(v.profileId);
    days.appendVarchar(d.day);
    days.appendDouble(d.watchedS);
    days.endRow();
  }
}
