-- The poll the projector shows, chosen by the moderator (NULL: follow the newest open one).
ALTER TABLE events ADD COLUMN presented_poll_id INTEGER REFERENCES polls (id) ON DELETE SET NULL;
