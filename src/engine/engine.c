/* The ingest pipeline: decode and validate, drop duplicates, log the event
 * and apply it to the state (a listing is decided in decide.c, a verdict
 * handled in verdicts.c). At start the same pipeline replays the log to
 * rebuild the state, writing nothing, so a restart gives the same decisions.
 * Also the engine's life (open, commit, close), training and reads. */
#include "engine/engine.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/error.h"
#include "engine/images.h"
#include "engine/snapshot.h"
#include "store/lock.h"

/* A brand's official photos join the photo bank in every form genuine has
 * of them; one that cannot be had is left out (the brand is still taken). */
static int add_official_images(gn_engine *e, const gn_event *ev, uint32_t brand, gn_error *err)
{
    const gn_json *images = gn_event_get(ev, "official_images");
    const gn_json *media = images ? gn_engine_media(ev, "official_images") : NULL;
    for (size_t i = 0; i < gn_json_size(images); i++) {
        const gn_json *image = gn_json_at(images, i);
        gn_listing_image img;
        gn_error why;
        int rc = gn_engine_image(e->store, image, gn_json_at(media, i), &img, &why, err);
        if (rc == GN_EINPUT) continue;
        for (int k = 0; !rc && k < img.n_forms; k++)
            if (!GN_FORM_IS_PART(img.kind[k])) /* looked up, not banked */
                rc = gn_image_bank_add(&e->photos, GN_BANK_OFFICIAL, &img.forms[k], brand,
                                       img.kind[k], img.label, err);
        if (rc) return rc;
    }
    return 0;
}

/* A brand's names are checked before the event is applied (check_brand); one
 * an older genuine logged and the lexicon cannot take is left out, so the
 * log still replays. */
static int add_brand_name(gn_engine *e, uint32_t brand, const char *name, gn_error *err)
{
    int rc = gn_lexicon_add_name(e->lexicon, brand, name, err);
    return rc == GN_EINPUT ? 0 : rc;
}

static int add_brand(gn_engine *e, const gn_event *ev, gn_error *err)
{
    uint32_t brand = gn_state_put_brand(&e->state, ev);
    gn_engine_codes_brand(e, ev);
    int rc = add_official_images(e, ev, brand, err);
    if (!rc) rc = add_brand_name(e, brand, gn_event_str(ev, "name"), err);
    const gn_json *aliases = gn_event_get(ev, "aliases");
    for (size_t i = 0; i < gn_json_size(aliases) && !rc; i++)
        rc = add_brand_name(e, brand, gn_json_string(gn_json_at(aliases, i), NULL), err);
    return rc;
}

static int check_brand(gn_engine *e, const gn_event *ev, gn_error *why)
{
    gn_error bad;
    if (gn_lexicon_check_name(e->lexicon, gn_event_str(ev, "name"), &bad))
        return gn_fail(why, GN_EINPUT, "field 'name': %s", bad.message);
    const gn_json *aliases = gn_event_get(ev, "aliases");
    for (size_t i = 0; i < gn_json_size(aliases); i++)
        if (gn_lexicon_check_name(e->lexicon, gn_json_string(gn_json_at(aliases, i), NULL), &bad))
            return gn_fail(why, GN_EINPUT, "field 'aliases[%zu]': %s", i, bad.message);
    return 0;
}

static int add_seller(gn_engine *e, const gn_event *ev, gn_error *err)
{
    gn_state_put_seller(&e->state, ev);
    const gn_json *signals = gn_event_get(ev, "signals");
    if (!signals) return 0;
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
        if (!value || !*value) continue;
        int rc = gn_identity_add(e->identity, account, fields[i].kind, value, strlen(value), err);
        if (rc && rc != GN_EINPUT) /* a value with nothing in it after normalising links nobody */
            return rc;
        if ((rc = gn_engine_after_split(e, ev, err))) return rc;
    }
    return 0;
}

/* What a seller says about itself (from its own key) is only its word: a
 * seller can state a stranger's phone, so it never links on its own. What
 * the platform sends it observed. The seller's country reads national
 * phone numbers. */
static int add_attribute(gn_engine *e, const gn_event *ev, gn_error *err)
{
    uint32_t seller = gn_state_seller(&e->state, gn_event_str(ev, "seller"), INT64_MIN);
    int kind = gn_identity_kind_parse(gn_event_str(ev, "kind"));
    const char *value = gn_event_str(ev, "value");
    if (kind < 0) return 0;
    int rc = gn_identity_add_as(e->identity, seller, (gn_identity_kind)kind, value, strlen(value),
                                e->state.sellers[seller].country, !ev->from_platform, err);
    if (rc == GN_EINPUT) return 0;
    return rc ? rc : gn_engine_after_split(e, ev, err);
}

/* Applies a validated event to the state; the workflows' events go to them
 * (src/engine/workflows.c). Orders, reviews and shipments are counted on
 * their listing, which may be decided again (src/engine/activity.c). */
