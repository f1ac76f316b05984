/* The demo marketplace (`genuine simulate --profile demo`, what `make demo`
 * loads): examples/marketplace.jsonl and examples/truth.csv, byte for byte.
 * See tools/sim/demo.c and examples/README.md. */
#ifndef GN_SIM_DEMO_H
#define GN_SIM_DEMO_H

#include <stdio.h>

#include "genuine.h"

/* Writes the events (JSON Lines, time order) and the answer key
 * (listing,counterfeit,tactic); either may be NULL. GN_EINPUT when writing
 * failed. */
int gn_demo_write(FILE *events, FILE *truth, gn_error *err);

#endif
