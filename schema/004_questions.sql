-- Audience Q&A: questions, upvotes, and the event's Q&A settings and blocked words.
ALTER TABLE events ADD COLUMN qa_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN qa_moderated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN blocked_words TEXT NOT NULL DEFAULT '[]';  -- JSON array

CREATE TABLE questions (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    name           TEXT,
    text           TEXT    NOT NULL,
    state          TEXT    NOT NULL
        CHECK (state IN ('pending', 'visible', 'dismissed', 'hidden', 'archived', 'merged')),
    answered       INTEGER NOT NULL DEFAULT 0,
    pinned         INTEGER NOT NULL DEFAULT 0,
    answer         TEXT,
    merged_into    INTEGER REFERENCES questions (id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX questions_by_event ON questions (event_id);

CREATE TABLE question_upvotes (
    question_id    INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    PRIMARY KEY (question_id, participant_id)
) WITHOUT ROWID;