static int apply(gn_engine *e, const gn_event *ev, gn_error *err)
{
    e->generation++;
    switch (ev->type) {
    case GN_EV_BRAND:
        return add_brand(e, ev, err);
    case GN_EV_SELLER:
        return add_seller(e, ev, err);
    case GN_EV_SELLER_VERIFICATION:
        gn_state_put_verification(&e->state, ev);
        return gn_engine_workflow_apply(e, ev, err);
    case GN_EV_IP_RIGHT:
    case GN_EV_COMPLAINT:
    case GN_EV_COUNTER_NOTICE:
    case GN_EV_REPORT:
    case GN_EV_APPEAL:
        return gn_engine_workflow_apply(e, ev, err);
    case GN_EV_RATE:
        gn_state_put_rate(&e->state, ev);
        return 0;
    case GN_EV_SHARED_BANK:
        return gn_engine_shared_bank(e, ev, err);
    case GN_EV_ORDER:
        return gn_engine_activity(e, ev, gn_state_put_order(&e->state, e->identity, ev), err);
    case GN_EV_REVIEW:
        return gn_engine_activity(e, ev, gn_state_put_review(&e->state, e->identity, ev), err);
    case GN_EV_SHIPMENT: {
        int rc = gn_engine_activity(e, ev, gn_state_put_shipment(&e->state, ev), err);
        return rc ? rc : gn_engine_codes_shipment(e, ev, err);
    }
    case GN_EV_LISTING:
        gn_engine_codes_listing(e, ev);
        return gn_engine_decide_listing(e, ev, NULL, err);
    case GN_EV_CODE_BATCH:
    case GN_EV_CODE_SCAN:
        return gn_engine_codes_apply(e, ev, err);
    case GN_EV_SESSION:
        return add_session(e, ev, err);
    case GN_EV_SELLER_ATTRIBUTE:
        return add_attribute(e, ev, err);
    case GN_EV_VERDICT: {
        const char *subject = gn_event_str(ev, "subject");
        if (strcmp(subject, "listing") == 0 || strcmp(subject, "seller") == 0)
            return gn_engine_apply_verdict(e, ev, err);
        if (strcmp(subject, "appeal") == 0) gn_engine_count_appeal(e, ev);
        return gn_engine_workflow_apply(e, ev, err);
    }
    default:
        return 0;
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
            /* The reason names no other account (a seller reads it); the
             * platform's alert says which banned account this one leads to. */
            uint32_t path[8];
            int n = gn_identity_path_to_banned(e->identity, *seller, 20000, path, NULL, 8, NULL);
            if (n >= 2) {
                gn_buf_puts(b, ",\"banned\":");
                gn_buf_json_string(b, e->state.sellers[path[n - 1]].id);
            }
            gn_buf_puts(b, "}");
            e->metrics.alerts++;
            /* The alert names the banned seller: for the platform, not for a
             * seller that posted its own attribute. */
            return ev->from_platform ? b->data : NULL;
        }
    return NULL;
}

/* snprintf(dst, size, "%s", src) without printf: every event names itself
 * in its result this way. */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* A new version of a listing keeps its seller (CONTRACT.md): a version
 * naming another seller would hand the listing over — its status, its
 * history, its owner's reads — to whoever sent it. */
static int check_listing_owner(gn_engine *e, const gn_event *ev, gn_error *why)
{
    const char *listing = gn_event_str(ev, "listing");
    uint32_t *index = gn_strmap_find(&e->state.listing_by_id, listing);
    if (!index) return 0;
    assert(*index < e->state.n_listings && e->state.listings[*index].seller < e->state.n_sellers);
    const char *owner = e->state.sellers[e->state.listings[*index].seller].id;
    if (strcmp(owner, gn_event_str(ev, "seller")) == 0) return 0;
    return gn_fail(why, GN_EINPUT,
                   "field 'seller': listing '%.256s' is another seller's; a new version keeps "
                   "the listing's seller",
                   listing);
}

/* Everything an event needs, checked before anything is logged or changed. */
static int check_event(gn_engine *e, const gn_event *ev, gn_error *why)
{
    if (ev->type == GN_EV_LISTING && check_listing_owner(e, ev, why)) return GN_EINPUT;
    if (ev->type == GN_EV_BRAND && check_brand(e, ev, why)) return GN_EINPUT;
    if (ev->type == GN_EV_CODE_BATCH || ev->type == GN_EV_CODE_SCAN)
        return gn_engine_codes_check(e, ev, why);
    return gn_engine_workflow_check(e, ev, why);
}

/* Whether a sender is the platform itself: no sender, no role, or the
 * platform's role. */
static int is_platform(const gn_sender *from)
{
    return !from || !from->role || strcmp(from->role, "platform") == 0;
}

/* The event takes its sender: the engine's apply code reads ev->from_platform. */
static void set_sender(gn_event *ev, const gn_sender *from)
{
    ev->from_platform = is_platform(from);
    ev->sender_role = ev->from_platform ? NULL : from->role;
    ev->sender_account = ev->from_platform ? NULL : from->account ? from->account : "";
}

/* The key of an event in the duplicate check: the platform's ids as they
 * are; another sender's scoped by its role and account, so that nobody's id
 * ever makes another principal's event a duplicate. The separator \x01
 * cannot start an id the platform could be made to use by someone else. */
static const char *seen_key(gn_engine *e, const gn_event *ev)
{
    if (ev->from_platform) return ev->id;
    assert(ev->sender_role && ev->sender_account);
    snprintf(e->seen_key, sizeof e->seen_key, "\x01%s\x01%s\x01%s", ev->sender_role,
             ev->sender_account, ev->id);
    return e->seen_key;
}

int gn_ingest(gn_engine *e, const char *json, size_t len, gn_result *res, gn_error *err)
{
    return gn_ingest_from(e, NULL, json, len, res, err);
}

