/* Evidence floors (see floors.h and docs/model.md): read once from the
 * configuration's floor.CODE keys; per decision, a look at each signal. */
#include "decide/floors.h"

#include <stdio.h>
#include <string.h>

void gn_floors_load(gn_floors *f, const gn_config *cfg)
{
    memset(f, 0, sizeof *f);
    for (int i = 0; i < cfg->count; i++) {
        if (strncmp(cfg->entries[i].key, "floor.", 6) != 0) continue;
        const char *code = cfg->entries[i].key + 6;
        double v = cfg->entries[i].value;
        uint8_t level = v >= 2 ? 2 : v >= 1 ? 1 : 0;
        if (!level) continue;
        f->any = 1;
        int col = gn_feature_of_signal(code);
        if (col >= 0)
            f->by_feature[col] = level;
        else if (f->n_named < GN_MAX_FLOORS) {
            snprintf(f->named[f->n_named].code, sizeof f->named[0].code, "%s", code);
            f->named[f->n_named++].level = level;
        }
    }
}

int gn_floors_level(const gn_floors *f, const gn_signals *signals, int *which)
{
    int best = 0;
    *which = -1;
    if (!f->any) return 0;
    for (int i = 0; i < signals->count; i++) {
        const gn_signal *s = &signals->items[i];
        if (!(s->value > 0)) continue;
        int col = gn_feature_of_signal(s->code), level = 0;
        if (col >= 0)
            level = f->by_feature[col];
        else
            for (int k = 0; k < f->n_named; k++)
                if (strcmp(f->named[k].code, s->code) == 0) level = f->named[k].level;
        if (level > best) {
            best = level;
            *which = i;
        }
    }
    return best;
}
