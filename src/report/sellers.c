/* The seller view: a seller's status and risk, who it is linked to and
 * through what, and its cluster — members, brands, listings, and the
 * shipment origins of its orders ranked (where the goods come from). The
 * platform and its reviewers see all of it; a seller reading itself sees its
 * own record and its linked accounts only as kinds and counts: never their
 * ids, listings, brands or shipment origins (a seller may be linked to a
 * stranger it named, and a banned actor must not learn who else it is). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/error.h"
#include "report/report.h"

#define MAX_MEMBERS_SHOWN 100
#define MAX_SCAN 100000

typedef struct origin_count {
    uint32_t origin, shipments;
} origin_count;

static int by_shipments(const void *a, const void *b)
{
    const origin_count *x = a, *y = b;
    return (x->shipments < y->shipments) - (x->shipments > y->shipments);
}

static void count_listings(const gn_state *st, uint32_t seller, unsigned counts[5])
{
    for (uint32_t l = st->sellers[seller].last_listing; l != GN_NONE;
         l = st->listings[l].previous_of_seller)
        counts[st->listings[l].status]++;
}

static void put_counts(gn_buf *b, const unsigned counts[5])
{
    gn_buf_printf(b, "{\"live\":%u,\"held\":%u,\"blocked\":%u,\"removed\":%u,\"noticed\":%u}",
                  counts[GN_LIVE], counts[GN_HELD], counts[GN_BLOCKED], counts[GN_REMOVED],
                  counts[GN_NOTICED]);
}

/* The kinds of values the seller shares with its directly linked accounts,
 * and how many there are. */
static uint32_t linked_kinds(const gn_report_src *src, uint32_t seller, uint32_t *kinds)
{
    gn_identity_link links[64];
    int n = gn_identity_links(src->identity, seller, links, 64, NULL);
    *kinds = 0;
    for (int i = 0; i < n && i < 64; i++)
        *kinds |= links[i].kinds;
    return n > 0 ? (uint32_t)n : 0;
}

/* A reason as the seller itself may read it: the accounts it is linked to
 * by kinds and counts, not by name. */
static void own_reason(const gn_report_src *src, uint32_t seller, gn_signal *sig)
{
    if (strcmp(sig->code, "SELLER_LINKED_TO_BANNED") != 0 && strcmp(sig->code, "SELLER_RING") != 0)
        return;
    uint32_t kinds, n = linked_kinds(src, seller, &kinds);
    char shared[160];
    gn_identity_kinds_text(kinds, shared, sizeof shared);
    uint32_t size = gn_identity_cluster_size(src->identity, seller);
    uint32_t banned = gn_identity_cluster_banned(src->identity, seller);
    snprintf(sig->detail, sizeof sig->detail,
             "the seller's account shares %s with %u other account%s, and is one of %u linked "
             "accounts, %u of them banned",
             n ? shared : "values", n, n == 1 ? "" : "s", size, banned);
}

/* What the seller's listings' orders showed of authenticity codes, summed
 * (nothing when none showed anything). */
static void put_codes(const gn_report_src *src, uint32_t seller, gn_buf *b)
{
    const gn_state *st = src->state;
    gn_code_listing sum = {0};
    uint32_t listings = 0;
    for (uint32_t l = src->codes ? st->sellers[seller].last_listing : GN_NONE; l != GN_NONE;
         l = st->listings[l].previous_of_seller) {
        const gn_code_listing *f = gn_code_facts_find(src->codes, l);
        if (!f) continue;
        listings++;
        sum.cloned += f->cloned;
        sum.other += f->other;
        sum.missing += f->missing;
    }
    if (listings) gn_code_facts_json(&sum, listings, b);
}

static void put_risk(const gn_report_src *src, uint32_t seller, int own, gn_buf *b)
{
    gn_listing_facts f = {0};
    f.seller_id = src->state->sellers[seller].id;
    f.seller = &src->state->sellers[seller];
    f.claimed_brand = f.named_brand = GN_NONE;
    f.at = src->now;
    gn_signals signals;
    signals.count = 0;
    gn_detect_links(src->state, src->identity, src->params, &f, seller, &signals);
    for (int i = 0; own && i < signals.count; i++)
        own_reason(src, seller, &signals.items[i]);
    gn_decision d;
    gn_policy_decide(src->policy, &signals, &d);
    gn_buf_printf(b, "{\"score\":%.4g,\"reasons\":", d.score);
    gn_reasons_json(b, &signals);
    gn_buf_puts(b, "}");
}