int gn_ingest_from(gn_engine *e, const gn_sender *from, const char *json, size_t len,
                   gn_result *res, gn_error *err)
{
    memset(res, 0, sizeof *res);
    res->id = e->id;
    res->type = e->type;
    e->id[0] = e->type[0] = 0;
    if (e->read_only) return gn_fail(err, GN_EINPUT, "the engine was opened read-only");
    if (gn_engine_check_broken(e, err)) return GN_ESTORE;
    if (!is_platform(from) &&
        (strlen(from->role) >= 64 || (from->account && strlen(from->account) > GN_ID_MAX)))
        return gn_fail(err, GN_EINPUT, "sender: a role is under 64 bytes, an account at most %d",
                       GN_ID_MAX);
    if (e->shared)
        return gn_fail(err, GN_EINPUT, "the engine was opened beside the store's writer");
    /* Several nodes on one store: what the others logged is applied before
     * this event is read (the replay decodes into the same document), so an
     * id one node took is a duplicate on all. */
    if (e->store->ops->follow) {
        int failed = gn_engine_begin(e, err);
        if (failed) return failed;
    }
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
    copy_text(e->id, sizeof e->id, ev.id);
    copy_text(e->type, sizeof e->type, gn_event_type_name(ev.type));
    set_sender(&ev, from);
    /* A sender who is not the platform dates its event near the server's
     * clock: one from far ahead would otherwise stand as the listing's, the
     * report's, the answer's time. */
    if (!ev.from_platform && from->clock_ms && ev.at > from->clock_ms + e->clock.max_skew_ms) {
        char clock[32];
        gn_time_format(from->clock_ms, clock, sizeof clock);
        snprintf(e->error, sizeof e->error,
                 "field 'at': %.40s is more than %lld s ahead of the server's clock (%s)",
                 ev.at_text, (long long)(e->clock.max_skew_ms / 1000), clock);
        res->outcome = GN_REJECTED;
        res->error = e->error;
        gn_metrics_event(&e->metrics, ev.type, GN_REJECTED);
        return 0;
    }
    const char *key = seen_key(e, &ev);
    /* The large maps a listing is looked up in miss the cache: their slots
     * are fetched together now, while the log is written. */
    gn_strmap_prefetch(&e->seen, key);
    if (ev.type == GN_EV_LISTING) {
        gn_strmap_prefetch(&e->state.listing_by_id, gn_event_str(&ev, "listing"));
        gn_strmap_prefetch(&e->state.seller_by_id, gn_event_str(&ev, "seller"));
    }
    if (gn_strmap_find(&e->seen, key)) {
        res->outcome = GN_DUPLICATE;
        gn_metrics_event(&e->metrics, ev.type, GN_DUPLICATE);
        return 0;
    }
    const char *sent_at = ev.at_text; /* the log keeps the time as sent */
    gn_engine_clock_no_earlier_than_the_log(&e->clock, &ev);
    /* Time moves on with the platform's events: notice windows closed before
     * this one are run first (logged as an advance event, see workflows.c).
     * Another sender's `at` moves nothing (it could be any time it likes). */
    size_t closed;
    int rc = ev.from_platform && gn_workflow_next_deadline(&e->workflow) < ev.at
                 ? gn_engine_advance_to(e, ev.at, &closed, err)
                 : 0;
    if (rc) goto out;
    if (check_event(e, &ev, &why)) {
        snprintf(e->error, sizeof e->error, "%s", why.message);
        res->outcome = GN_REJECTED;
        res->error = e->error;
        gn_metrics_event(&e->metrics, ev.type, GN_REJECTED);
        return 0;
    }
    if ((rc = gn_engine_begin(e, err))) goto out;
    gn_event_record rec = {ev.id, e->type, sent_at, json, len, from};
    rc = e->store->ops->append_event(e->store, &rec, &e->event_seq, err);
    if (rc) goto out;
    rc = apply(e, &ev, err);
    if (rc) goto out;
    gn_strmap_put(&e->seen, key, NULL, NULL);
    gn_engine_clock_saw(&e->clock, &ev);
    res->outcome = GN_ACCEPTED;
    if (ev.type == GN_EV_LISTING)
        res->decision_json = e->decision.data;
    else if (ev.type == GN_EV_SELLER || ev.type == GN_EV_SESSION ||
             ev.type == GN_EV_SELLER_ATTRIBUTE)
        res->alert_json = evasion_alert(e, &ev);
    gn_metrics_event(&e->metrics, ev.type, GN_ACCEPTED);
out:
    if (rc) gn_engine_abandon_batch(e);
    return rc;
}

static int rebuild(gn_engine *e, gn_error *err);
static int replay_one(void *ctx, int64_t seq, const char *body, size_t len, const gn_sender *from);

int gn_engine_begin(gn_engine *e, gn_error *err)
{
    if (e->in_batch) return 0;
    int rc = e->store->ops->begin(e->store, err);
    if (rc) return rc;
    e->in_batch = 1;
    if (!e->store->ops->follow) return 0;
    gn_metrics counted = e->metrics; /* the other nodes counted theirs */
    e->replaying = 1;
    e->replay_error.message[0] = 0;
    rc = e->store->ops->follow(e->store, replay_one, e, err);
    if (rc && e->replay_error.message[0]) gn_fail(err, rc, "%s", e->replay_error.message);
    e->replaying = 0;
    e->metrics = counted;
    if (rc) gn_engine_abandon_batch(e);
    return rc;
}

/* A failure half-way through an event (the store, a deadline's effects)
 * leaves the batch and the state half changed. The batch is rolled back —
 * none of it was acknowledged — and the state rebuilt from what is durable,
 * so the event is neither logged nor applied, and a retry is not taken for a
 * duplicate. Failures are rare (a disk full, a store gone); a rebuild costs a
 * replay. */
void gn_engine_abandon_batch(gn_engine *e)
{
    if (e->in_batch) e->store->ops->rollback(e->store);
    e->in_batch = 0;
    gn_error ignored;
    e->broken = rebuild(e, &ignored) != 0;
}

/* After a rebuild that failed, the state is not what the log says: refused
 * until the engine is opened again. */
int gn_engine_check_broken(gn_engine *e, gn_error *err)
{
    return e->broken ? gn_fail(err, GN_ESTORE,
                               "the engine could not rebuild its state after a failed event: "
                               "open it again (restart the server)")
                     : 0;
}

int gn_commit(gn_engine *e, gn_error *err)
{
    if (!e->in_batch) return 0;
    int rc = e->store->ops->commit(e->store, err);
    if (rc) gn_engine_abandon_batch(e);
    e->in_batch = 0;
    return rc;
}

/* The model event genuine writes to the log when it learns a model: from
 * there on, replayed decisions use that version, as the live ones did. */
int gn_engine_use_model(gn_engine *e, int version, double review_at, double block_at, gn_error *err)
{
    gn_buf bytes = {0};
    gn_model *m = NULL;
    int rc = e->store->ops->get_model(e->store, version, &bytes, err);
    if (!rc) rc = gn_model_load((const unsigned char *)bytes.data, bytes.len, &m, err);
    gn_buf_free(&bytes);
    return rc ? rc : gn_learning_use(&e->learning, m, version, review_at, block_at, err);
}

