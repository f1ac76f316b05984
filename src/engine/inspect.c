/* The reads of inspect.h: an engine's store, state, workflows and clock for
 * tests, benchmarks and fuzz targets, so that struct gn_engine stays inside
 * src/engine. */
#include "engine/inspect.h"

#include "engine/engine.h"

gn_store *gn_engine_store(gn_engine *e)
{
    return e->store;
}

const gn_state *gn_engine_state(const gn_engine *e)
{
    return &e->state;
}

const gn_workflow *gn_engine_workflow(const gn_engine *e)
{
    return &e->workflow;
}

int64_t gn_engine_now(const gn_engine *e)
{
    return e->clock.now;
}
