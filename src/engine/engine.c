/* The ingest pipeline: decode and validate, drop duplicates, log the event,
 * apply it to the state and, for a listing, detect, decide and record the
 * decision. At start the same pipeline replays the log to rebuild the state,
 * writing nothing, so a restart gives the same decisions. */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sodium.h>
#include <time.h>

#include "core/clock.h"
#include "core/error.h"
#include "engine/images.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *status_name(gn_listing_status s)
{
    static const char *names[] = {"live", "held", "blocked", "removed", "noticed"};
    return names[s];
}

/* The brand a listing's price counts for: what it claims, else what it names. */
static uint32_t market_brand(const gn_listing_facts *f)
{
    return f->claimed_brand != GN_NONE ? f->claimed_brand : f->named_brand;
}

/* Allowed listings feed the typical prices of their brand; a new version of a
 * listing first takes the old version's price out. */
static void update_market(gn_engine *e, gn_listing *l, const gn_listing_facts *f, gn_action action)
{
    gn_state *st = &e->state;
    for (int i = 0; i < 2; i++)
        if (l->market_keys[i] != GN_NONE) {
            gn_prices_add(&st->market, l->market_keys[i], l->market_price, -1);
            l->market_keys[i] = GN_NONE;
        }
    uint32_t brand = market_brand(f);
    if (action != GN_ALLOW || brand == GN_NONE)
        return;
    int rated = gn_state_rate(st, f->currency) > 0;
    const char *unit = rated ? "USD" : f->currency;
    l->market_price = rated ? gn_price_in(st, f->price, f->currency, "USD") : f->price;
    const char *brand_id = st->brands[brand].id;
    if (f->category)
        l->market_keys[0] = gn_prices_key(&st->market, brand_id, f->category, unit);
    l->market_keys[1] = gn_prices_key(&st->market, brand_id, "", unit);
    for (int i = 0; i < 2; i++)
        if (l->market_keys[i] != GN_NONE)
            gn_prices_add(&st->market, l->market_keys[i], l->market_price, +1);
}

/* The listing's photos as hashes; a photo that cannot be had is noted and the
 * listing is decided without it. */
static int listing_images(gn_engine *e, const gn_json *images, int *count, gn_error *err)
{
    *count = 0;
    for (size_t i = 0; i < gn_json_size(images); i++) {
        const gn_json *image = gn_json_at(images, i);
        if (*count == GN_MAX_LISTING_IMAGES)
            break;
        gn_error why;
        int rc = gn_engine_image(e, image, &e->images[*count], &why, err);
        if (rc == GN_EINPUT) {
            if (e->notes.len)
                gn_buf_puts(&e->notes, ",");
            gn_buf_json_string(&e->notes, why.message);
            continue;
        }
        if (rc)
            return rc;
        (*count)++;
    }
    return 0;
}

/* A photo on a group of more listings than this is a stock photo: it joins no more. */
#define COMMON_PHOTO 50

typedef struct content_match {
    gn_engine *e;
    uint32_t listing, seller;
} content_match;

static void join_if_other_seller(void *ctx, uint32_t owner, int agree)
{
    content_match *m = ctx;
    if (m->e->state.listings[owner].seller != m->seller)
        gn_groups_union(&m->e->content, m->listing, owner);
}

/* Groups a held or blocked listing with other sellers' held or blocked
 * listings that carry the same photo (the same PDQ hash as given or
 * computed) or a near-identical text: an infringer cluster. Allowed listings
 * stay out: honest resellers share manufacturers' photos and texts. */
static int link_content(gn_engine *e, uint32_t listing, uint32_t seller, const gn_listing_facts *f,
                        gn_error *err)
{
    if (gn_groups_reserve(&e->content, e->state.n_listings))
        return gn_fail(err, GN_ENOMEM, "out of memory");
    content_match m = {e, listing, seller};
    gn_minhash fp;
    if (gn_minhash_text(f->title, f->description, &fp) == 0) {
        gn_minhash_index_near(e->texts, &fp, 16, join_if_other_seller, &m);
        int rc = gn_minhash_index_add(e->texts, &fp, listing, err);
        if (rc)
            return rc;
    }
    for (int i = 0; i < f->n_images; i++) {
        /* A brand's own photo is on every honest reseller's listing too. */
        if (gn_image_is_official(&e->photos, &f->images[i]))
            continue;
        char hex[GN_PDQ_HEX_LEN + 1];
        gn_pdq_format(&f->images[i].forms[0], hex);
        int added;
        uint32_t *owner = gn_strmap_put(&e->photo_owner, hex, &added, NULL);
        if (added)
            *owner = listing;
        else if (gn_groups_size(&e->content, *owner) <= COMMON_PHOTO)
            join_if_other_seller(&m, *owner, GN_MINHASH_K);
    }
    return 0;
}

/* A blocked listing's photos join the removed bank, but not the brands' own
 * photos it used: those stay the brands', judged by IMAGE_STOLEN_OFFICIAL. */