/* Events genuine logs itself: a model learnt, time advanced past deadlines. */
static int replay_own_event(gn_engine *e, const char *body, size_t len, gn_error *err)
{
    const gn_json *root = gn_json_parse(&e->doc, body, len, NULL);
    const char *type = gn_json_str(root, "type");
    const char *id = gn_json_str(root, "id");
    const char *to_text = gn_json_str(root, "to");
    int64_t to;
    const char *fingerprint = gn_json_str(root, "fingerprint");
    if (type && id && fingerprint && strcmp(type, "codes_key") == 0)
        return gn_engine_codes_replay_key(e, fingerprint, err);
    if (type && id && to_text && strcmp(type, "advance") == 0 && gn_time_parse(to_text, &to) == 0) {
        if (to > e->clock.now) e->clock.now = to;
        /* at most limit windows (older logs: all of them) */
        double limit = gn_json_number(gn_json_get(root, "limit"));
        return gn_engine_replay_advance(e, id, to, limit >= 1 ? (size_t)limit : SIZE_MAX, err);
    }
    if (!type || !id || strcmp(type, "model") != 0)
        return 0; /* logged by an older, laxer genuine: it changes nothing now */
    gn_strmap_put(&e->seen, id, NULL, NULL);
    /* The thresholds the model was trained with travel in its event; a log
     * from before they did falls back to the configuration's. */
    const gn_json *review_at = gn_json_get(root, "review_at"),
                  *block_at = gn_json_get(root, "block_at");
    return gn_engine_use_model(
        e, (int)gn_json_number(gn_json_get(root, "version")),
        review_at ? gn_json_number(review_at) : gn_config_get(&e->config, "model.review_at"),
        block_at ? gn_json_number(block_at) : gn_config_get(&e->config, "model.block_at"), err);
}

/* Replays one logged event. A failure stops the replay with its message in
 * e->replay_error, naming the event's place in the log. */
static int replay_one(void *ctx, int64_t seq, const char *body, size_t len, const gn_sender *from)
{
    gn_engine *e = ctx;
    e->event_seq = seq;
    e->replayed++;
    gn_event ev;
    gn_error err = {0};
    int rc = 0;
    if (gn_event_decode(&e->doc, body, len, &ev, &err)) {
        rc = replay_own_event(e, body, len, &err);
    } else {
        set_sender(&ev, from);
        const char *key = seen_key(e, &ev);
        if (!gn_strmap_find(&e->seen, key)) {
            gn_strmap_put(&e->seen, key, NULL, NULL);
            gn_engine_clock_saw(&e->clock, &ev);
            gn_engine_clock_no_earlier_than_the_log(&e->clock, &ev);
            rc = apply(e, &ev, &err);
        }
    }
    if (rc)
        gn_fail(&e->replay_error, rc, "replaying the event at log position %lld: %s",
                (long long)seq, err.message[0] ? err.message : "failed");
    return rc;
}

/* Empties the in-memory state, as before a replay of the whole log. */
int gn_engine_reset_state(gn_engine *e, gn_error *err)
{
    gn_state_free(&e->state);
    gn_state_init(&e->state);
    gn_strmap_free(&e->seen);
    gn_lexicon_free(e->lexicon);
    e->lexicon = NULL;
    int rc = gn_lexicon_open(&e->lexicon, NULL, &e->word_lists.lists, err);
    if (rc) return rc;
    gn_market_words_free(&e->words);
    gn_market_words_init(&e->words);
    gn_image_bank_free(&e->photos);
    gn_identity_free(e->identity);
    e->identity = NULL;
    gn_groups_free(&e->content);
    gn_minhash_index_free(e->texts);
    gn_photo_owners_free(&e->photo_owner);
    gn_learning_free(&e->learning);
    gn_workflow_free(&e->workflow);
    gn_workflow_init(&e->workflow, &e->config);
    gn_figures_free(&e->figures);
    gn_engine_codes_free(e);
    e->advances = 0;
    e->clock.log_now = INT64_MIN;
    e->state.activity.burst_reviews = (uint32_t)gn_config_get(&e->config, "activity.burst_reviews");
    e->state.activity.burst_hours = gn_config_get(&e->config, "activity.burst_hours");
    if (!(e->texts = gn_minhash_index_new())) return gn_fail(err, GN_ENOMEM, "out of memory");
    gn_identity_params ip;
    gn_identity_default_params(&ip);
    ip.max_accounts = (uint32_t)gn_config_get(&e->config, "identity.max_accounts");
    /* A secret key for the value hashes, so nobody can craft a value that
     * collides with another seller's; the graph is rebuilt at every start. */
    randombytes_buf(ip.hash_key, sizeof ip.hash_key);
    rc = gn_identity_new(&e->identity, &ip, err);
    if (!rc) rc = gn_image_bank_init(&e->photos, err);
    if (rc) return rc;
    e->photos.flood_sellers = (uint32_t)gn_config_get(&e->config, "images.shared_flood_sellers");
    e->photos.flood_brands = (uint32_t)gn_config_get(&e->config, "images.shared_flood_brands");
    e->photos.clock = &e->clock.now;
    memset(&e->links_cache, 0, sizeof e->links_cache);
    e->generation = 0;
    e->clock.now = 0;
    return 0;
}

/* Loads the store's snapshot, when it has one this engine may use, and
 * says after which log position the replay goes on (0: the whole log). A
 * snapshot that cannot be used is said on stderr (it costs a whole
 * replay) and the state is emptied again. */
