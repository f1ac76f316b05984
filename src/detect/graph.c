/* Linked-account signals from the seller identity graph: the seller is banned
 * (SELLER_BANNED), shares a computer, a router, a phone or an account with a
 * banned seller (SELLER_LINKED_TO_BANNED), or is one of a ring of new linked
 * accounts selling the same brands (SELLER_RING). Reasons are shown to the
 * seller: they say the kinds of what is shared and how far the banned account
 * is, never another account's id nor a value (the platform's seller view and
 * case files name the accounts). */
#include "core/clock.h"
#include "detect/detect.h"

#define MAX_PATH 8
#define MAX_VISIT 20000
#define MAX_RING_SCAN 1000

static void linked_to_banned(const gn_state *st, gn_identity *g, uint32_t seller, gn_signals *out)
{
    uint32_t path[MAX_PATH];
    uint16_t kinds[MAX_PATH];
    int n = gn_identity_path_to_banned(g, seller, MAX_VISIT, path, kinds, MAX_PATH, NULL);
    if (n < 2) {
        /* Farther than a path we name (or than the search visits): still one actor's. */
        gn_signals_add(out, "SELLER_LINKED_TO_BANNED", 0.6,
                       "the seller is one of %u linked accounts, %u of them banned",
                       gn_identity_cluster_size(g, seller), gn_identity_cluster_banned(g, seller));
        return;
    }
    char shared[160];
    gn_identity_kinds_text(kinds[0], shared, sizeof shared);
    if (n == 2)
        gn_signals_add(out, "SELLER_LINKED_TO_BANNED", 1,
                       "the seller shares %s with a banned account", shared);
    else
        gn_signals_add(out, "SELLER_LINKED_TO_BANNED", 0.8,
                       "the seller shares %s with another account, which is linked through %d "
                       "more account%s to a banned one",
                       shared, n - 3, n - 3 == 1 ? "" : "s");
}

static int sells_brand(const gn_seller *s, uint32_t brand)
{
    for (int i = 0; i < 4; i++)
        if (s->brands[i] == brand) return 1;
    return 0;
}

/* A shop, not a shopper: an account the platform opened as a seller, or one
 * that has listed. The graph holds buyers too (their sessions link them). */
static int is_shop(const gn_seller *s)
{
    return s->created_at != INT64_MIN || s->last_listing != GN_NONE;
}

uint32_t gn_detect_cluster_shops(const gn_state *st, gn_identity *g, uint32_t seller,
                                 uint32_t limit)
{
    if (gn_identity_cluster_size(g, seller) < 2) return 1;
    uint32_t shops = 0, scanned = 0, m = seller;
    do {
        shops += m == seller || is_shop(&st->sellers[m]);
        m = gn_identity_next_member(g, m);
    } while (m != seller && ++scanned < limit);
    return shops;
}

static void ring(const gn_state *st, gn_identity *g, const gn_detect_params *p,
                 const gn_listing_facts *f, uint32_t seller, gn_signals *out)
{
    uint32_t size = gn_identity_cluster_size(g, seller);
    if (size < p->ring_min_accounts) return;
    uint32_t brand = f->claimed_brand != GN_NONE ? f->claimed_brand : f->named_brand;
    int64_t new_after = f->at - (int64_t)(p->ring_new_days * GN_MS_PER_DAY);
    unsigned scanned = 0, fresh = 0, same_brand = 0, shops = 0;
    uint32_t m = seller;
    do {
        const gn_seller *s = &st->sellers[m];
        /* Shoppers who share the shop's device or router are its family or
         * its brushing accounts (ORDERS_FROM_LINKED_BUYERS), not a ring. */
        if (m == seller || is_shop(s)) {
            shops++;
            fresh += s->created_at == INT64_MIN || s->created_at >= new_after;
            same_brand += brand != GN_NONE && m != seller && sells_brand(s, brand);
        }
        m = gn_identity_next_member(g, m);
    } while (m != seller && ++scanned < MAX_RING_SCAN);
    if (fresh < p->ring_min_accounts) return;
    size = shops;
    /* Many new linked accounts are a ring; selling the brand this listing is
     * about makes it this listing's business. */
    double value = brand == GN_NONE || same_brand == 0 ? 0.5 : 1.0;
    if (brand == GN_NONE || same_brand == 0)
        gn_signals_add(out, "SELLER_RING", value,
                       "the seller is one of %u linked accounts, %u of them opened in the last "
                       "%.0f days",
                       size, fresh, p->ring_new_days);
    else
        gn_signals_add(out, "SELLER_RING", value,
                       "the seller is one of %u linked accounts, %u of them opened in the last "
                       "%.0f days and %u other%s also selling %s",
                       size, fresh, p->ring_new_days, same_brand, same_brand == 1 ? "" : "s",
                       st->brands[brand].name);
}

void gn_detect_links(const gn_state *st, gn_identity *g, const gn_detect_params *p,
                     const gn_listing_facts *f, uint32_t seller, gn_signals *out)
{
    if (gn_identity_is_banned(g, seller)) {
        gn_signals_add(out, "SELLER_BANNED", 1, "the seller's account is banned");
        return;
    }
    if (gn_identity_cluster_banned(g, seller) > 0) linked_to_banned(st, g, seller, out);
    ring(st, g, p, f, seller, out);
}
