/* Evidence floors: signals the configuration names (floor.CODE = 1 review,
 * 2 block) keep a listing at least at that action whatever the scorer — the
 * weighted policy or a learned model — made of them. */
#ifndef GN_DECIDE_FLOORS_H
#define GN_DECIDE_FLOORS_H

#include <stdint.h>

#include "core/config.h"
#include "decide/features.h"
#include "detect/signal.h"

#define GN_MAX_FLOORS 16

typedef struct gn_floors {
    uint8_t by_feature[GN_FEATURES_SIGNALS]; /* signals with a model column */
    struct {
        char code[56];
        uint8_t level;
    } named[GN_MAX_FLOORS]; /* the others */
    int n_named;
    int any;
} gn_floors;

void gn_floors_load(gn_floors *f, const gn_config *cfg);

/* The floor the signals set: 0 none, 1 review, 2 block; *which is the index
 * of the signal that sets it (the first at that level), -1 for none. */
int gn_floors_level(const gn_floors *f, const gn_signals *signals, int *which);

#endif