static int load_snapshot(gn_engine *e, int64_t *from, gn_error *err)
{
    *from = 0;
    e->joined_at = 0;
    e->join_read_seconds = e->join_load_seconds = 0;
    /* the variable's name in two literals: an upper-case quoted word with
     * an underscore is a reason code to tests/cli/test_docs.sh */
    const char *off = getenv("GENUINE"
                             "_NO_SNAPSHOT");
    if ((off && *off && strcmp(off, "0") != 0) || !e->store->ops->get_snapshot) return 0;
    gn_buf bytes = {0};
    int64_t seq = 0;
    gn_error why;
    double started = gn_monotonic_seconds();
    int rc = e->store->ops->get_snapshot(e->store, &seq, &bytes, &why);
    if (rc == GN_ENOTFOUND) return 0;
    e->join_read_seconds = gn_monotonic_seconds() - started;
    if (!rc && e->rules)
        rc = gn_fail(&why, GN_EINPUT, "a node with Lua rules (--policy) replays the whole log");
    if (!rc)
        rc = gn_engine_snapshot_check(e, (const unsigned char *)bytes.data, bytes.len, &seq, &why);
    if (!rc) rc = gn_engine_snapshot_load(e, (const unsigned char *)bytes.data, bytes.len, &why);
    gn_buf_free(&bytes);
    e->join_load_seconds = gn_monotonic_seconds() - started - e->join_read_seconds;
    if (!rc) {
        *from = e->joined_at = seq;
        e->event_seq = seq;
        return 0;
    }
    fprintf(stderr,
            "genuine: the store's snapshot (log position %lld) is not used: %s; "
            "replaying the whole log\n",
            (long long)seq, why.message);
    return gn_engine_reset_state(e, err);
}

/* Builds the in-memory state from the store's snapshot and the log after
 * it, else from scratch by replaying the whole log. */
static int rebuild(gn_engine *e, gn_error *err)
{
    int rc = gn_engine_reset_state(e, err);
    if (rc) return rc;
    gn_metrics saved = e->metrics;
    int64_t from;
    double started = gn_monotonic_seconds();
    if ((rc = load_snapshot(e, &from, err))) return rc;
    e->replaying = 1;
    e->replay_error.message[0] = 0;
    e->replayed = 0;
    rc = from ? e->store->ops->replay_from(e->store, from, replay_one, e, err)
              : e->store->ops->replay(e->store, replay_one, e, err);
    /* ready to decide: the brands' names compiled, as a replay's first
     * listing would have had them */
    if (!rc && from) rc = gn_lexicon_prepare(e->lexicon, err);
    if (rc && e->replay_error.message[0]) gn_fail(err, rc, "%s", e->replay_error.message);
    e->metrics = saved; /* replayed events were counted when they arrived */
    e->replaying = 0;
    e->join_seconds = gn_monotonic_seconds() - started;
    return rc;
}

int gn_snapshot_write(gn_engine *e, gn_snapshot_report *r, gn_error *err)
{
    memset(r, 0, sizeof *r);
    if (e->read_only) return gn_fail(err, GN_EINPUT, "the engine was opened read-only");
    if (gn_engine_check_broken(e, err)) return GN_ESTORE;
    if (!e->store->ops->put_snapshot)
        return gn_fail(err, GN_EINPUT, "this store keeps no snapshots");
    double started = gn_monotonic_seconds();
    int rc = gn_commit(e, err);
    /* Beside other nodes, under the log's lock once their events are
     * applied; the state is then the log's up to the last event applied. */
    if (!rc && !e->shared && e->store->ops->follow) rc = gn_engine_begin(e, err);
    int64_t seq = e->event_seq;
    gn_buf bytes = {0};
    if (!rc) rc = gn_engine_snapshot_save(e, seq, &bytes, err);
    if (e->in_batch) e->store->ops->rollback(e->store); /* nothing was written in it */
    e->in_batch = 0;
    if (!rc)
        rc = e->store->ops->put_snapshot(e->store, seq, (const unsigned char *)bytes.data,
                                         bytes.len, err);
    r->seq = seq;
    r->bytes = bytes.len;
    r->seconds = gn_monotonic_seconds() - started;
    gn_buf_free(&bytes);
    return rc;
}

void gn_engine_join_report(gn_engine *e, gn_snapshot_report *r)
{
    memset(r, 0, sizeof *r);
    r->seq = e->joined_at;
    r->replayed = e->replayed;
    r->seconds = e->join_seconds;
    r->read_seconds = e->join_read_seconds;
    r->load_seconds = e->join_load_seconds;
}

/* The last training's outcome, for /metrics after a restart: the replay
 * brought the live model back, the history says whether a candidate came
 * after it in shadow and how the last comparison went. */
static void last_training(gn_engine *e)
{
    gn_buf history = {0};
    gn_error ignored;
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    if (e->store->ops->models_json(e->store, &history, &ignored) == 0 && history.len > 2) {
        const gn_json *all = gn_json_parse(&doc, history.data, history.len, NULL);
        size_t n = gn_json_size(all);
        const gn_json *last = n ? gn_json_at(all, n - 1) : NULL;
        const gn_json *live = gn_json_get(last, "live_scorer"),
                      *cand = gn_json_get(last, "candidate");
        if (last && live && cand) {
            gn_learning *l = &e->learning;
            l->compared = 1;
            l->last_promoted = gn_json_typeof(gn_json_get(last, "promoted")) == GN_JSON_TRUE;
            l->shadow_version =
                l->last_promoted ? 0 : (int)gn_json_number(gn_json_get(last, "version"));
            l->last_live[0] = gn_json_number(gn_json_get(live, "caught"));
            l->last_live[1] = gn_json_number(gn_json_get(live, "honest_down"));
            l->last_candidate[0] = gn_json_number(gn_json_get(cand, "caught"));
            l->last_candidate[1] = gn_json_number(gn_json_get(cand, "honest_down"));
        }
    }
    gn_json_doc_free(&doc);
    gn_buf_free(&history);
}

