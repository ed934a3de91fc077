-- Every change to a message is an entry of its channel's log (ADR 0013): it
-- takes the channel's next sequence in the same transaction as the change.
-- A new message (a thread reply too) is its row in messages; an edit, a
-- delete or a reaction is a row in message_events. The message row itself
-- holds the current state (edited text, tombstone), reactions their own table.

ALTER TABLE messages ADD COLUMN edited_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE messages ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;
-- A thread reply names its root (a message of the same channel); 0 never appears.
ALTER TABLE messages ADD COLUMN parent_id BIGINT;
ALTER TABLE messages ADD COLUMN also_to_channel BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX messages_by_parent ON messages (channel_id, parent_id, seq);

CREATE TABLE message_events (
    channel_id BIGINT      NOT NULL,
    seq        BIGINT      NOT NULL,
    kind       VARCHAR(20) NOT NULL CHECK (kind IN ('EDIT', 'DELETE', 'REACTION_ADDED', 'REACTION_REMOVED')),
    message_id BIGINT      NOT NULL,
    actor      VARCHAR(64) NOT NULL,
    emoji      VARCHAR(64),
    client_id  VARCHAR(128),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (channel_id, seq),
    CONSTRAINT message_events_idempotency UNIQUE (channel_id, actor, client_id)
);
CREATE INDEX message_events_by_message ON message_events (channel_id, message_id);

CREATE TABLE reactions (
    channel_id BIGINT      NOT NULL,
    message_id BIGINT      NOT NULL,
    emoji      VARCHAR(64) NOT NULL,
    user_id    VARCHAR(64) NOT NULL,
    -- The sequence of the event that added it: orders emojis and users the same way everywhere.
    seq        BIGINT      NOT NULL,
    PRIMARY KEY (channel_id, message_id, emoji, user_id)
);

-- Whom a message mentions, expanded when it was sent (@channel: every other
-- member; @here: those online then). Counted per membership beside unread.
CREATE TABLE mentions (
    channel_id BIGINT      NOT NULL,
    message_id BIGINT      NOT NULL,
    seq        BIGINT      NOT NULL,
    user_id    VARCHAR(64) NOT NULL,
    PRIMARY KEY (channel_id, message_id, user_id)
);
CREATE INDEX mentions_by_user ON mentions (channel_id, user_id, seq);

-- Grows when the member reads or sends in the channel, decays with time; orders the channel list.
ALTER TABLE memberships ADD COLUMN affinity_score DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN affinity_at TIMESTAMP WITH TIME ZONE;
