/* Group commit for the HTTP server on a store several nodes write
 * (PostgreSQL): requests decided while the last commit is flushed are
 * committed together in the next transaction, and the engine is not held
 * during the flush. The server's side (who commits, who waits, what is
 * answered) is in src/http/server.c. */
#ifndef GN_ENGINE_GROUP_COMMIT_H
#define GN_ENGINE_GROUP_COMMIT_H

#include "genuine.h"

/* 1 when the engine's store commits in groups (PostgreSQL), 0 otherwise. */
int gn_group_commit_able(gn_engine *e);
/* Under the engine's lock: sends the open batch's commit; 1 when one went
 * out (gn_group_commit_finish must follow), 0 when nothing was open, or a
 * negative code (the batch was rolled back and the state rebuilt). */
int gn_group_commit_start(gn_engine *e, gn_error *err);
/* Without the engine's lock (one caller at a time): waits until that commit
 * returned. 0: durable. Else nothing of it is in the log: the caller takes
 * the lock and calls gn_group_commit_failed. */
int gn_group_commit_finish(gn_engine *e, gn_error *err);
/* Under the lock, after a failed finish: the batch begun meanwhile (its
 * decisions rest on the lost events) is rolled back and the state rebuilt
 * from the log. */
void gn_group_commit_failed(gn_engine *e);

#endif
