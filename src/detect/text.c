/* Text signals from what the lexicon found in the title and description:
 * counterfeit lingo, a brand name in look-alike letters or misspelt, and a
 * claimed brand that is not the one the title names. */
#include <string.h>
#include <strings.h>

#include "detect/detect.h"

static void lingo(const gn_text_findings *t, gn_signals *out)
{
    if (t->n_lingo == 0) return;
    char terms[160] = "";
    for (int i = 0; i < t->n_lingo; i++) {
        size_t used = strlen(terms);
        snprintf(terms + used, sizeof terms - used, "%s\"%s\"", i ? ", " : "", t->lingo[i]);
    }
    gn_signals_add(out, "COUNTERFEIT_LINGO", 1,
                   "the listing uses words that offer copies of branded goods: %s", terms);
}

/* "Ray-Ban" is the name itself, even though it also reads as the alias
 * "RayBan" split by a separator: a span some name matches exactly is exact. */
static int written_exactly(const gn_text_findings *t, const gn_mention *m)
{
    if (strcasecmp(m->as_written, m->name) == 0) return 1;
    for (int i = 0; i < t->n_mentions; i++)
        if (t->mentions[i].kind == GN_MENTION_EXACT && t->mentions[i].brand == m->brand &&
            strcasecmp(t->mentions[i].as_written, m->as_written) == 0)
            return 1;
    return 0;
}

static void disguised_names(const gn_state *st, const gn_text_findings *t, gn_signals *out)
{
    for (int i = 0; i < t->n_mentions; i++) {
        const gn_mention *m = &t->mentions[i];
        const char *where = m->in_title ? "title" : "description";
        double value = m->in_title ? 1 : 0.7;
        if (written_exactly(t, m)) continue;
        if (m->kind == GN_MENTION_LOOKALIKE)
            gn_signals_add(out, "BRAND_LOOKALIKE", value,
                           "the %s writes the brand name %s as \"%s\", with look-alike letters or "
                           "separators",
                           where, st->brands[m->brand].name, m->as_written);
        else if (m->kind == GN_MENTION_MISSPELT)
            gn_signals_add(out, "BRAND_MISSPELT", value,
                           "the %s names \"%s\", a misspelling of the brand %s", where,
                           m->as_written, st->brands[m->brand].name);
    }
}

static void mismatch(const gn_state *st, const gn_listing_facts *f, gn_signals *out)
{
    if (!f->claimed || f->named_brand == GN_NONE || f->claimed_brand == f->named_brand) return;
    const gn_text_findings *t = f->text;
    if (!t->mentions[0].in_title) return;
    for (int i = 0; i < t->n_mentions; i++)
        if (t->mentions[i].in_title && t->mentions[i].brand == f->claimed_brand)
            return; /* the title names the claimed brand too */
    if (f->claimed_brand == GN_NONE)
        gn_signals_add(out, "BRAND_MISMATCH", 0.6,
                       "the listing claims the brand \"%s\" but its title names %s", f->claimed,
                       st->brands[f->named_brand].name);
    else
        gn_signals_add(out, "BRAND_MISMATCH", 1,
                       "the listing claims the brand %s but its title names %s",
                       st->brands[f->claimed_brand].name, st->brands[f->named_brand].name);
}

void gn_detect_text(const gn_state *st, const gn_listing_facts *f, gn_signals *out)
{
    if (!f->text) return;
    lingo(f->text, out);
    disguised_names(st, f->text, out);
    mismatch(st, f, out);
}