int gn_engine_open(gn_engine **out, const gn_engine_options *o, gn_error *err)
{
    *out = NULL;
    gn_engine *e = gn_xcalloc(1, sizeof *e);
    e->read_only = o->read_only;
    gn_json_doc_init(&e->doc);
    gn_json_doc_init(&e->sweep_doc);
    gn_state_init(&e->state);
    int rc = sodium_init() < 0 ? gn_fail(err, GN_ENOMEM, "libsodium could not start") : 0;
    if (!rc) rc = gn_config_load(&e->config, o->config_path, err);
    if (rc) goto fail;
    gn_policy_load(&e->policy, &e->config);
    e->clock.max_skew_ms = (int64_t)(gn_config_get(&e->config, "http.max_skew_seconds") * 1000.0);
    gn_floors_load(&e->floors, &e->config);
    gn_detect_params_load(&e->params, &e->config);
    e->shared = o->shared && !o->read_only;
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(e->node, sizeof e->node, "%s:%ld:%08x", host, (long)getpid(), randombytes_random());
    e->codes_key_file = gn_engine_codes_key_path(o->db_path ? o->db_path : "genuine.db");
    if (!o->read_only && !o->shared &&
        (rc = gn_store_lock_take(o->db_path ? o->db_path : "genuine.db", &e->writer_lock, err)))
        goto fail;
    if ((rc = gn_engine_word_lists_load(&e->word_lists, o->lexicon_dir, err)) ||
        (rc = gn_engine_condition_words(&e->word_lists, err)))
        goto fail;
    rc = gn_store_open(&e->store, o->db_path ? o->db_path : "genuine.db", o->read_only, err);
    if (rc) goto fail;
    if (!o->read_only && o->policy_path &&
        (rc = gn_lua_policy_load(&e->rules, o->policy_path, NULL, err)))
        goto fail;
    if (!o->read_only && (rc = rebuild(e, err))) goto fail;
    if (!o->read_only) last_training(e);
    *out = e;
    return 0;
fail:
    gn_engine_close(e);
    return rc;
}

void gn_engine_close(gn_engine *e)
{
    if (!e) return;
    if (e->in_batch) e->store->ops->rollback(e->store);
    gn_store_close(e->store);
    gn_store_lock_release(e->writer_lock);
    gn_lexicon_free(e->lexicon);
    gn_engine_word_lists_free(&e->word_lists);
    gn_market_words_free(&e->words);
    gn_image_bank_free(&e->photos);
    gn_identity_free(e->identity);
    gn_groups_free(&e->content);
    gn_minhash_index_free(e->texts);
    gn_photo_owners_free(&e->photo_owner);
    gn_learning_free(&e->learning);
    gn_lua_policy_free(e->rules);
    gn_workflow_free(&e->workflow);
    gn_figures_free(&e->figures);
    gn_engine_codes_free(e);
    free(e->codes_key_file);
    gn_buf_free(&e->notes);
    gn_strmap_free(&e->rule_codes);
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
    return gn_buf_take_if(&b, e->store->query->listing_json(e->store, listing, &b, err));
}

static int print_line(void *ctx, const char *line)
{
    FILE *out = ctx;
    return fputs(line, out) < 0 || fputc('\n', out) < 0 ? GN_ESTORE : 0;
}

int gn_decisions_write(gn_engine *e, FILE *out, gn_error *err)
{
    int rc = e->store->query->each_listing(e->store, print_line, out, err);
    if (rc == GN_ESTORE && ferror(out))
        return gn_fail(err, GN_ESTORE, "writing the decisions failed");
    return rc;
}

char *gn_summary_json(gn_engine *e, gn_error *err)
{
    gn_buf b = {0};
    return gn_buf_take_if(&b, e->store->query->summary_json(e->store, &b, err));
}

int gn_policy_reload(gn_engine *e, gn_error *err)
{
    if (!e->rules) return gn_fail(err, GN_EINPUT, "no policy file was given (--policy FILE)");
    return gn_lua_policy_reload(e->rules, err);
}

/* Several nodes on one store train once: under the lease "train", taken
 * for TRAIN_LEASE_MS and fenced by its epoch (store.h), so a node that
 * finds another training leaves it, and a node whose lease was taken over
 * while it trained commits nothing. */
#define TRAIN_LEASE_MS (10 * 60 * 1000)
static int train(gn_engine *e, gn_train_report *r, gn_error *err);

int gn_train(gn_engine *e, gn_train_report *r, gn_error *err)
{
    memset(r, 0, sizeof *r);
    if (!e->store->ops->lease || e->read_only || e->shared) return train(e, r, err);
    int64_t epoch;
    int rc = e->store->ops->lease(e->store, "train", e->node, TRAIN_LEASE_MS, &epoch, err);
    if (rc == GN_ENOTFOUND)
        return gn_fail(err, GN_EINPUT,
                       "another node of this store holds the lease 'train' (it trains for all; "
                       "a lease lasts %d minutes)",
                       TRAIN_LEASE_MS / 60000);
    if (rc) return rc;
    e->store->ops->fence(e->store, "train", e->node, epoch);
    rc = train(e, r, err);
    e->store->ops->fence(e->store, NULL, NULL, 0);
    return rc;
}

/* The report of a training as one JSON object: what `genuine train` prints
 * and what the store keeps as the model's figures. */
