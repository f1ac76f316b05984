/* The engine's side of the dashboard's figures (dashboard.c): what a listing
 * is about, worth and did, looked up in the state (and for a notice, the
 * workflows) and handed to the figures (figures.h). */
#ifndef GN_ENGINE_DASHBOARD_H
#define GN_ENGINE_DASHBOARD_H

#include <stdint.h>

#include "engine/figures.h"
#include "state/state.h"
#include "workflow/workflow.h"

void gn_engine_figures_decision(gn_figures *f, const gn_state *st, uint32_t listing,
                                const char *category, int64_t at, int first, int action);
void gn_engine_figures_status(gn_figures *f, const gn_state *st, uint32_t listing, int64_t at);
void gn_engine_figures_audit(gn_figures *f, const gn_state *st, const gn_workflow *w,
                             const char *record, const char *record_id, const char *change,
                             int64_t at);

#endif
