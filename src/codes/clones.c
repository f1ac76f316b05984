/* The clone rules: one unit is in one place at a time and ships in few
 * orders. A code shipped in more distinct orders than codes.max_orders, or
 * scanned for two different orders in countries too far apart for the time
 * between the scans, is on more than one unit: cloned. Only accountable
 * scans (an order the sender answers for) count: anybody can type a code
 * seen on a photo, so scans naming no order are tallied for the brand and
 * weigh nothing (docs/codes.md, the threat model). Pure: no I/O, no clock. */
#include <string.h>

#include "codes/codes.h"

static void note_country(gn_code_scans *s, const char *country)
{
    for (int i = 0; i < s->n_countries; i++)
        if (memcmp(s->countries[i], country, 2) == 0) {
            s->country_scans[i]++;
            return;
        }
    if (s->n_countries == GN_CODE_COUNTRIES) return;
    memcpy(s->countries[s->n_countries], country, 2);
    s->countries[s->n_countries][2] = 0;
    s->country_scans[s->n_countries++] = 1;
}

gn_clone_reason gn_code_scans_add(gn_code_scans *s, const gn_clone_params *p,
                                  const gn_scan_fact *scan)
{
    if (s->scans++ == 0) {
        s->first_at = scan->at;
        memcpy(s->first_country, scan->country, 2);
        s->first_country[2] = 0;
    }
    note_country(s, scan->country);
    if (scan->order == GN_CODES_NONE) {
        s->anonymous++;
        return GN_CLONE_NONE;
    }
    if (gn_code_scans_has_order(s, scan->order)) return GN_CLONE_NONE; /* the same unit again */
    /* A new order: was the unit of an earlier order too far away, too soon? */
    double travel_km = 0, travel_hours = 0;
    for (int i = 0; i < s->n_orders; i++) {
        const gn_code_order *o = &s->orders[i];
        double km = gn_country_distance_km(o->country, scan->country);
        if (km < 0 || km < p->min_km) continue;
        int64_t ms = scan->at > o->at ? scan->at - o->at : o->at - scan->at;
        double hours = (double)ms / 3600000.0;
        if (km > hours * p->max_speed_kmh && km > travel_km) {
            travel_km = km;
            travel_hours = hours;
        }
    }
    if (s->n_orders < GN_CODE_ORDERS) {
        gn_code_order *o = &s->orders[s->n_orders++];
        o->order = scan->order;
        o->listing = scan->listing;
        o->at = scan->at;
        memcpy(o->country, scan->country, 2);
        o->country[2] = 0;
    }
    s->orders_total++;
    if (s->cloned) return GN_CLONE_NONE;
    /* Travel says more (where, how soon) when both hold. */
    gn_clone_reason why = travel_km > 0                             ? GN_CLONE_TRAVEL
                          : (double)s->orders_total > p->max_orders ? GN_CLONE_ORDERS
                                                                    : GN_CLONE_NONE;
    if (why == GN_CLONE_NONE) return why;
    s->cloned = (uint8_t)why;
    s->cloned_at = scan->at;
    s->clone_km = travel_km;
    s->clone_hours = travel_hours;
    return why;
}

int gn_code_scans_has_order(const gn_code_scans *s, uint32_t order)
{
    for (int i = 0; i < s->n_orders; i++)
        if (s->orders[i].order == order) return 1;
    return 0;
}

int gn_code_scans_first_order(const gn_code_scans *s, uint32_t order)
{
    return s->n_orders > 0 && s->orders[0].order == order;
}
