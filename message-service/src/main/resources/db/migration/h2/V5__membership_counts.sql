-- H2 twin of the PostgreSQL file.
-- How many channels each user is a member of, kept with every membership added or removed in the same
-- transaction, so that the cap on memberships per user (ChannelStore.MAX_MEMBERSHIPS_PER_USER) is one
-- conditional update per member: a channel's creator may name anyone of the organisation, and without a
-- cap the memberships a user is given have no bound (each one a subscription of their every session).
ALTER TABLE users ADD COLUMN membership_count INTEGER NOT NULL DEFAULT 0;
UPDATE users SET membership_count = (SELECT COUNT(*) FROM memberships m WHERE m.org = users.org AND m.user_id = users.id);
