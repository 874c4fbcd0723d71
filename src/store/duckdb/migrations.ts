// Schema migrations, applied in order on open. Never edit a shipped migration: add a new one.

export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'events, catalogue, members, derived views, keys',
    sql: `
      CREATE TABLE events (
        event_id VARCHAR NOT NULL,
        playback_id VARCHAR NOT NULL,
        profile_id VARCHAR NOT NULL,
        title_id VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        position_s DOUBLE NOT NULL,
        at_ms BIGINT NOT NULL,
        offset_min SMALLINT,
        device_id VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        autoplayed BOOLEAN NOT NULL,
        user_action VARCHAR NOT NULL
      );
      CREATE TABLE titles (
        title_id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        runtime_s DOUBLE,
        series_id VARCHAR,
        series_name VARCHAR,
        season VARCHAR,
        episode INTEGER,
        supplemental_type VARCHAR,
        credits_at_s DOUBLE,
        released_at_ms BIGINT,
        genres VARCHAR[]
      );
      CREATE TABLE members (member_id VARCHAR PRIMARY KEY, country VARCHAR NOT NULL, created_at_ms BIGINT NOT NULL);
      CREATE TABLE profiles (profile_id VARCHAR PRIMARY KEY, member_id VARCHAR NOT NULL, name VARCHAR NOT NULL);
      CREATE TABLE devices (device_id VARCHAR PRIMARY KEY, member_id VARCHAR NOT NULL, kind VARCHAR NOT NULL);
      CREATE TABLE views (
        view_id VARCHAR NOT NULL,
        profile_id VARCHAR NOT NULL,
        title_id VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        start_ms BIGINT NOT NULL,
        end_ms BIGINT NOT NULL,
        watched_s DOUBLE NOT NULL,
        furthest_s DOUBLE NOT NULL,
        bookmark_s DOUBLE NOT NULL,
        completed BOOLEAN NOT NULL,
        rewatch BOOLEAN NOT NULL,
        autoplayed BOOLEAN NOT NULL,
        ended_by_timeout BOOLEAN NOT NULL,
        interacted BOOLEAN NOT NULL,
        sessions INTEGER NOT NULL,
        device_id VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        offset_min SMALLINT NOT NULL,
        day DATE NOT NULL
      );
      CREATE TABLE view_days (
        view_id VARCHAR NOT NULL,
        profile_id VARCHAR NOT NULL,
        day DATE NOT NULL,
        watched_s DOUBLE NOT NULL
      );
      CREATE TABLE hidden_views (profile_id VARCHAR NOT NULL, view_id VARCHAR NOT NULL, hidden_at_ms BIGINT NOT NULL, PRIMARY KEY (profile_id, view_id));
      CREATE TABLE dirty_profiles (profile_id VARCHAR PRIMARY KEY, from_ms BIGINT NOT NULL);
      CREATE TABLE api_keys (
        key_id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        label VARCHAR NOT NULL,
        hash VARCHAR NOT NULL UNIQUE,
        created_at_ms BIGINT NOT NULL
      );
      CREATE TABLE meta (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'privacy ledger of public-facts releases, and the releases published',
    sql: `
      CREATE TABLE IF NOT EXISTS dp_ledger (
        dataset VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        question_id VARCHAR NOT NULL,
        epsilon VARCHAR NOT NULL,
        delta DOUBLE NOT NULL,
        method VARCHAR NOT NULL,
        at_ms BIGINT NOT NULL,
        PRIMARY KEY (dataset, year, question_id)
      );
      CREATE TABLE IF NOT EXISTS dp_releases (
        dataset VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        question_id VARCHAR NOT NULL,
        released_at_ms BIGINT NOT NULL,
        body VARCHAR NOT NULL,
        PRIMARY KEY (dataset, year, question_id)
      );
    `,
  },
  {
    version: 3,
    name: 'privacy: accounts, pseudonyms, consent history, support grants, audit log, wellbeing settings, member signals',
    sql: `
      CREATE TABLE accounts (
        account_id VARCHAR PRIMARY KEY,
        email VARCHAR NOT NULL UNIQUE,
        password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        created_at_ms BIGINT NOT NULL
      );
      CREATE TABLE subject_pseudonyms (member_id VARCHAR PRIMARY KEY, pseudonym VARCHAR NOT NULL UNIQUE);
      CREATE TABLE consent_changes (
        member_id VARCHAR NOT NULL,
        purpose VARCHAR NOT NULL,
        granted BOOLEAN NOT NULL,
        at_ms BIGINT NOT NULL,
        seq BIGINT NOT NULL
      );
      CREATE TABLE support_grants (
        grant_id VARCHAR PRIMARY KEY,
        support_id VARCHAR NOT NULL,
        member_id VARCHAR NOT NULL,
        ticket VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        data VARCHAR[] NOT NULL,
        opened_at_ms BIGINT NOT NULL,
        expires_at_ms BIGINT NOT NULL,
        closed_at_ms BIGINT
      );
      CREATE TABLE audit_log (
        seq BIGINT NOT NULL,
        at_ms BIGINT NOT NULL,
        asker VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        subject VARCHAR,
        purpose VARCHAR NOT NULL,
        ticket VARCHAR,
        data VARCHAR NOT NULL,
        what VARCHAR NOT NULL,
        outcome VARCHAR NOT NULL,
        prev_hash VARCHAR NOT NULL,
        hash VARCHAR NOT NULL
      );
      CREATE TABLE wellbeing_settings (member_id VARCHAR PRIMARY KEY, bedtime VARCHAR, updated_at_ms BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS searches (event_id VARCHAR NOT NULL, profile_id VARCHAR NOT NULL, query VARCHAR NOT NULL, at_ms BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS thumbs (event_id VARCHAR NOT NULL, profile_id VARCHAR NOT NULL, title_id VARCHAR NOT NULL, rating VARCHAR NOT NULL, at_ms BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS onboarding_picks (profile_id VARCHAR NOT NULL, title_id VARCHAR NOT NULL, at_ms BIGINT NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'recommend: trained item models, digest e-mails sent (thumbs, picks and searches came with migration 3)',
    sql: `
      CREATE TABLE IF NOT EXISTS recommend_models (
        model_id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        params VARCHAR NOT NULL,
        trained_at_ms BIGINT NOT NULL,
        window_from_ms BIGINT NOT NULL,
        window_to_ms BIGINT NOT NULL,
        profiles INTEGER NOT NULL,
        consenting_members INTEGER NOT NULL,
        consent_digest VARCHAR NOT NULL,
        items INTEGER NOT NULL,
        interactions BIGINT NOT NULL,
        body BLOB NOT NULL
      );
      CREATE TABLE IF NOT EXISTS digest_sends (
        member_id VARCHAR NOT NULL,
        week VARCHAR NOT NULL,
        sent_at_ms BIGINT NOT NULL,
        titles VARCHAR[] NOT NULL,
        PRIMARY KEY (member_id, week)
      );
    `,
  },
  {
    version: 5,
    name: 'dirty marks: appended with each batch of events, removed up to the sequence a refresh read',
    // An upsert per commit cost ~18 ms per 4,000 events, and deleting a profile's mark after a
    // refresh could drop the mark of events committed while the refresh ran. Marks are now
    // appended (cheap, in the events' transaction) with a sequence number, and a refresh removes
    // only the marks up to the sequence it read.
    sql: `
      CREATE TABLE dirty_marks (profile_id VARCHAR NOT NULL, from_ms BIGINT NOT NULL, seq BIGINT NOT NULL);
      INSERT INTO dirty_marks SELECT profile_id, from_ms, 0 FROM dirty_profiles;
      DROP TABLE dirty_profiles;
    `,
  },
  {
    version: 7,
    name: 'playback bounds: first and last event time of each playback, kept by the views refresh',
    // An incremental refresh must find the playbacks that its new events continue and where they
    // began; that read every old event of the dirty profiles (most of the table after one more
    // day). The refresh keeps these bounds instead (views-refresh.ts); they start from every
    // stored event.
    sql: `
      CREATE TABLE playback_bounds (profile_id VARCHAR NOT NULL, playback_id VARCHAR NOT NULL, first_ms BIGINT NOT NULL, last_ms BIGINT NOT NULL);
      INSERT INTO playback_bounds SELECT profile_id, playback_id, min(at_ms), max(at_ms) FROM events GROUP BY profile_id, playback_id;
    `,
  },
  {
    version: 8,
    name: 'imported viewing history: one row per imported row (a Netflix row), views derived from them',
    // A Netflix row is one playback with its start, duration and bookmark: stored as such it is
    // one narrow row, where two events cost twice the inserts and a general views refresh.
    sql: `
      CREATE TABLE imported_sessions (
        row_id VARCHAR NOT NULL,
        profile_id VARCHAR NOT NULL,
        title_id VARCHAR NOT NULL,
        start_ms BIGINT NOT NULL,
        duration_s BIGINT NOT NULL,
        bookmark_s BIGINT NOT NULL,
        device_id VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        autoplayed BOOLEAN NOT NULL,
        user_action VARCHAR NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'views and view_days stored in profile order, so that reading one profile skips the other row groups',
    // A year in review reads one profile's whole history. Without an order, every row group of
    // views and view_days holds some of every profile, so each request scanned both tables (about
    // 500 ms at 10M events, growing with the data). In profile order, DuckDB's min/max per row
    // group skips all but one or two. An ART index was measured and rejected: its scan fetches
    // row by row and was slower than a full scan of 26k views. The refresh writes each batch in
    // the same order (views-refresh.ts); rows appended day by day drift from it again (see
    // DECISIONS 19). Rewritten in place (DELETE + INSERT), so constraints and indexes stay.
    sql: `
      CREATE TEMP TABLE _m9_views AS SELECT * FROM views ORDER BY profile_id, start_ms, view_id;
      DELETE FROM views;
      INSERT INTO views SELECT * FROM _m9_views;
      DROP TABLE _m9_views;
      CREATE TEMP TABLE _m9_days AS SELECT * FROM view_days ORDER BY profile_id, day, view_id;
      DELETE FROM view_days;
      INSERT INTO view_days SELECT * FROM _m9_days;
      DROP TABLE _m9_days;
    `,
  },
  {
    version: 10,
    name: 'signed-out tokens: ended before their expiry, refused until it',
    // Tokens are stateless (signed, 15 minutes); signing out records the token's id until it would
    // have expired, so that a restart does not bring it back (privacy/tokens.ts).
    sql: `
      CREATE TABLE IF NOT EXISTS revoked_tokens (jti VARCHAR PRIMARY KEY, expires_at_ms BIGINT NOT NULL);
    `,
  },
  {
    version: 11,
    name: 'imported history in a narrow form: numbers and codes, per-day rows only for views that do not fall on their own day',
    // Writing text is what an import of a million rows spent most on (DuckDB analyses and
    // compresses every text column): a 48-digit row id, a view id and the title, country, kind
    // and action of each row and view. Imported rows and views now keep the 64-bit row and view
    // keys as numbers, titles and countries as codes of two small public tables, kind and action
    // as enums; a view whose watched time all falls on its own day has no per-day rows (97 % of
    // them). Profile and device ids stay text: erasure and export find rows by them.
    // Readers are unchanged: `views`, `view_days` and `imported_sessions` are SQL views that
    // decode the imported rows next to the live ones (now `live_views`, `live_view_days`);
    // writers name the tables. An imported view's id becomes its first row's id, so that no digest
    // is computed per view; hidden marks move with it.
    sql: `
      CREATE TYPE title_kind AS ENUM ('movie', 'episode', 'supplemental');
      CREATE TYPE imported_action AS ENUM ('none', 'interaction', 'visibility_timeout');
      CREATE TABLE import_titles (tc INTEGER NOT NULL, title_id VARCHAR NOT NULL);
      CREATE TABLE import_countries (cc INTEGER NOT NULL, country VARCHAR NOT NULL);
      CREATE TABLE imported_rows (
        row_key UBIGINT NOT NULL,
        profile_id VARCHAR NOT NULL,
        tc INTEGER NOT NULL,
        start_ms BIGINT NOT NULL,
        duration_s BIGINT NOT NULL,
        bookmark_s BIGINT NOT NULL,
        device_id VARCHAR NOT NULL,
        cc INTEGER NOT NULL,
        autoplayed BOOLEAN NOT NULL,
        user_action imported_action NOT NULL
      );
      CREATE TABLE imported_views (
        view_key UBIGINT NOT NULL,
        profile_id VARCHAR NOT NULL,
        tc INTEGER NOT NULL,
        kind title_kind NOT NULL,
        start_ms BIGINT NOT NULL,
        end_ms BIGINT NOT NULL,
        watched_s DOUBLE NOT NULL,
        furthest_s DOUBLE NOT NULL,
        bookmark_s DOUBLE NOT NULL,
        completed BOOLEAN NOT NULL,
        rewatch BOOLEAN NOT NULL,
        autoplayed BOOLEAN NOT NULL,
        ended_by_timeout BOOLEAN NOT NULL,
        interacted BOOLEAN NOT NULL,
        sessions INTEGER NOT NULL,
        device_id VARCHAR NOT NULL,
        cc INTEGER NOT NULL,
        offset_min SMALLINT NOT NULL,
        day DATE NOT NULL,
        on_own_day BOOLEAN NOT NULL
      );
      CREATE TABLE imported_view_days (view_key UBIGINT NOT NULL, profile_id VARCHAR NOT NULL, day DATE NOT NULL, watched_s DOUBLE NOT NULL);

      INSERT INTO import_titles SELECT row_number() OVER (ORDER BY title_id), title_id
        FROM (SELECT title_id FROM imported_sessions UNION SELECT title_id FROM views WHERE starts_with(view_id, 'imported-'));
      INSERT INTO import_countries SELECT row_number() OVER (ORDER BY country), country
        FROM (SELECT country FROM imported_sessions UNION SELECT country FROM views WHERE starts_with(view_id, 'imported-'));
      INSERT INTO imported_rows
        SELECT ('0x' || s.row_id[1:16])::UBIGINT, s.profile_id, t.tc, s.start_ms, s.duration_s, s.bookmark_s, s.device_id, k.cc, s.autoplayed, s.user_action::imported_action
        FROM imported_sessions s JOIN import_titles t USING (title_id) JOIN import_countries k USING (country);
      -- An imported view's id is now its first row's id (imported-history.ts importedViewsOf): the
      -- row of the view's start whose playback id gives the old id's digest. Hidden marks follow.
      CREATE TEMP TABLE _m11_keys AS
        SELECT v.view_id AS old_id, v.profile_id,
               coalesce(min(('0x' || s.row_id[1:16])::UBIGINT), ('0x' || v.view_id[10:])::UBIGINT) AS view_key
        FROM views v LEFT JOIN imported_sessions s
          ON s.profile_id = v.profile_id AND s.title_id = v.title_id AND s.start_ms = v.start_ms
         AND substr(sha256(s.profile_id || '|' || s.title_id || '|' || s.row_id[1:16]), 1, 16) = v.view_id[10:]
        WHERE starts_with(v.view_id, 'imported-')
        GROUP BY v.view_id, v.profile_id;
      INSERT INTO hidden_views
        SELECT h.profile_id, 'imported-' || printf('%016x', k.view_key), h.hidden_at_ms
        FROM hidden_views h JOIN _m11_keys k ON k.old_id = h.view_id AND k.profile_id = h.profile_id
        WHERE 'imported-' || printf('%016x', k.view_key) <> h.view_id;
      DELETE FROM hidden_views USING _m11_keys k
        WHERE hidden_views.view_id = k.old_id AND hidden_views.profile_id = k.profile_id AND 'imported-' || printf('%016x', k.view_key) <> k.old_id;
      -- Views moved as they are, with their per-day rows (on_own_day false): the next import recomputes them in the new form.
      INSERT INTO imported_views
        SELECT m.view_key, v.profile_id, t.tc, v.kind::title_kind, v.start_ms, v.end_ms, v.watched_s, v.furthest_s, v.bookmark_s, v.completed,
               v.rewatch, v.autoplayed, v.ended_by_timeout, v.interacted, v.sessions, v.device_id, k.cc, v.offset_min, v.day, false
        FROM views v JOIN _m11_keys m ON m.old_id = v.view_id AND m.profile_id = v.profile_id
        JOIN import_titles t USING (title_id) JOIN import_countries k USING (country);
      INSERT INTO imported_view_days
        SELECT m.view_key, d.profile_id, d.day, d.watched_s FROM view_days d JOIN _m11_keys m ON m.old_id = d.view_id AND m.profile_id = d.profile_id;
      DROP TABLE _m11_keys;
      DELETE FROM view_days WHERE starts_with(view_id, 'imported-');
      DELETE FROM views WHERE starts_with(view_id, 'imported-');
      DROP TABLE imported_sessions;
      ALTER TABLE views RENAME TO live_views;
      ALTER TABLE view_days RENAME TO live_view_days;

      CREATE VIEW views AS
        SELECT * FROM live_views
        UNION ALL
        SELECT 'imported-' || printf('%016x', i.view_key), i.profile_id, t.title_id, CAST(i.kind AS VARCHAR), i.start_ms, i.end_ms, i.watched_s, i.furthest_s,
               i.bookmark_s, i.completed, i.rewatch, i.autoplayed, i.ended_by_timeout, i.interacted, i.sessions, i.device_id, k.country, i.offset_min, i.day
        FROM imported_views i JOIN import_titles t ON t.tc = i.tc JOIN import_countries k ON k.cc = i.cc;
      CREATE VIEW view_days AS
        SELECT * FROM live_view_days
        UNION ALL
        SELECT 'imported-' || printf('%016x', view_key), profile_id, day, watched_s FROM imported_view_days
        UNION ALL
        SELECT 'imported-' || printf('%016x', view_key), profile_id, day, watched_s FROM imported_views WHERE on_own_day;
      CREATE VIEW imported_sessions AS
        SELECT printf('%016x', r.row_key) AS row_id, r.profile_id, t.title_id, r.start_ms, r.duration_s, r.bookmark_s, r.device_id, k.country, r.autoplayed,
               CAST(r.user_action AS VARCHAR) AS user_action
        FROM imported_rows r JOIN import_titles t ON t.tc = r.tc JOIN import_countries k ON k.cc = r.cc;
    `,
  },
  {
    version: 12,
    name: 'accounts signed out everywhere: tokens issued up to the cut are refused, until the last of them would have expired',
    sql: `
      CREATE TABLE account_sign_outs (account_id VARCHAR PRIMARY KEY, before_s BIGINT NOT NULL, expires_at_ms BIGINT NOT NULL);
    `,
  },
];
