-- Push targets: one row per app install. A token identifies one device of one
-- platform, so it is the key, and it belongs to one user at a time.
CREATE TABLE devices (
    platform   VARCHAR(8)   NOT NULL CHECK (platform IN ('apns', 'fcm')),
    token      VARCHAR(512) NOT NULL,
    org        VARCHAR(64)  NOT NULL,
    user_id    VARCHAR(64)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (platform, token),
    FOREIGN KEY (org, user_id) REFERENCES users (org, id)
);
CREATE INDEX devices_by_user ON devices (org, user_id);
