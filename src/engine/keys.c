/* API keys: random 256-bit keys shown once, stored as BLAKE2b hashes
 * (libsodium's generic hash), each with a role and the account it speaks for. */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/error.h"
#include "engine/engine.h"

static const char *const roles[] = {"platform", "reviewer", "rights_holder", "seller", "shopper"};

static void hash_key(const char *key, char hex[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)key, strlen(key), NULL, 0);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

int gn_key_issue(gn_engine *e, const char *role, const char *account, char key_out[65],
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
    if (e->in_batch && gn_commit(e, err)) return GN_ESTORE;
    if (e->store->ops->begin(e->store, err)) return GN_ESTORE;
    int rc = e->store->ops->put_key(e->store, hex, role, account ? account : "", created, err);
    if (rc) {
        e->store->ops->rollback(e->store);
        return rc;
    }
    return e->store->ops->commit(e->store, err);
}

int gn_key_check(gn_engine *e, const char *key, char *role, char *account, gn_error *err)
{
    if (sodium_init() < 0) return gn_fail(err, GN_ENOMEM, "libsodium could not start");
    char hex[65];
    hash_key(key, hex);
    return e->store->ops->find_key(e->store, hex, role, account, err);
}