static void training_json(gn_buf *b, const gn_training *t, const gn_train_report *r,
                          const gn_training_options *o, int with_version)
{
    static const char *const strata[GN_STRATA] = {"live", "held", "blocked"};
    gn_buf_puts(b, "{");
    if (with_version) gn_buf_printf(b, "\"model\":%d,", r->version);
    gn_buf_printf(b, "\"promoted\":%s,\"live\":%d,\"why\":", t->promote ? "true" : "false",
                  r->live_version);
    gn_buf_json_string(b, t->why);
    gn_buf_printf(b,
                  ",\"rows\":%zu,\"counterfeit\":%zu,\"features\":%zu,\"learned\":%zu,"
                  "\"held_back\":%zu,\"thresholds\":{\"review_at\":%.6g,\"block_at\":%.6g,"
                  "\"review_budget\":%g,\"max_honest\":%g,\"over_budget\":%s},",
                  t->rows, t->positives, t->features, t->learned, t->held_back, t->review_at,
                  t->block_at, o->review_budget, o->max_honest, t->over_budget ? "true" : "false");
    const gn_scorer_figures *f[2] = {&t->live, &t->cand};
    for (int i = 0; i < 2; i++)
        gn_buf_printf(b,
                      "\"%s\":{\"caught\":%.4f,\"honest_down\":%.4f,\"held\":%.4f,"
                      "\"blocked\":%.4f},",
                      i ? "candidate" : "live_scorer", f[i]->caught, f[i]->honest_down, f[i]->held,
                      f[i]->blocked);
    /* figures that cannot be computed (NaN) are null */
    const char *names[4] = {"auc", "precision", "recall", "log_loss"};
    double values[4] = {t->figures.auc, t->figures.precision, t->figures.recall,
                        t->figures.log_loss};
    gn_buf_puts(b, "\"held_out\":{");
    for (int i = 0; i < 4; i++) {
        gn_buf_printf(b, "%s\"%s\":", i ? "," : "", names[i]);
        if (isnan(values[i]))
            gn_buf_puts(b, "null");
        else
            gn_buf_printf(b, "%.4f", values[i]);
    }
    gn_buf_puts(b, "},\"labels\":[");
    int first = 1;
    for (int s = 0; s < GN_LABEL_SOURCES; s++) {
        if (!t->mix[s].labels) continue;
        gn_buf_printf(b, "%s{\"source\":\"%s\",\"labels\":%zu,\"counterfeit\":%zu,\"weight\":%.2f}",
                      first ? "" : ",", gn_label_source_name(s), t->mix[s].labels,
                      t->mix[s].counterfeit, t->mix[s].weight);
        first = 0;
    }
    gn_buf_puts(b, "],\"labelled_share\":{");
    for (int s = 0; s < GN_STRATA; s++)
        gn_buf_printf(b, "%s\"%s\":%.4g", s ? "," : "", strata[s], t->stratum_rate[s]);
    gn_buf_printf(b, "},\"seconds\":%.2f}", r->seconds);
}

static int train(gn_engine *e, gn_train_report *r, gn_error *err)
{
    memset(r, 0, sizeof *r);
    if (e->read_only) return gn_fail(err, GN_EINPUT, "the engine was opened read-only");
    if (e->shared)
        return gn_fail(err, GN_EINPUT, "the engine was opened beside the store's writer");
    int rc = gn_commit(e, err);
    if (rc) return rc;
    double started = gn_monotonic_seconds();
    gn_training_options o = {
        .review_budget = gn_config_get(&e->config, "review.budget"),
        .max_honest = gn_config_get(&e->config, "takedown.max_honest"),
        .policy_review_at = e->policy.review_at,
        .policy_block_at = e->policy.block_at,
    };
    /* A signal of counterfeiting may only raise the score (one the platform
     * weighs against counterfeiting, only lower it); a price further below
     * the brand's reference may only raise it too. Other facts are free. */
    for (int c = 0; c < GN_FEATURES_BASE; c++)
        o.monotone[c] = c < GN_FEATURES_SIGNALS ? (e->policy.feature_weights[c] < 0 ? -1 : 1) : 0;
    for (int c = GN_FEATURES_SIGNALS; c < GN_FEATURES_BASE; c++)
        if (strcmp(gn_feature_name(c), "price_to_reference") == 0) o.monotone[c] = -1;
    gn_training t;
    rc = gn_learning_train(&e->learning, &o, &t, err);
    if (rc) return rc;
    r->seconds = gn_monotonic_seconds() - started;
    r->promoted = t.promote;
    r->live_version = e->learning.version;
    r->rows = t.rows;
    r->positives = t.positives;
    r->features = t.features;
    r->auc = t.figures.auc;
    r->precision = t.figures.precision;
    r->recall = t.figures.recall;
    r->log_loss = t.figures.log_loss;
    r->review_at = t.review_at;
    r->block_at = t.block_at;
    unsigned char *bytes = NULL;
    size_t len = 0;
    if ((rc = gn_model_save(t.candidate, &bytes, &len, err))) {
        gn_model_free(t.candidate);
        return rc;
    }
    char at[32], id[64];
    gn_time_format(e->clock.now, at, sizeof at);
    gn_buf figures = {0};
    training_json(&figures, &t, r, &o, 0); /* the store's row has the version */
    rc = gn_engine_begin(e, err);
    if (!rc)
        rc = e->store->ops->put_model(e->store, bytes, len, figures.data, at, &r->version, err);
    free(bytes);
    gn_buf_reset(&figures);
    training_json(&figures, &t, r, &o, 1);
    /* Only a model that goes live enters the log: a replay switches scorers
     * exactly where the live engine did, with the same thresholds. */
    if (!rc && t.promote) {
        gn_buf body = {0};
        snprintf(id, sizeof id, "model-%d", r->version);
        gn_buf_printf(&body,
                      "{\"type\":\"model\",\"id\":\"%s\",\"at\":\"%s\",\"version\":%d,"
                      "\"review_at\":%.9g,\"block_at\":%.9g}",
                      id, at, r->version, t.review_at, t.block_at);
        gn_event_record rec = {id, "model", at, body.data, body.len, NULL};
        int64_t seq;
        rc = e->store->ops->append_event(e->store, &rec, &seq, err);
        gn_buf_free(&body);
    }
    if (!rc) rc = e->store->ops->commit(e->store, err);
    e->in_batch = 0;
    snprintf(r->json, sizeof r->json, "%s", figures.data ? figures.data : "{}");
    gn_buf_free(&figures);
    if (rc) {
        e->store->ops->rollback(e->store);
        gn_model_free(t.candidate);
        return rc;
    }
    gn_learning *l = &e->learning;
    l->compared = 1;
    l->last_promoted = t.promote;
    l->last_live[0] = t.live.caught;
    l->last_live[1] = t.live.honest_down;
    l->last_candidate[0] = t.cand.caught;
    l->last_candidate[1] = t.cand.honest_down;
    if (!t.promote) {
        gn_model_free(t.candidate);
        l->shadow_version = r->version;
        return 0;
    }
    l->shadow_version = 0;
    gn_strmap_put(&e->seen, id, NULL, NULL);
    return gn_learning_use(l, t.candidate, r->version, t.review_at, t.block_at, err);
}

