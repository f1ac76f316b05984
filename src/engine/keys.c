/* API keys: random 256-bit keys shown once, stored as BLAKE2b hashes
 * (libsodium's generic hash), each with a role and the account it speaks for;
 * listed by id (the hash's first 16 hex digits) and revoked by it. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "engine/inspect.h"

static const char *const roles[] = {"platform", "reviewer", "rights_holder", "seller", "shopper"};

static void hash_key(const char *key, char hex[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)key, strlen(key), NULL, 0);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

int gn_key_issue(gn_engine *e, const char *role, const char *account, char key_out[GN_KEY_SIZE],
                 gn_error *err)
{
    int known = 0;
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        known |= strcmp(roles[i], role) == 0;
    if (!known)
        return gn_fail(err, GN_EINPUT,
                       "role '%s' is not one of platform, reviewer, rights_holder, seller, shopper",
                       role);
    int needs_account = strcmp(role, "platform") && strcmp(role, "reviewer");
    if (needs_account && (!account || !*account))
        return gn_fail(err, GN_EINPUT, "a %s key needs the account it speaks for (--account)",
                       role);
    if (account && strlen(account) > GN_ID_MAX)
        return gn_fail(err, GN_EINPUT, "account: longer than %d bytes", GN_ID_MAX);
    if (sodium_init() < 0) return gn_fail(err, GN_ENOMEM, "libsodium could not start");
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(key_out, 65, raw, sizeof raw);
    char hex[65], created[32];
    hash_key(key_out, hex);
    gn_time_format((int64_t)time(NULL) * 1000, created, sizeof created);
    gn_error local;
    if (!err) err = &local;
    if (gn_commit(e, err)) return GN_ESTORE; /* 0 when no batch is open */
    gn_store *s = gn_engine_store(e);
    if (s->ops->begin(s, err)) return GN_ESTORE;
    int rc = s->ops->put_key(s, hex, role, account ? account : "", created, err);
    if (rc) {
        s->ops->rollback(s);
        return rc;
    }
    return s->ops->commit(s, err);
}

int gn_key_check(gn_engine *e, const char *key, char *role, size_t role_size, char *account,
                 size_t account_size, gn_error *err)
{
    if (!role || !account || role_size == 0 || account_size == 0)
        return gn_fail(err, GN_EINPUT, "role, account: gn_key_check needs both buffers");
    role[0] = account[0] = 0;
    if (sodium_init() < 0) return gn_fail(err, GN_ENOMEM, "libsodium could not start");
    char hex[65], found_role[GN_ROLE_SIZE], found_account[GN_ACCOUNT_SIZE];
    hash_key(key, hex);
    gn_store *s = gn_engine_store(e);
    int rc = s->ops->find_key(s, hex, found_role, found_account, err);
    if (rc) return rc;
    /* Never cut short: a truncated account id could be another account's. */
    size_t nr = strlen(found_role) + 1, na = strlen(found_account) + 1;
    if (nr > role_size)
        return gn_fail(err, GN_EINPUT, "role: the buffer holds %zu bytes, the role needs %zu",
                       role_size, nr);
    if (na > account_size)
        return gn_fail(err, GN_EINPUT, "account: the buffer holds %zu bytes, the account needs %zu",
                       account_size, na);
    memcpy(role, found_role, nr);
    memcpy(account, found_account, na);
    return 0;
}

void gn_key_id(const char *key, char id_out[GN_KEY_ID_SIZE])
{
    char hex[65];
    hash_key(key, hex);
    memcpy(id_out, hex, 16);
    id_out[16] = 0;
}

static int put_key_line(void *ctx, const gn_key_row *k)
{
    FILE *out = ctx;
    gn_buf b = {0};
    gn_buf_puts(&b, "{\"id\":");
    gn_buf_json_string(&b, k->id);
    gn_buf_puts(&b, ",\"role\":");
    gn_buf_json_string(&b, k->role);
    gn_buf_puts(&b, ",\"account\":");
    gn_buf_json_string(&b, k->account);
    gn_buf_puts(&b, ",\"created\":");
    gn_buf_json_string(&b, k->created_at);
    gn_buf_puts(&b, ",\"revoked\":");
    if (k->revoked_at)
        gn_buf_json_string(&b, k->revoked_at);
    else
        gn_buf_puts(&b, "null");
    gn_buf_puts(&b, "}\n");
    int failed = !b.data || fwrite(b.data, 1, b.len, out) != b.len;
    gn_buf_free(&b);
    return failed ? GN_ESTORE : 0;
}

int gn_key_list(gn_engine *e, FILE *out, gn_error *err)
{
    gn_store *s = gn_engine_store(e);
    int rc = s->ops->each_key(s, put_key_line, out, err);
    if (rc == GN_ESTORE && ferror(out)) return gn_fail(err, GN_ESTORE, "writing the keys failed");
    return rc;
}

int gn_key_revoke(gn_engine *e, const char *id, gn_error *err)
{
    size_t n = strlen(id);
    int hex = n == 16;
    for (size_t i = 0; hex && i < n; i++)
        hex = (id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f') ||
              (id[i] >= 'A' && id[i] <= 'F');
    if (!hex)
        return gn_fail(err, GN_EINPUT,
                       "key id '%.64s': expected the 16 hex digits `genuine key list` shows", id);
    char at[32];
    gn_time_format((int64_t)time(NULL) * 1000, at, sizeof at);
    gn_error local;
    if (!err) err = &local;
    if (gn_commit(e, err)) return GN_ESTORE; /* 0 when no batch is open */
    gn_store *s = gn_engine_store(e);
    if (s->ops->begin(s, err)) return GN_ESTORE;
    int rc = s->ops->revoke_key(s, id, at, err);
    if (rc) {
        s->ops->rollback(s);
        return rc;
    }
    return s->ops->commit(s, err);
}
