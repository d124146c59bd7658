-- Events, polls, anonymous participants and their responses.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    title          TEXT    NOT NULL,
    moderator_hash TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    peak_online    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE polls (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    type         TEXT    NOT NULL CHECK (type IN ('single', 'multiple', 'wordcloud', 'rating')),
    question     TEXT    NOT NULL,
    max_choices  INTEGER NOT NULL,
    max_words    INTEGER NOT NULL,
    scale        INTEGER NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
    results      TEXT    NOT NULL CHECK (results IN ('live', 'after_vote', 'after_close', 'hidden')),
    allow_change INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX polls_by_event ON polls (event_id, position);

CREATE TABLE poll_options (
    id       INTEGER PRIMARY KEY,
    poll_id  INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text     TEXT    NOT NULL
);
CREATE INDEX poll_options_by_poll ON poll_options (poll_id, position);

CREATE TABLE participants (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE INDEX participants_by_event ON participants (event_id);

-- One row per participant and poll; a changed answer replaces the row.
-- answer: "11,13" (option ids), "4" (rating) or a JSON array of words.
CREATE TABLE responses (
    poll_id        INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    answer         TEXT    NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (poll_id, participant_id)
) WITHOUT ROWID;

-- Moderator curation of word clouds: a hidden key, or a key counted under another.
CREATE TABLE word_overrides (
    poll_id     INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    key         TEXT    NOT NULL,
    hidden      INTEGER NOT NULL DEFAULT 0,
    merged_into TEXT,
    PRIMARY KEY (poll_id, key)
) WITHOUT ROWID;
