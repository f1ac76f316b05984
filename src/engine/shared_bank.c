/* Photo banks shared between marketplaces (docs/banks.md): the `shared_bank`
 * event (hashes another marketplace took down, or took back), the flood
 * count that quarantines a hash matching too many unrelated listings, and
 * the export of our own removed bank. Imports are events, so a replay
 * rebuilds the same shared banks and the same quarantines. */
#include <sodium.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/error.h"
#include "engine/engine.h"
#include "media/bank_file.h"

int gn_engine_shared_bank(gn_engine *e, const gn_event *ev, gn_error *err)
{
    const char *source = gn_event_str(ev, "source");
    gn_image_bank *bank = &e->photos;
    const gn_json *all = gn_event_get(ev, "withdraw_all");
    if (all && gn_json_typeof(all) == GN_JSON_TRUE) gn_image_bank_withdraw(bank, source, NULL);
    const gn_json *withdraw = gn_event_get(ev, "withdraw");
    gn_pdq_hash hash;
    gn_error bad;
    for (size_t i = 0; i < gn_json_size(withdraw); i++) {
        size_t n;
        const char *hex = gn_json_string(gn_json_at(withdraw, i), &n);
        if (gn_pdq_parse(hex, n, &hash, &bad) == 0) gn_image_bank_withdraw(bank, source, &hash);
    }
    const gn_json *hashes = gn_event_get(ev, "hashes");
    for (size_t i = 0; i < gn_json_size(hashes); i++) {
        const gn_json *h = gn_json_at(hashes, i);
        size_t n;
        const char *hex = gn_json_string(gn_json_get(h, "pdq"), &n);
        const char *seen = gn_json_str(h, "first_seen");
        int64_t first_seen = INT64_MIN;
        if (seen && gn_time_parse(seen, &first_seen)) first_seen = INT64_MIN;
        if (gn_pdq_parse(hex, n, &hash, &bad)) continue; /* checked by the event's rules */
        int rc = gn_image_bank_share(bank, source, &hash, gn_json_str(h, "brand"), first_seen, err);
        if (rc) return rc;
    }
    return 0;
}

void gn_engine_shared_matches(gn_engine *e, const gn_shared_hits *hits, uint32_t seller,
                              uint32_t brand, int64_t at)
{
    for (int i = 0; i < hits->count; i++) {
        if (!gn_image_bank_note_match(&e->photos, hits->entry[i], seller, brand, at)) continue;
        const gn_shared_hash *s = &e->photos.shared[hits->entry[i]];
        char hex[GN_PDQ_HEX_LEN + 1], note[400];
        gn_pdq_format(&s->hash, hex);
        snprintf(note, sizeof note,
                 "shared hash %s from %.64s quarantined: it matched listings of %u sellers "
                 "across %u brands (images.shared_flood_*), so it no longer counts",
                 hex, e->photos.sources[s->source], s->n_sellers, s->n_brands);
        if (e->notes.len) gn_buf_puts(&e->notes, ",");
        gn_buf_json_string(&e->notes, note);
        e->metrics.alerts++;
    }
}

/* Our removed bank as entries: each hash once, as given (not its rotations),
 * confirmed while some listing that carries it is still blocked or removed,
 * withdrawn once none is (a listing found genuine on appeal). */
typedef struct export_hash {
    gn_pdq_hash hash;
    int64_t at;
    uint32_t listing;
    int confirmed;
} export_hash;

static int by_time(const void *a, const void *b)
{
    const export_hash *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    return memcmp(&x->hash, &y->hash, sizeof x->hash);
}

