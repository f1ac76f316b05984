/* The authenticity code signals of a listing, from what its orders showed
 * (src/codes/facts.c, counted by the engine from code_scan and shipment
 * events): a unit shipped with a cloned code, with another product's code,
 * an enrolled product's order shipped without one. Pure: a look-up. */
#include "detect/detect.h"

void gn_detect_codes(const gn_code_facts *facts, uint32_t listing, gn_signals *out)
{
    const gn_code_listing *f = gn_code_facts_find(facts, listing);
    if (!f) return;
    uint8_t s[3];
    gn_code_strengths(f, s);
    if (s[0])
        gn_signals_add(out, "CODE_CLONED", s[0] / 8.0,
                       "%u unit%s this listing shipped carried an authenticity code that is on "
                       "other units too (%s)",
                       f->cloned, f->cloned == 1 ? "" : "s",
                       f->clone_reason == GN_CLONE_TRAVEL
                           ? "scanned for other orders too far away too soon"
                           : "shipped in more orders than one unit can be");
    if (s[1])
        gn_signals_add(out, "CODE_OTHER_PRODUCT", s[1] / 8.0,
                       "%u unit%s this listing shipped carried the authenticity code of another "
                       "product (%.60s %.60s)",
                       f->other, f->other == 1 ? "" : "s", f->other_brand, f->other_sku);
    if (s[2])
        gn_signals_add(out, "CODE_MISSING", s[2] / 8.0,
                       "%u order%s of this listing shipped without the authenticity code its "
                       "brand requires for this product",
                       f->missing, f->missing == 1 ? "" : "s");
}
