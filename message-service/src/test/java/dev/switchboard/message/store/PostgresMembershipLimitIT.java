package dev.switchboard.message.store;

import dev.switchboard.testing.PostgresDatabase;

/** The cap on memberships per user on a real PostgreSQL (a throwaway database): row locks, concurrency. */
class PostgresMembershipLimitIT extends MembershipLimitContract {
    private PostgresDatabase pg;

    @Override
    DatabaseOptions.Builder freshDatabase() {
        pg = new PostgresDatabase();
        return DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(8);
    }

    @Override
    void dropDatabase() {
        if (pg != null) {
            pg.close();
        }
    }
}