int gn_bank_export(gn_engine *e, FILE *out, const char *format_name, const char *source,
                   const char *since, const char *key_file, gn_error *err)
{
    int format = gn_bank_format_parse(format_name ? format_name : "genuine");
    if (format < 0)
        return gn_fail(err, GN_EINPUT, "--format: \"%.40s\" is not genuine or hma", format_name);
    int64_t from = INT64_MIN;
    if (since && gn_time_parse(since, &from))
        return gn_fail(err, GN_EINPUT, "--since: \"%.40s\" is not an RFC 3339 time", since);
    unsigned char sk[GN_BANK_KEY_SECRET];
    if (format == GN_BANK_FILE_GENUINE && gn_bank_key_load(key_file, 1, sk, err)) return err->code;
    const gn_image_bank *bank = &e->photos;
    const gn_state *st = &e->state;
    export_hash *hashes = gn_xcalloc(bank->n_removed + 1, sizeof *hashes);
    size_t n = 0;
    gn_strmap seen = {0};
    for (uint32_t i = 0; i < bank->n_removed; i++) {
        const gn_removed_photo *r = &bank->removed[i];
        char hex[GN_PDQ_HEX_LEN + 1];
        gn_pdq_format(&r->hash, hex);
        int added;
        uint32_t *slot = gn_strmap_put(&seen, hex, &added, NULL);
        uint8_t status = st->listings[r->listing].status;
        int confirmed = status == GN_BLOCKED || status == GN_REMOVED;
        if (added) {
            *slot = (uint32_t)n;
            hashes[n++] = (export_hash){r->hash, r->at, r->listing, confirmed};
        } else if (confirmed && !hashes[*slot].confirmed) {
            hashes[*slot].confirmed = 1, hashes[*slot].listing = r->listing;
        }
    }
    gn_strmap_free(&seen);
    qsort(hashes, n, sizeof *hashes, by_time);
    gn_bank_entry *entries = gn_xcalloc(n + 1, sizeof *entries);
    char(*times)[40] = gn_xcalloc(n + 1, sizeof *times);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (hashes[i].at < from) continue;
        const gn_listing *l = &st->listings[hashes[i].listing];
        uint32_t brand = l->brands[0] != GN_NONE ? l->brands[0] : l->brands[1];
        gn_time_format(hashes[i].at, times[kept], sizeof times[kept]);
        entries[kept] =
            (gn_bank_entry){hashes[i].hash, brand != GN_NONE ? st->brands[brand].name : "",
                            times[kept], !hashes[i].confirmed};
        kept++;
    }
    char now[40];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    gn_time_format((int64_t)ts.tv_sec * 1000, now, sizeof now);
    gn_buf b = {0};
    gn_bank_file_write(&b, (gn_bank_format)format, source, now, entries, kept, sk);
    sodium_memzero(sk, sizeof sk);
    int rc = fwrite(b.data, 1, b.len, out) == b.len && fflush(out) == 0
                 ? 0
                 : gn_fail(err, GN_ESTORE, "writing the bank failed");
    gn_buf_free(&b);
    free(entries);
    free(times);
    free(hashes);
    return rc;
}

int gn_bank_status_write(gn_engine *e, FILE *out, gn_error *err)
{
    const gn_image_bank *bank = &e->photos;
    gn_buf b = {0};
    for (uint32_t s = 0; s < bank->n_sources; s++) {
        uint32_t total = 0, withdrawn = 0, in_use = 0;
        for (uint32_t i = 0; i < bank->n_shared; i++) {
            if (bank->shared[i].source != s) continue;
            total++;
            withdrawn += bank->shared[i].withdrawn;
            in_use += !bank->shared[i].withdrawn && !bank->shared[i].quarantined;
        }
        gn_buf_reset(&b);
        gn_buf_puts(&b, "{\"source\":");
        gn_buf_json_string(&b, bank->sources[s]);
        gn_buf_printf(&b, ",\"hashes\":%u,\"in_use\":%u,\"withdrawn\":%u,\"quarantined\":[", total,
                      in_use, withdrawn);
        int first = 1;
        for (uint32_t i = 0; i < bank->n_shared; i++) {
            const gn_shared_hash *h = &bank->shared[i];
            if (h->source != s || !h->quarantined) continue;
            char hex[GN_PDQ_HEX_LEN + 1], at[40];
            gn_pdq_format(&h->hash, hex);
            gn_time_format(h->quarantined_at, at, sizeof at);
            gn_buf_printf(&b, "%s{\"pdq\":\"%s\",\"sellers\":%u,\"brands\":%u,\"at\":\"%s\"}",
                          first ? "" : ",", hex, h->n_sellers, h->n_brands, at);
            first = 0;
        }
        gn_buf_puts(&b, "]}\n");
        if (fwrite(b.data, 1, b.len, out) != b.len) {
            gn_buf_free(&b);
            return gn_fail(err, GN_ESTORE, "writing the bank status failed");
        }
    }
    gn_buf_free(&b);
    return 0;
}
