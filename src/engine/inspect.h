/* What code that needs no more of an engine (unit tests, benchmarks, fuzz
 * targets; keys.c) may read of it without knowing struct gn_engine: its
 * store, its state, its workflows and its clock. The library's users have
 * genuine.h only. */
#ifndef GN_ENGINE_INSPECT_H
#define GN_ENGINE_INSPECT_H

#include <stdint.h>

#include "genuine.h"
#include "state/state.h"
#include "store/store.h"
#include "workflow/workflow.h"

/* The store the engine writes to (a test puts rows in it directly). */
gn_store *gn_engine_store(gn_engine *e);
/* Listings, sellers, brands as decided so far. */
const gn_state *gn_engine_state(const gn_engine *e);
/* Complaints, notices, reports, strikes, appeals. */
const gn_workflow *gn_engine_workflow(const gn_engine *e);
/* The engine's clock: the latest event time seen (ms). */
int64_t gn_engine_now(const gn_engine *e);

#endif
