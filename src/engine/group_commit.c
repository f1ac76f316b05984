/* Group commit (group_commit.h): the engine's batch handed to the store's
 * commit_start and commit_finish, and the state rebuilt from the log when a
 * commit failed. */
#include "engine/group_commit.h"

#include "engine/engine.h"

int gn_group_commit_able(gn_engine *e)
{
    return !e->read_only && e->store->ops->commit_start && e->store->ops->commit_finish;
}

int gn_group_commit_start(gn_engine *e, gn_error *err)
{
    if (gn_engine_check_broken(e, err)) return GN_ESTORE;
    if (!e->in_batch) return 0;
    int rc = e->store->ops->commit_start(e->store, err);
    if (rc) {
        gn_engine_abandon_batch(e);
        return rc;
    }
    e->in_batch = 0;
    return 1;
}

int gn_group_commit_finish(gn_engine *e, gn_error *err)
{
    return e->store->ops->commit_finish(e->store, err);
}

void gn_group_commit_failed(gn_engine *e)
{
    /* the store forgets the failed flight even with no batch open */
    if (!e->in_batch) e->store->ops->rollback(e->store);
    gn_engine_abandon_batch(e);
}
