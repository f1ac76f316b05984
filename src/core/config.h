/* The configuration: `key = number` lines. The shipped config/genuine.conf is
 * compiled in as the defaults and defines which keys exist; a user's file may
 * only change those keys. Errors name the file and the line. */
#ifndef GN_CORE_CONFIG_H
#define GN_CORE_CONFIG_H

#include "genuine.h"

#define GN_CONFIG_MAX 128

typedef struct gn_config {
    struct {
        char key[64];
        double value;
    } entries[GN_CONFIG_MAX];
    int count;
} gn_config;

/* Loads the defaults, then the file at path when path is not NULL. */
int gn_config_load(gn_config *cfg, const char *path, gn_error *err);

/* The value of a key that the defaults define (asserts that it exists). */
double gn_config_get(const gn_config *cfg, const char *key);

/* The value of key, or missing when the defaults do not define it. */
double gn_config_find(const gn_config *cfg, const char *key, double missing);

#endif