static int bank_removed_photos(gn_engine *e, uint32_t listing, int n_images, gn_error *err)
{
    for (int i = 0; i < n_images; i++) {
        const gn_listing_image *img = &e->images[i];
        if (gn_image_is_official(&e->photos, img))
            continue;
        for (int k = 0; k < img->n_forms; k++) {
            int rc = gn_image_bank_add(&e->photos, GN_BANK_REMOVED, &img->forms[k], listing, k, img->label, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static void links_signals(gn_engine *e, const gn_listing_facts *f, uint32_t seller,
                          gn_signals *out)
{
    uint32_t brand = market_brand(f);
    if (e->links_cache.generation != e->generation || e->links_cache.seller != seller ||
        e->links_cache.brand != brand || e->links_cache.at != f->at) {
        e->links_cache.signals.count = 0;
        gn_detect_links(&e->state, e->identity, &e->params, f, seller, &e->links_cache.signals);
        e->links_cache.generation = e->generation;
        e->links_cache.seller = seller;
        e->links_cache.brand = brand;
        e->links_cache.at = f->at;
    }
    for (int i = 0; i < e->links_cache.signals.count; i++)
        if (out->count < GN_MAX_SIGNALS)
            out->items[out->count++] = e->links_cache.signals.items[i];
}

/* The features of this decision, kept for learning (and for the model). */
static int snapshot(gn_engine *e, const gn_listing_facts *f, const gn_event *ev, uint32_t listing,
                    uint32_t seller, const gn_signals *signals, gn_error *err)
{
    const gn_state *st = &e->state;
    double usd = gn_price_in(st, f->price, f->currency, "USD");
    gn_feature_facts facts = {
        .branded = gn_facts_branded(f),
        .price_to_reference = gn_price_reference_ratio(st, f),
        .log_price_usd = usd >= 0 ? log10(usd > 0.01 ? usd : 0.01) : NAN,
        .account_age_days = f->seller->created_at == INT64_MIN
                                ? NAN
                                : (double)(f->at - f->seller->created_at) / GN_MS_PER_DAY,
        .images = f->n_images,
        .cluster_size = gn_identity_cluster_size(e->identity, seller),
    };
    float base[GN_FEATURES_BASE];
    gn_features_base(signals, &facts, base);
    return gn_learning_snapshot(&e->learning, listing, seller, base, gn_event_get(ev, "signals"))
               ? gn_fail(err, GN_ENOMEM, "out of memory")
               : 0;
}

/* The platform's Lua rules see the listing, the signals, the score and the
 * seller's cluster, and may change the action and add reasons. A rule that
 * fails leaves the default decision, noted in the decision and the metrics. */
static void apply_rules(gn_engine *e, const gn_listing_facts *f, uint32_t seller,
                        const gn_signals *signals, gn_signals *model_reasons, gn_decision *d)
{
    gn_policy_signal in_signals[GN_MAX_SIGNALS];
    for (int i = 0; i < signals->count; i++)
        in_signals[i] = (gn_policy_signal){signals->items[i].code, signals->items[i].value,
                                           signals->items[i].weight, signals->items[i].detail};
    uint32_t brand = market_brand(f);
    gn_policy_input in = {
        .listing = f->listing,
        .seller = f->seller_id,
        .title = f->title,
        .category = f->category,
        .brand = brand == GN_NONE ? NULL : e->state.brands[brand].id,
        .currency = f->currency,
        .price = f->price,
        .signals = in_signals,
        .n_signals = signals->count,
        .score = d->score,
        .action = gn_action_name(d->action),
        .model_score = model_reasons ? d->score : NAN,
        .cluster_size = (int)gn_identity_cluster_size(e->identity, seller),
        .cluster_banned = (int)gn_identity_cluster_banned(e->identity, seller),
        .seller_verified = f->seller->verification == GN_VERIFY_VERIFIED,
    };
    gn_policy_output out;
    gn_error why;
    if (gn_lua_policy_decide(e->rules, &in, &out, &why)) {
        e->metrics.policy_failures++;
        if (e->notes.len)
            gn_buf_puts(&e->notes, ",");
        gn_buf_json_string(&e->notes, why.message);
        return;
    }
    if (out.action[0])
        d->action = strcmp(out.action, "block") == 0    ? GN_BLOCK
                    : strcmp(out.action, "review") == 0 ? GN_REVIEW
                                                        : GN_ALLOW;
    /* The rules' reasons come first: they are why the action is what it is. */
    gn_signals *reasons = d->signals;
    for (int i = out.n_reasons - 1; i >= 0; i--) {
        if (reasons->count == GN_MAX_SIGNALS)
            reasons->count--;
        memmove(reasons->items + 1, reasons->items, (size_t)reasons->count * sizeof *reasons->items);
        reasons->count++;
        gn_signal *r = &reasons->items[0];
        r->code = "POLICY_RULE";
        r->value = 1;
        r->weight = 0;
        snprintf(r->detail, sizeof r->detail, "%s: %s", out.reasons[i].code, out.reasons[i].detail);
    }
}

/* Decides a listing from its listing event. cause is NULL when the event
 * itself has just arrived; a re-decision (a sweep after a ban) passes the
 * event that caused it, whose id and time the new decision carries. */
static int decide_listing(gn_engine *e, const gn_event *ev, const gn_event *cause, gn_error *err)
{
    double started = now_seconds();
    const gn_event *when = cause ? cause : ev;
    gn_state *st = &e->state;
    gn_listing_facts f = {0};
    f.listing = gn_event_str(ev, "listing");
    f.seller_id = gn_event_str(ev, "seller");
    f.title = gn_event_str(ev, "title");
    f.description = gn_event_str(ev, "description");
    f.currency = gn_event_str(ev, "currency");
    f.category = gn_event_str(ev, "category");
    f.claimed = gn_event_str(ev, "brand");
    f.price = gn_event_num(ev, "price", 0);
    f.at = when->at;

    uint32_t seller = gn_state_seller(st, f.seller_id, ev->at);
    int is_new;
    uint32_t index = gn_state_listing(st, f.listing, seller, &is_new); /* may move the array */
    gn_listing *l = &st->listings[index];
    seller = l->seller; /* the seller that listed it first */
    f.seller = &st->sellers[seller];
    if (!cause) {
        l->versions++;
        l->event = e->event_seq;
    }
    int first_version = !cause && l->versions == 1;

    gn_text_findings text;
    int rc = gn_lexicon_prepare(e->lexicon, err);
    if (rc)
        return rc;
    const char *desc = f.description ? f.description : "";
    rc = gn_lexicon_scan(e->lexicon, f.title, strlen(f.title), desc, strlen(desc), &text, err);
    if (rc)
        return rc;
    f.text = &text;
    gn_facts_resolve_brands(&f, st);
    f.listing_index = index;
    f.images = e->images;
    gn_buf_reset(&e->notes);
    if ((rc = listing_images(e, gn_event_get(ev, "images"), &f.n_images, err)))
        return rc;

    gn_signals signals;
    signals.count = 0;
    gn_detect_price(st, &e->params, &f, &signals);
    gn_detect_text(st, &f, &signals);
    gn_detect_seller(st, &e->params, &f, &signals);
    gn_detect_images(st, &e->photos, &f, &signals);
    links_signals(e, &f, seller, &signals);
    gn_seller_note_brand(&st->sellers[seller], market_brand(&f));
    if ((rc = snapshot(e, &f, ev, index, seller, &signals, err)))
        return rc;
    gn_decision d;
    gn_signals model_reasons;
    if (e->learning.model) {
        rc = gn_learning_decide(&e->learning, index, &signals,
                                gn_config_get(&e->config, "model.review_at"),
                                gn_config_get(&e->config, "model.block_at"), &model_reasons, &d, err);
        if (rc)
            return rc;
    } else {
        gn_policy_decide(&e->policy, &signals, &d);
    }

    if (e->rules)
        apply_rules(e, &f, seller, &signals, d.signals == &signals ? NULL : d.signals, &d);

    /* A listing taken down stays down whatever its next version says. */
    if (l->status != GN_REMOVED)
        l->status = d.action == GN_BLOCK ? GN_BLOCKED : d.action == GN_REVIEW ? GN_HELD : GN_LIVE;
    update_market(e, l, &f, d.action);
    if (d.action == GN_BLOCK && (rc = bank_removed_photos(e, index, f.n_images, err)))
        return rc;
    if (first_version && d.action != GN_ALLOW && (rc = link_content(e, index, seller, &f, err)))
        return rc;

    gn_buf *b = &e->decision;
    gn_buf_reset(b);
    gn_buf_puts(b, "{\"listing\":");
    gn_buf_json_string(b, f.listing);
    gn_buf_printf(b, ",\"action\":\"%s\",\"score\":%.4g,\"reasons\":", gn_action_name(d.action),
                  d.score);
    size_t reasons_at = b->len;
    gn_reasons_json(b, d.signals);
    size_t reasons_end = b->len;
    if (e->notes.len)
        gn_buf_printf(b, ",\"notes\":[%s]", e->notes.data);
    if (e->learning.model)
        gn_buf_printf(b, ",\"model\":%d", e->learning.version);
    gn_buf_printf(b, ",\"status\":\"%s\",\"at\":", status_name(l->status));
    gn_buf_json_string(b, when->at_text);
    gn_buf_puts(b, "}");
    gn_metrics_decision(&e->metrics, d.action, now_seconds() - started);
    if (e->replaying)
        return 0;

    char saved = b->data[reasons_end];
    b->data[reasons_end] = 0; /* the reasons array alone, in place */
    gn_decision_record rec = {.listing = f.listing,
                              .seller = f.seller_id,
                              .event_id = when->id,
                              .at = when->at_text,
                              .status = status_name(l->status),
                              .action = gn_action_name(d.action),
                              .score = d.score,
                              .reasons = b->data + reasons_at,
                              .new_version = cause == NULL,
                              .model = e->learning.model ? e->learning.version : 0};
    rc = e->store->ops->put_decision(e->store, &rec, err);
    b->data[reasons_end] = saved;
    return rc;
}

/* A brand's official photos join the photo bank in every form genuine has
 * of them; one that cannot be had is left out (the brand is still taken). */
static int add_official_images(gn_engine *e, const gn_event *ev, uint32_t brand, gn_error *err)
{
    const gn_json *images = gn_event_get(ev, "official_images");
    for (size_t i = 0; i < gn_json_size(images); i++) {
        const gn_json *image = gn_json_at(images, i);
        gn_listing_image img;
        gn_error why;
        int rc = gn_engine_image(e, image, &img, &why, err);
        if (rc == GN_EINPUT)
            continue;
        for (int k = 0; !rc && k < img.n_forms; k++)
            rc = gn_image_bank_add(&e->photos, GN_BANK_OFFICIAL, &img.forms[k], brand, k, img.label, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_brand(gn_engine *e, const gn_event *ev, gn_error *err)
{
    uint32_t brand = gn_state_put_brand(&e->state, ev);
    int rc = add_official_images(e, ev, brand, err);
    if (!rc)
        rc = gn_lexicon_add_name(e->lexicon, brand, gn_event_str(ev, "name"), err);
    const gn_json *aliases = gn_event_get(ev, "aliases");
    for (size_t i = 0; i < gn_json_size(aliases) && !rc; i++)
        rc = gn_lexicon_add_name(e->lexicon, brand, gn_json_string(gn_json_at(aliases, i), NULL), err);
    return rc;
}

static int add_seller(gn_engine *e, const gn_event *ev, gn_error *err)
{
    gn_state_put_seller(&e->state, ev);
    const gn_json *signals = gn_event_get(ev, "signals");
    if (!signals)
        return 0;
    uint32_t seller = gn_state_seller(&e->state, gn_event_str(ev, "seller"), ev->at);
    return gn_learning_seller_signals(&e->learning, seller, signals)
               ? gn_fail(err, GN_ENOMEM, "out of memory")
               : 0;
}

/* A session's ip, device and network link its account to others holding them. */
static int add_session(gn_engine *e, const gn_event *ev, gn_error *err)
{
    static const struct {
        const char *field;
        gn_identity_kind kind;
    } fields[] = {{"ip", GN_ID_IP}, {"device", GN_ID_DEVICE}, {"network", GN_ID_NETWORK}};
    uint32_t account = gn_state_seller(&e->state, gn_event_str(ev, "account"), INT64_MIN);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *value = gn_event_str(ev, fields[i].field);
        if (!value || !*value)
            continue;
        int rc = gn_identity_add(e->identity, account, fields[i].kind, value, strlen(value), err);
        if (rc && rc != GN_EINPUT) /* a value with nothing in it after normalising links nobody */
            return rc;
    }
    return 0;
}

static int add_attribute(gn_engine *e, const gn_event *ev, gn_error *err)
{
    uint32_t seller = gn_state_seller(&e->state, gn_event_str(ev, "seller"), INT64_MIN);
    int kind = gn_identity_kind_parse(gn_event_str(ev, "kind"));
    const char *value = gn_event_str(ev, "value");
    if (kind < 0)
        return 0;
    int rc = gn_identity_add(e->identity, seller, (gn_identity_kind)kind, value, strlen(value), err);
    return rc == GN_EINPUT ? 0 : rc;
}

/* Re-decides every listing of the seller's cluster that is not removed, with
 * the event that changed the cluster (a ban, a clearance) as the cause. */
static int sweep_cluster(gn_engine *e, uint32_t seller, const gn_event *cause, gn_error *err)
{
    gn_state *st = &e->state;
    gn_buf body = {0};
    int rc = 0;
    uint32_t m = seller;
    do {
        for (uint32_t l = st->sellers[m].last_listing; l != GN_NONE && !rc;
             l = st->listings[l].previous_of_seller) {
            if (st->listings[l].status == GN_REMOVED)
                continue;
            gn_buf_reset(&body);
            rc = e->store->ops->event_body(e->store, st->listings[l].event, &body, err);
            gn_event ev;
            if (!rc && gn_event_decode(&e->sweep_doc, body.data, body.len, &ev, err) == 0)
                rc = decide_listing(e, &ev, cause, err);
        }
        m = gn_identity_next_member(e->identity, m);
    } while (m != seller && !rc);
    gn_buf_free(&body);
    return rc;
}

/* A seller banned or cleared changes the ban state of its cluster; its
 * listings and those of every linked account are decided again at once. */
/* A reviewer's verdict on a listing labels it for learning and settles it:
 * counterfeit takes it down (its photos join the removed bank), genuine puts
 * a held or blocked listing live. The verdict is recorded as its decision. */
static int listing_verdict(gn_engine *e, const gn_event *ev, gn_error *err)
{
    gn_state *st = &e->state;
    uint32_t *index = gn_strmap_find(&st->listing_by_id, gn_event_str(ev, "target"));
    if (!index)
        return 0; /* a verdict on a listing genuine never saw: kept in the log, nothing to do */
    gn_listing *l = &st->listings[*index];
    int counterfeit = strcmp(gn_event_str(ev, "outcome"), "counterfeit") == 0;
    gn_learning_label(&e->learning, *index, counterfeit);
    gn_listing_status status = counterfeit ? GN_REMOVED : l->status == GN_REMOVED ? GN_REMOVED : GN_LIVE;
    if (counterfeit) {
        /* Its photos, read back from its latest version, join the removed bank. */
        gn_buf body = {0};
        gn_event listing;
        int rc = e->store->ops->event_body(e->store, l->event, &body, err);
        int n = 0;
        if (!rc && gn_event_decode(&e->sweep_doc, body.data, body.len, &listing, err) == 0)
            rc = listing_images(e, gn_event_get(&listing, "images"), &n, err);
        gn_buf_free(&body);
        if (!rc)
            rc = bank_removed_photos(e, *index, n, err);
        if (rc)
            return rc;
    }
    l = &st->listings[*index];
    if (l->status == status)
        return 0;
    if (l->status == GN_LIVE && l->market_keys[1] != GN_NONE) /* no longer a price that counts */
        for (int i = 0; i < 2; i++)
            if (l->market_keys[i] != GN_NONE) {
                gn_prices_add(&st->market, l->market_keys[i], l->market_price, -1);
                l->market_keys[i] = GN_NONE;
            }
    l->status = (uint8_t)status;
    if (e->replaying)
        return 0;
    gn_buf reasons = {0};
    gn_buf_printf(&reasons, "[{\"code\":\"%s\",\"weight\":1,\"detail\":",
                  counterfeit ? "VERDICT_COUNTERFEIT" : "VERDICT_GENUINE");
    char detail[300];
    snprintf(detail, sizeof detail, "a reviewer (%s) found the listing %s", gn_event_str(ev, "reviewer"),
             counterfeit ? "counterfeit: it is taken down" : "genuine");
    gn_buf_json_string(&reasons, detail);
    gn_buf_puts(&reasons, "}]");
    gn_decision_record rec = {.listing = l->id,
                              .seller = st->sellers[l->seller].id,
                              .event_id = ev->id,
                              .at = ev->at_text,
                              .status = counterfeit ? "removed" : "live",
                              .action = counterfeit ? "block" : "allow",
                              .score = counterfeit ? 1 : 0,
                              .reasons = reasons.data};
    int rc = e->store->ops->set_status(e->store, &rec, err);
    gn_buf_free(&reasons);
    return rc;
}

static int apply_verdict(gn_engine *e, const gn_event *ev, gn_error *err)
{
    if (strcmp(gn_event_str(ev, "subject"), "listing") == 0)
        return listing_verdict(e, ev, err);
    if (strcmp(gn_event_str(ev, "subject"), "seller") != 0)
        return 0;
    uint32_t seller = gn_state_seller(&e->state, gn_event_str(ev, "target"), INT64_MIN);
    int banned = strcmp(gn_event_str(ev, "outcome"), "banned") == 0;
    if (gn_identity_is_banned(e->identity, seller) == banned)
        return 0;
    int rc = gn_identity_set_banned(e->identity, seller, banned, err);
    return rc ? rc : sweep_cluster(e, seller, ev, err);
}

/* Applies a validated event to the state. Events that only later issues act
 * on (orders, complaints, ...) are kept in the log for them. */
static int apply(gn_engine *e, const gn_event *ev, gn_error *err)
{
    e->generation++;
    switch (ev->type) {
    case GN_EV_BRAND: return add_brand(e, ev, err);
    case GN_EV_SELLER: return add_seller(e, ev, err);
    case GN_EV_SELLER_VERIFICATION: gn_state_put_verification(&e->state, ev); return 0;
    case GN_EV_RATE: gn_state_put_rate(&e->state, ev); return 0;
    case GN_EV_ORDER: gn_state_put_order(&e->state, ev); return 0;
    case GN_EV_SHIPMENT: gn_state_put_shipment(&e->state, ev); return 0;
    case GN_EV_LISTING: return decide_listing(e, ev, NULL, err);
    case GN_EV_SESSION: return add_session(e, ev, err);
    case GN_EV_SELLER_ATTRIBUTE: return add_attribute(e, ev, err);
    case GN_EV_VERDICT: return apply_verdict(e, ev, err);
    default: return 0;
    }
}

/* Best effort to name a rejected event in its result. */
static void peek_id_type(gn_engine *e, const char *json, size_t len)
{
    const gn_json *root = gn_json_parse(&e->doc, json, len, NULL);
    const char *id = gn_json_str(root, "id");
    const char *type = gn_json_str(root, "type");
    snprintf(e->id, sizeof e->id, "%s", id ? id : "");
    snprintf(e->type, sizeof e->type, "%s", type ? type : "");
}

/* Ban evasion at sign-up: an account that an event leaves linked to a banned
 * seller is flagged at once, before it lists anything. */
static const char *evasion_alert(gn_engine *e, const gn_event *ev)
{
    const char *account = gn_event_str(ev, ev->type == GN_EV_SESSION ? "account" : "seller");
    uint32_t *seller = gn_strmap_find(&e->state.seller_by_id, account);
    if (!seller || gn_identity_is_banned(e->identity, *seller) ||
        gn_identity_cluster_banned(e->identity, *seller) == 0)
        return NULL;
    gn_listing_facts f = {0};
    f.seller_id = account;
    f.claimed_brand = f.named_brand = GN_NONE;
    f.at = ev->at;
    gn_signals signals;
    signals.count = 0;
    gn_detect_links(&e->state, e->identity, &e->params, &f, *seller, &signals);
    for (int i = 0; i < signals.count; i++)
        if (strcmp(signals.items[i].code, "SELLER_LINKED_TO_BANNED") == 0) {
            gn_buf *b = &e->decision;
            gn_buf_reset(b);
            gn_buf_puts(b, "{\"seller\":");
            gn_buf_json_string(b, account);
            gn_buf_puts(b, ",\"code\":\"SELLER_LINKED_TO_BANNED\",\"detail\":");
            gn_buf_json_string(b, signals.items[i].detail);
            gn_buf_puts(b, "}");
            e->metrics.alerts++;
            return b->data;
        }
    return NULL;
}

int gn_ingest(gn_engine *e, const char *json, size_t len, gn_result *res, gn_error *err)
{
    memset(res, 0, sizeof *res);
    res->id = e->id;
    res->type = e->type;
    e->id[0] = e->type[0] = 0;
    if (e->read_only)
        return gn_fail(err, GN_EINPUT, "the engine was opened read-only");
    gn_event ev;
    gn_error why;
    if (gn_event_decode(&e->doc, json, len, &ev, &why)) {
        snprintf(e->error, sizeof e->error, "%s", why.message);
        peek_id_type(e, json, len);
        res->outcome = GN_REJECTED;
        res->error = e->error;
        gn_metrics_event(&e->metrics, gn_event_type_from_name(e->type), GN_REJECTED);
        return 0;
    }
    snprintf(e->id, sizeof e->id, "%s", ev.id);
    snprintf(e->type, sizeof e->type, "%s", gn_event_type_name(ev.type));
    if (gn_strmap_find(&e->seen, ev.id)) {
        res->outcome = GN_DUPLICATE;
        gn_metrics_event(&e->metrics, ev.type, GN_DUPLICATE);
        return 0;
    }
    int rc = 0;
    if (!e->in_batch) {
        rc = e->store->ops->begin(e->store, err);
        if (rc)
            goto out;
        e->in_batch = 1;
    }
    gn_event_record rec = {ev.id, e->type, ev.at_text, json, len};
    rc = e->store->ops->append_event(e->store, &rec, &e->event_seq, err);
    if (rc)
        goto out;
    rc = apply(e, &ev, err);
    if (rc)
        goto out;
    gn_strmap_put(&e->seen, ev.id, NULL, NULL);
    if (ev.at > e->now)
        e->now = ev.at;
    res->outcome = GN_ACCEPTED;
    if (ev.type == GN_EV_LISTING)
        res->decision_json = e->decision.data;
    else if (ev.type == GN_EV_SELLER || ev.type == GN_EV_SESSION || ev.type == GN_EV_SELLER_ATTRIBUTE)
        res->alert_json = evasion_alert(e, &ev);
    gn_metrics_event(&e->metrics, ev.type, GN_ACCEPTED);
out:
    return rc;
}

static int rebuild(gn_engine *e, gn_error *err);

int gn_commit(gn_engine *e, gn_error *err)
{
    if (!e->in_batch)
        return 0;
    e->in_batch = 0;
    int rc = e->store->ops->commit(e->store, err);
    if (rc) {
        /* The batch is gone from the store, so it must go from memory too, or a
         * retry would be taken for a duplicate: rebuild from what is durable. */
        e->store->ops->rollback(e->store);
        gn_error ignored;
        rebuild(e, &ignored);
    }
    return rc;
}

/* The model event genuine writes to the log when it learns a model: from
 * there on, replayed decisions use that version, as the live ones did. */
static int use_model(gn_engine *e, int version, gn_error *err)
{
    gn_buf bytes = {0};
    gn_model *m = NULL;
    int rc = e->store->ops->get_model(e->store, version, &bytes, err);
    if (!rc)
        rc = gn_model_load((const unsigned char *)bytes.data, bytes.len, &m, err);
    gn_buf_free(&bytes);
    return rc ? rc : gn_learning_use(&e->learning, m, version, err);
}

static int replay_model_event(gn_engine *e, const char *body, size_t len)
{
    const gn_json *root = gn_json_parse(&e->doc, body, len, NULL);
    const char *type = gn_json_str(root, "type");
    if (!type || strcmp(type, "model") != 0)
        return 0; /* logged by an older, laxer genuine: it changes nothing now */
    gn_strmap_put(&e->seen, gn_json_str(root, "id"), NULL, NULL);
    gn_error err;
    return use_model(e, (int)gn_json_number(gn_json_get(root, "version")), &err) ? GN_ESTORE : 0;
}

static int replay_one(void *ctx, int64_t seq, const char *body, size_t len)
{
    gn_engine *e = ctx;
    e->event_seq = seq;
    gn_event ev;
    gn_error err;
    if (gn_event_decode(&e->doc, body, len, &ev, &err))
        return replay_model_event(e, body, len);
    if (!gn_strmap_find(&e->seen, ev.id)) {
        gn_strmap_put(&e->seen, ev.id, NULL, NULL);
        if (ev.at > e->now)
            e->now = ev.at;
        if (apply(e, &ev, &err))
            return GN_ESTORE;
    }
    return 0;
}

/* Builds the in-memory state from scratch by replaying the event log. */
static int rebuild(gn_engine *e, gn_error *err)
{
    gn_state_free(&e->state);
    gn_state_init(&e->state);
    gn_strmap_free(&e->seen);
    gn_lexicon_free(e->lexicon);
    e->lexicon = gn_lexicon_new();
    if (!e->lexicon)
        return gn_fail(err, GN_ENOMEM, "out of memory");
    gn_image_bank_free(&e->photos);
    gn_identity_free(e->identity);
    e->identity = NULL;
    gn_groups_free(&e->content);
    gn_minhash_index_free(e->texts);
    gn_strmap_free(&e->photo_owner);
    gn_learning_free(&e->learning);
    if (!(e->texts = gn_minhash_index_new()))
        return gn_fail(err, GN_ENOMEM, "out of memory");
    gn_identity_params ip;
    gn_identity_default_params(&ip);
    ip.max_accounts = (uint32_t)gn_config_get(&e->config, "identity.max_accounts");
    /* A secret key for the value hashes, so nobody can craft a value that
     * collides with another seller's; the graph is rebuilt at every start. */
    randombytes_buf(ip.hash_key, sizeof ip.hash_key);
    int rc = gn_identity_new(&e->identity, &ip, err);
    if (!rc)
        rc = gn_image_bank_init(&e->photos, err);
    if (rc)
        return rc;
    e->replaying = 1;
    gn_metrics saved = e->metrics;
    rc = e->store->ops->replay(e->store, replay_one, e, err);
    e->metrics = saved; /* replayed events were counted when they arrived */
    e->replaying = 0;
    return rc;
}

int gn_engine_open(gn_engine **out, const gn_engine_options *o, gn_error *err)
{
    *out = NULL;
    gn_engine *e = calloc(1, sizeof *e);
    if (!e)
        return gn_fail(err, GN_ENOMEM, "out of memory");
    e->read_only = o->read_only;
    gn_json_doc_init(&e->doc);
    gn_json_doc_init(&e->sweep_doc);
    gn_state_init(&e->state);
    int rc = sodium_init() < 0 ? gn_fail(err, GN_ENOMEM, "libsodium could not start") : 0;
    if (!rc)
        rc = gn_config_load(&e->config, o->config_path, err);
    if (rc)
        goto fail;
    gn_policy_load(&e->policy, &e->config);
    gn_detect_params_load(&e->params, &e->config);
    rc = gn_store_open(&e->store, o->db_path ? o->db_path : "genuine.db", o->read_only, err);
    if (rc)
        goto fail;
    if (!o->read_only && o->policy_path &&
        (rc = gn_lua_policy_load(&e->rules, o->policy_path, NULL, err)))
        goto fail;
    if (!o->read_only && (rc = rebuild(e, err)))
        goto fail;
    *out = e;
    return 0;
fail:
    gn_engine_close(e);
    return rc;
}

void gn_engine_close(gn_engine *e)
{
    if (!e)
        return;
    if (e->in_batch)
        e->store->ops->rollback(e->store);
    gn_store_close(e->store);
    gn_lexicon_free(e->lexicon);
    gn_image_bank_free(&e->photos);
    gn_identity_free(e->identity);
    gn_groups_free(&e->content);
    gn_minhash_index_free(e->texts);
    gn_strmap_free(&e->photo_owner);
    gn_learning_free(&e->learning);
    gn_lua_policy_free(e->rules);
    gn_buf_free(&e->notes);
    gn_json_doc_free(&e->doc);
    gn_json_doc_free(&e->sweep_doc);
    gn_state_free(&e->state);
    gn_strmap_free(&e->seen);
    gn_buf_free(&e->decision);
    free(e);
}

char *gn_listing_json(gn_engine *e, const char *listing, gn_error *err)
{
    gn_buf b = {0};
    if (e->store->ops->listing_json(e->store, listing, &b, err)) {
        gn_buf_free(&b);
        return NULL;
    }
    return gn_buf_take(&b);
}

static int print_line(void *ctx, const char *line)
{
    FILE *out = ctx;
    return fputs(line, out) < 0 || fputc('\n', out) < 0 ? GN_ESTORE : 0;
}

int gn_decisions_write(gn_engine *e, FILE *out, gn_error *err)
{
    int rc = e->store->ops->each_listing(e->store, print_line, out, err);
    if (rc == GN_ESTORE && ferror(out))
        return gn_fail(err, GN_ESTORE, "writing the decisions failed");
    return rc;
}

char *gn_summary_json(gn_engine *e, gn_error *err)
{
    gn_buf b = {0};
    if (e->store->ops->summary_json(e->store, &b, err)) {
        gn_buf_free(&b);
        return NULL;
    }
    return gn_buf_take(&b);
}

int gn_policy_reload(gn_engine *e, gn_error *err)
{
    if (!e->rules)
        return gn_fail(err, GN_EINPUT, "no policy file was given (--policy FILE)");
    return gn_lua_policy_reload(e->rules, err);
}

int gn_train(gn_engine *e, gn_train_report *r, gn_error *err)
{
    memset(r, 0, sizeof *r);
    if (e->read_only)
        return gn_fail(err, GN_EINPUT, "the engine was opened read-only");
    int rc = gn_commit(e, err);
    if (rc)
        return rc;
    double started = now_seconds();
    gn_model *m;
    gn_model_figures fig;
    rc = gn_learning_train(&e->learning, &m, &fig, &r->rows, &r->positives, &r->features, err);
    if (rc)
        return rc;
    r->seconds = now_seconds() - started;
    r->auc = fig.auc;
    r->precision = fig.precision;
    r->recall = fig.recall;
    r->log_loss = fig.log_loss;
    unsigned char *bytes = NULL;
    size_t len = 0;
    if ((rc = gn_model_save(m, &bytes, &len, err))) {
        gn_model_free(m);
        return rc;
    }
    char at[32], figures[256], id[64];
    gn_time_format(e->now, at, sizeof at);
    snprintf(figures, sizeof figures,
             "{\"rows\":%zu,\"features\":%zu,\"auc\":%.4f,\"precision\":%.4f,\"recall\":%.4f}",
             r->rows, r->features, fig.auc, fig.precision, fig.recall);
    rc = e->store->ops->begin(e->store, err);
    if (!rc)
        rc = e->store->ops->put_model(e->store, bytes, len, figures, at, &r->version, err);
    free(bytes);
    if (!rc) {
        gn_buf body = {0};
        snprintf(id, sizeof id, "model-%d", r->version);
        gn_buf_printf(&body, "{\"type\":\"model\",\"id\":\"%s\",\"at\":\"%s\",\"version\":%d}", id,
                      at, r->version);
        gn_event_record rec = {id, "model", at, body.data, body.len};
        int64_t seq;
        rc = e->store->ops->append_event(e->store, &rec, &seq, err);
        gn_buf_free(&body);
    }
    if (!rc)
        rc = e->store->ops->commit(e->store, err);
    if (rc) {
        e->store->ops->rollback(e->store);
        gn_model_free(m);
        return rc;
    }
    gn_strmap_put(&e->seen, id, NULL, NULL);
    return gn_learning_use(&e->learning, m, r->version, err);
}

char *gn_queue_json(gn_engine *e, int limit, gn_error *err)
{
    gn_buf b = {0};
    if (e->store->ops->queue_json(e->store, limit, &b, err)) {
        gn_buf_free(&b);
        return NULL;
    }
    return gn_buf_take(&b);
}

char *gn_stats_json(gn_engine *e, gn_error *err)
{
    gn_buf b = {0};
    if (e->store->ops->summary_json(e->store, &b, err)) {
        gn_buf_free(&b);
        return NULL;
    }
    b.data[--b.len] = 0; /* reopen the summary object to add the event counts */
    gn_buf_puts(&b, ",");
    if (e->store->ops->event_counts_json(e->store, &b, err)) {
        gn_buf_free(&b);
        return NULL;
    }
    gn_buf_puts(&b, "}");
    return gn_buf_take(&b);
}

char *gn_metrics_text(gn_engine *e)
{
    gn_buf b = {0};
    gn_metrics_write(&e->metrics, &b);
    gn_buf_printf(&b,
                  "# HELP genuine_state_records Records held in memory.\n"
                  "# TYPE genuine_state_records gauge\n"
                  "genuine_state_records{kind=\"brand\"} %u\n"
                  "genuine_state_records{kind=\"seller\"} %u\n"
                  "genuine_state_records{kind=\"listing\"} %u\n"
                  "genuine_state_records{kind=\"event\"} %zu\n",
                  e->state.n_brands, e->state.n_sellers, e->state.n_listings, e->seen.count);
    return gn_buf_take(&b);
}