char *gn_models_json(gn_engine *e, gn_error *err)
{
    gn_buf b = {0};
    return gn_buf_take_if(&b, e->store->ops->models_json(e->store, &b, err));
}

char *gn_queue_json(gn_engine *e, int limit, gn_error *err)
{
    gn_buf b = {0};
    return gn_buf_take_if(&b, e->store->query->queue_json(e->store, limit, &b, err));
}

char *gn_stats_json(gn_engine *e, gn_error *err)
{
    gn_buf b = {0};
    if (e->store->query->summary_json(e->store, &b, err)) {
        gn_buf_free(&b);
        return NULL;
    }
    b.data[--b.len] = 0; /* reopen the summary object to add the event counts */
    gn_buf_puts(&b, ",");
    if (e->store->query->event_counts_json(e->store, &b, err)) {
        gn_buf_free(&b);
        return NULL;
    }
    gn_buf_puts(&b, "}");
    return gn_buf_take(&b);
}

/* A day "YYYY-MM-DD" (its start) or an RFC 3339 time, in ms. */
static int period_bound(const char *name, const char *text, int64_t *ms, gn_error *err)
{
    char full[64];
    if (strlen(text) == 10 && snprintf(full, sizeof full, "%sT00:00:00Z", text) > 0 &&
        gn_time_parse(full, ms) == 0)
        return 0;
    if (gn_time_parse(text, ms) == 0) return 0;
    return gn_fail(err, GN_EINPUT, "%s: '%.60s' is not a day (YYYY-MM-DD) nor an RFC 3339 time",
                   name, text);
}

char *gn_stats_period_json(gn_engine *e, const char *since, const char *until, gn_error *err)
{
    return gn_stats_filtered_json(e, since, until, NULL, NULL, err);
}

char *gn_stats_filtered_json(gn_engine *e, const char *since, const char *until, const char *brand,
                             const char *category, gn_error *err)
{
    if (brand && category) {
        gn_fail(err, GN_EINPUT, "category: one filter at a time (brand or category)");
        return NULL;
    }
    if ((brand && !*brand) || (category && !*category)) {
        gn_fail(err, GN_EINPUT, "%s: expected a %s", brand ? "brand" : "category",
                brand ? "brand id" : "category");
        return NULL;
    }
    int64_t from = INT64_MIN, to = INT64_MAX;
    if (since && period_bound("since", since, &from, err)) return NULL;
    if (until && period_bound("until", until, &to, err)) return NULL;
    if (until && strlen(until) == 10) to += GN_MS_PER_DAY; /* a day is included whole */
    if (from >= to) {
        gn_fail(err, GN_EINPUT, "until: the period ends before it starts");
        return NULL;
    }
    /* the listings' statuses now, counted in memory */
    uint32_t by_status[8] = {0};
    for (uint32_t i = 0; i < e->state.n_listings; i++)
        by_status[e->state.listings[i].status & 7]++;
    gn_buf b = {0};
    gn_buf_puts(&b, "{\"listings_by_status\":{");
    int first = 1;
    for (int s = 0; s <= GN_NOTICED; s++) {
        const char *name = gn_listing_status_name(s);
        gn_buf_printf(&b, "%s\"%s\":%u", first ? "" : ",", name, by_status[s]);
        first = 0;
    }
    char t[40];
    gn_buf_puts(&b, "},\"period\":{\"since\":");
    if (since) {
        gn_time_format(from, t, sizeof t);
        gn_buf_printf(&b, "\"%s\"", t);
    } else {
        gn_buf_puts(&b, "null");
    }
    gn_buf_puts(&b, ",\"until\":");
    if (until) {
        gn_time_format(to, t, sizeof t);
        gn_buf_printf(&b, "\"%s\",", t);
    } else {
        gn_buf_puts(&b, "null,");
    }
    gn_buf_puts(&b, "\"brand\":");
    if (brand)
        gn_buf_json_string(&b, brand);
    else
        gn_buf_puts(&b, "null");
    gn_buf_puts(&b, ",\"category\":");
    if (category)
        gn_buf_json_string(&b, category);
    else
        gn_buf_puts(&b, "null");
    gn_buf_puts(&b, ",");
    gn_figures_json(&e->figures, from, to, brand, category, &b);
    gn_buf_puts(&b, "}}");
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
    gn_engine_codes_metrics(e, &b);
    const gn_learning *l = &e->learning;
    gn_buf_printf(&b,
                  "# HELP genuine_model_version The model deciding (live; 0: the weighted policy) "
                  "and the last candidate kept in shadow (0: none).\n"
                  "# TYPE genuine_model_version gauge\n"
                  "genuine_model_version{role=\"live\"} %d\n"
                  "genuine_model_version{role=\"shadow\"} %d\n",
                  l->version, l->shadow_version);
    if (l->compared)
        gn_buf_printf(
            &b,
            "# HELP genuine_model_comparison The last training's comparison on the "
            "held-back labels: share of counterfeits caught, of honest listings blocked.\n"
            "# TYPE genuine_model_comparison gauge\n"
            "genuine_model_comparison{scorer=\"live\",figure=\"caught\"} %.4f\n"
            "genuine_model_comparison{scorer=\"live\",figure=\"honest_down\"} %.4f\n"
            "genuine_model_comparison{scorer=\"candidate\",figure=\"caught\"} %.4f\n"
            "genuine_model_comparison{scorer=\"candidate\",figure=\"honest_down\"} %.4f\n"
            "genuine_model_promoted %d\n",
            l->last_live[0], l->last_live[1], l->last_candidate[0], l->last_candidate[1],
            l->last_promoted);
    return gn_buf_take(&b);
}
