/* The policy backtest: a Lua rule a platform pastes, run over the listings of
 * the last days in a copy of the engine (two forked children, one deciding
 * with the rules now live, one with the rule), to see which decisions it
 * would change before putting it live. */
#ifndef GN_ENGINE_BACKTEST_H
#define GN_ENGINE_BACKTEST_H

#include <pthread.h>
#include <stddef.h>

#include "genuine.h"

#define GN_BACKTEST_MAX_RULE (64 * 1024)
#define GN_BACKTEST_MAX_LISTINGS 50000
#define GN_BACKTEST_MAX_SECONDS 60
#define GN_BACKTEST_MAX_DAYS 366

typedef struct gn_backtest_options {
    double days;         /* listings whose latest version is this recent (engine time); 0: 7 */
    size_t max_listings; /* the newest this many of them; 0: 10,000 */
    double seconds;      /* time limit of the whole run, reading included; 0: 10 */
    int examples;        /* changed decisions shown; 0: 20 */
} gn_backtest_options;

/* Runs the rule and answers the comparison as JSON (malloc'd), or NULL with
 * err: GN_EINPUT naming the option or the rule's line ("rule:3: ...") when it
 * does not load. lock (NULL: none) is the engine's mutex, taken only while
 * the listings are chosen and read and while the copy is made: the run itself
 * goes on beside live requests. */
char *gn_backtest_json(gn_engine *e, pthread_mutex_t *lock, const char *rule, size_t len,
                       const gn_backtest_options *o, gn_error *err);

#endif