static void put_cluster(const gn_report_src *src, uint32_t seller, int show_members, gn_buf *b)
{
    const gn_state *st = src->state;
    gn_identity *g = src->identity;
    unsigned counts[5] = {0}, shown = 0, scanned = 0;
    origin_count *origins = gn_xcalloc(st->n_origins + 1, sizeof *origins);
    char *brand_seen = gn_xcalloc(st->n_brands + 1, 1);
    gn_buf brands = {0}, members = {0};
    uint32_t m = seller;
    do {
        count_listings(st, m, counts);
        const gn_seller *s = &st->sellers[m];
        for (int i = 0; i < 4 && brand_seen; i++)
            if (s->brands[i] != GN_NONE && !brand_seen[s->brands[i]]) {
                brand_seen[s->brands[i]] = 1;
                gn_buf_puts(&brands, brands.len ? "," : "");
                gn_buf_json_string(&brands, st->brands[s->brands[i]].name);
            }
        for (uint32_t t = s->origins; origins && t != GN_NONE; t = st->tallies[t].next) {
            origins[st->tallies[t].origin].origin = st->tallies[t].origin;
            origins[st->tallies[t].origin].shipments += st->tallies[t].shipments;
        }
        if (show_members && shown < MAX_MEMBERS_SHOWN) {
            gn_buf_puts(&members, shown++ ? ",{\"seller\":" : "{\"seller\":");
            gn_buf_json_string(&members, s->id);
            gn_buf_printf(&members, ",\"banned\":%s}",
                          gn_identity_is_banned(g, m) ? "true" : "false");
        }
        m = gn_identity_next_member(g, m);
    } while (m != seller && ++scanned < MAX_SCAN);

    gn_buf_printf(b, "{\"size\":%u,\"banned\":%u,", gn_identity_cluster_size(g, seller),
                  gn_identity_cluster_banned(g, seller));
    if (show_members) gn_buf_printf(b, "\"members\":[%s],", members.len ? members.data : "");
    gn_buf_printf(b, "\"brands\":[%s],\"listings\":", brands.len ? brands.data : "");
    put_counts(b, counts);
    gn_buf_puts(b, ",\"shipment_origins\":[");
    if (origins) {
        qsort(origins, st->n_origins, sizeof *origins, by_shipments);
        for (uint32_t i = 0; i < st->n_origins && i < 20 && origins[i].shipments; i++) {
            const char *name = st->origins[origins[i].origin];
            const char *c1 = strchr(name, '/'), *c2 = strchr(c1 + 1, '/');
            gn_buf_printf(b, "%s{\"country\":\"%.*s\",\"city\":", i ? "," : "", (int)(c1 - name),
                          name);
            char part[512];
            snprintf(part, sizeof part, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
            gn_buf_json_string(b, part);
            gn_buf_puts(b, ",\"facility\":");
            gn_buf_json_string(b, c2 + 1);
            gn_buf_printf(b, ",\"shipments\":%u}", origins[i].shipments);
        }
    }
    gn_buf_puts(b, "]}");
    free(origins);
    free(brand_seen);
    gn_buf_free(&brands);
    gn_buf_free(&members);
}

/* Other sellers whose held or blocked listings share a photo or a
 * near-identical text with this seller's: how many of its listings do, and
 * (for the platform) who. */
static void put_content(const gn_report_src *src, uint32_t seller, int show_sellers, gn_buf *b)
{
    const gn_state *st = src->state;
    unsigned shared = 0, others = 0, walked = 0;
    uint32_t seen[50];
    gn_buf names = {0};
    for (uint32_t l = st->sellers[seller].last_listing; l != GN_NONE && walked < MAX_SCAN;
         l = st->listings[l].previous_of_seller) {
        if (l >= src->content->count || gn_groups_size(src->content, l) < 2) continue;
        shared++;
        for (uint32_t m = gn_groups_next(src->content, l); m != l && walked < MAX_SCAN;
             m = gn_groups_next(src->content, m), walked++) {
            uint32_t other = st->listings[m].seller;
            int known = other == seller;
            for (unsigned i = 0; i < others && i < 50 && !known; i++)
                known = seen[i] == other;
            if (known) continue;
            if (others < 50) {
                seen[others] = other;
                gn_buf_puts(&names, names.len ? "," : "");
                gn_buf_json_string(&names, st->sellers[other].id);
            }
            others++;
        }
    }
    gn_buf_printf(b, "{\"listings_shared\":%u,\"other_sellers\":%u", shared, others);
    if (show_sellers) gn_buf_printf(b, ",\"sellers\":[%s]", names.len ? names.data : "");
    gn_buf_puts(b, "}");
    gn_buf_free(&names);
}

static void put_links(const gn_report_src *src, uint32_t seller, gn_buf *b)
{
    gn_identity_link links[64];
    int n = gn_identity_links(src->identity, seller, links, 64, NULL);
    gn_buf_puts(b, "[");
    for (int i = 0; i < n && i < 64; i++) {
        char kinds[160];
        gn_identity_kinds_text(links[i].kinds, kinds, sizeof kinds);
        gn_buf_puts(b, i ? ",{\"seller\":" : "{\"seller\":");
        gn_buf_json_string(b, src->state->sellers[links[i].seller].id);
        gn_buf_puts(b, ",\"shares\":");
        gn_buf_json_string(b, kinds);
        if (links[i].stated) { /* only one seller's word: weak, shown as such */
            gn_identity_kinds_text(links[i].stated, kinds, sizeof kinds);
            gn_buf_puts(b, ",\"stated_only\":");
            gn_buf_json_string(b, kinds);
        }
        gn_buf_printf(b, ",\"banned\":%s}",
                      gn_identity_is_banned(src->identity, links[i].seller) ? "true" : "false");
    }
    gn_buf_puts(b, "]");
}

/* Strikes and what they brought, and the documents of its latest
 * verification (read back from the log). */
static void put_enforcement(const gn_report_src *src, const char *seller, gn_buf *b)
{
    const gn_wf_seller *ws = gn_workflow_seller(src->workflow, seller);
    gn_buf_printf(b, ",\"strikes\":%u,\"enforcement\":\"%s\"", ws ? ws->strikes : 0,
                  gn_enforcement_name(ws ? ws->level : GN_SELLER_IN_GOOD_STANDING));
    if (!ws || !ws->verification) return;
    gn_buf body = {0};
    gn_error err;
    gn_event ev;
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    if (src->store->ops->event_body(src->store, ws->verification, &body, &err) == 0 &&
        gn_event_decode(&doc, body.data, body.len, &ev, &err) == 0) {
        const gn_json *docs = gn_event_get(&ev, "documents");
        gn_buf_printf(b, ",\"verification_at\":\"%s\",\"documents\":[", ev.at_text);
        for (size_t i = 0; i < gn_json_size(docs); i++) {
            const gn_json *d = gn_json_at(docs, i);
            static const char *const keys[] = {"kind", "number", "issuer"};
            gn_buf_puts(b, i ? ",{" : "{");
            int any = 0;
            for (int k = 0; k < 3; k++) {
                const char *v = gn_json_str(d, keys[k]);
                if (!v) continue;
                gn_buf_printf(b, "%s\"%s\":", any++ ? "," : "", keys[k]);
                gn_buf_json_string(b, v);
            }
            gn_buf_puts(b, "}");
        }
        gn_buf_puts(b, "]");
    }
    gn_json_doc_free(&doc);
    gn_buf_free(&body);
}

char *gn_report_seller_json(const gn_report_src *src, const char *id, int show_links, gn_error *err)
{
    uint32_t *index = gn_strmap_find(&src->state->seller_by_id, id);
    if (!index || src->read_only) {
        gn_fail(err, GN_ENOTFOUND, "no seller '%s'", id);
        return NULL;
    }
    const gn_seller *s = &src->state->sellers[*index];
    static const char *verification[] = {"none", "submitted", "verified", "rejected"};
    gn_buf b = {0};
    gn_buf_puts(&b, "{\"seller\":");
    gn_buf_json_string(&b, s->id);
    if (s->created_at != INT64_MIN) {
        char at[32];
        gn_time_format(s->created_at, at, sizeof at);
        gn_buf_printf(&b, ",\"since\":\"%s\"", at);
    }
    gn_buf_printf(&b, ",\"status\":\"%s\",\"verification\":\"%s\",\"template\":\"%s\",\"risk\":",
                  gn_identity_is_banned(src->identity, *index) ? "banned" : "active",
                  verification[s->verification], s->basic_template ? "basic" : "custom");
    put_risk(src, *index, !show_links, &b);
    put_codes(src, *index, &b);
    put_enforcement(src, s->id, &b);
    unsigned counts[5] = {0};
    count_listings(src->state, *index, counts);
    gn_buf_puts(&b, ",\"listings\":");
    put_counts(&b, counts);
    gn_buf_puts(&b, ",\"cluster\":");
    if (show_links) {
        put_cluster(src, *index, 1, &b);
    } else {
        /* Its own view: how many, and through what; nothing of theirs. */
        uint32_t kinds, n = linked_kinds(src, *index, &kinds);
        char shared[160] = "";
        gn_identity_kinds_text(kinds, shared, sizeof shared);
        gn_buf_printf(&b, "{\"size\":%u,\"banned\":%u,\"linked_accounts\":%u,\"shares\":",
                      gn_identity_cluster_size(src->identity, *index),
                      gn_identity_cluster_banned(src->identity, *index), n);
        gn_buf_json_string(&b, shared);
        gn_buf_puts(&b, "}");
    }
    gn_buf_puts(&b, ",\"shared_content\":");
    put_content(src, *index, show_links, &b);
    if (show_links) {
        gn_buf_puts(&b, ",\"linked_sellers\":");
        put_links(src, *index, &b);
    }
    gn_buf_puts(&b, "}");
    return gn_buf_take(&b);
}
