/* genuine bank key|export|import|withdraw|status: photo banks shared between
 * marketplaces (docs/banks.md). export writes our removed bank signed with
 * our key; import checks a file whole (every signature) before anything is
 * taken, then logs it as `shared_bank` events, so replays agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <time.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "media/bank_file.h"

#define BANK_USAGE                                                                                 \
    "usage: genuine bank key|export|import|withdraw|status [--db PATH] ...\n"                      \
    "  bank key [--key-file FILE]              the public key others check our exports with\n"     \
    "  bank export [--out FILE] [--since TIME] [--source NAME] [--format genuine|hma]\n"           \
    "              [--key-file FILE]           hashes of photos of listings taken down as\n"       \
    "                                          counterfeit, signed (genuine) or HMA's CSV\n"       \
    "  bank import FILE --source NAME (--public-key KEY | --format hma)\n"                         \
    "                                          another marketplace's hashes, checked whole\n"      \
    "  bank withdraw --source NAME [PDQ...]    take back a source's hashes (all, or these)\n"      \
    "  bank status                             per source: hashes in use, withdrawn, "             \
    "quarantined\n"                                                                                \
    "The key file defaults to the store's path with .bank-key appended (mode 0600)."

#define MAX_FILE (256u << 20)
#define PER_EVENT 1000 /* hashes per shared_bank event */

static int source_ok(const char *s);

static const char *key_path(const gn_cli_common *opts, const char *given, char *buf, size_t size)
{
    if (given) return given;
    snprintf(buf, size, "%s.bank-key", opts->db ? opts->db : "genuine.db");
    return buf;
}

static const char *option(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

static int bank_key(const gn_cli_common *opts, int argc, char **argv)
{
    const char *file = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--key-file") == 0 && (file = option(argc, argv, &i))) continue;
        return gn_cli_usage("bank key: unexpected argument '%s'\n%s", argv[i], BANK_USAGE);
    }
    char buf[4200], hex[65];
    unsigned char sk[GN_BANK_KEY_SECRET];
    gn_error err;
    if (gn_bank_key_load(key_path(opts, file, buf, sizeof buf), 1, sk, &err)) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return GN_EXIT_FAIL;
    }
    gn_bank_key_hex(sk + GN_BANK_KEY_SECRET - GN_BANK_KEY_PUBLIC, hex);
    sodium_memzero(sk, sizeof sk);
    printf("%s\n", hex);
    return GN_EXIT_OK;
}

static int bank_export(const gn_cli_common *opts, int argc, char **argv)
{
    const char *out_path = NULL, *since = NULL, *source = "genuine", *format = "genuine",
               *file = NULL;
    for (int i = 2; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--out") == 0        ? &out_path
                            : strcmp(argv[i], "--since") == 0    ? &since
                            : strcmp(argv[i], "--source") == 0   ? &source
                            : strcmp(argv[i], "--format") == 0   ? &format
                            : strcmp(argv[i], "--key-file") == 0 ? &file
                                                                 : NULL;
        if (slot && (*slot = option(argc, argv, &i))) continue;
        return gn_cli_usage("bank export: unexpected argument '%s'\n%s", argv[i], BANK_USAGE);
    }
    gn_engine *e = gn_cli_open(opts, GN_OPEN_BESIDE);
    if (!e) return GN_EXIT_FAIL;
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out) {
        gn_engine_close(e);
        fprintf(stderr, "genuine: %s: cannot create\n", out_path);
        return GN_EXIT_FAIL;
    }
    char buf[4200];
    gn_error err;
    int rc =
        gn_bank_export(e, out, format, source, since, key_path(opts, file, buf, sizeof buf), &err);
    gn_engine_close(e);
    if (out != stdout && fclose(out) && !rc) rc = -1, snprintf(err.message, 64, "write failed");
    if (rc) fprintf(stderr, "genuine: %s\n", err.message);
    return rc == GN_EINPUT ? GN_EXIT_USAGE : rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

/* The events of an import, built while the file is read. */
typedef struct import_events {
    gn_buf lines; /* JSON Lines of shared_bank events */
    gn_buf chunk; /* the current event's "hashes" and "withdraw" members */
    gn_buf hashes, withdraw;
    size_t in_chunk, events, taken, withdrawn;
    const char *source, *at;
    char file_id[33];
} import_events;

static void flush_event(import_events *im)
{
    if (!im->in_chunk) return;
    gn_buf *b = &im->lines;
    gn_buf_puts(b, "{\"type\":\"shared_bank\",\"id\":");
    char id[400];
    snprintf(id, sizeof id, "bank:%s:%s:%zu", im->source, im->file_id, im->events);
    gn_buf_json_string(b, id);
    gn_buf_printf(b, ",\"at\":\"%s\",\"source\":", im->at);
    gn_buf_json_string(b, im->source);
    if (im->hashes.len) gn_buf_printf(b, ",\"hashes\":[%s]", im->hashes.data);
    if (im->withdraw.len) gn_buf_printf(b, ",\"withdraw\":[%s]", im->withdraw.data);
    gn_buf_puts(b, "}\n");
    gn_buf_reset(&im->hashes);
    gn_buf_reset(&im->withdraw);
    im->in_chunk = 0;
    im->events++;
}

static int take(void *ctx, const gn_bank_entry *entry, gn_error *err)
{
    import_events *im = ctx;
    char hex[GN_PDQ_HEX_LEN + 1];
    gn_pdq_format(&entry->hash, hex);
    if (entry->withdrawn) {
        gn_buf_printf(&im->withdraw, "%s\"%s\"", im->withdraw.len ? "," : "", hex);
        im->withdrawn++;
    } else {
        gn_buf_printf(&im->hashes, "%s{\"pdq\":\"%s\"", im->hashes.len ? "," : "", hex);
        if (entry->brand[0]) {
            gn_buf_puts(&im->hashes, ",\"brand\":");
            gn_buf_json_string(&im->hashes, entry->brand);
        }
        if (entry->first_seen[0])
            gn_buf_printf(&im->hashes, ",\"first_seen\":\"%s\"", entry->first_seen);
        gn_buf_puts(&im->hashes, "}");
        im->taken++;
    }
    if (++im->in_chunk == PER_EVENT) flush_event(im);
    return 0;
}

static char *read_file(const char *path, size_t *len, gn_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err->message, sizeof err->message, "%s: cannot open", path);
        return NULL;
    }
    gn_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= MAX_FILE)
        gn_buf_append(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.len > MAX_FILE) {
        snprintf(err->message, sizeof err->message, "%s: %s", path,
                 bad ? "cannot read" : "over 256 MiB; refused");
        gn_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    gn_buf_puts(&b, "");
    return gn_buf_take(&b);
}

static int ingest_lines(const gn_cli_common *opts, const char *lines, size_t len,
                        unsigned long counts[3])
{
    gn_engine *e = gn_cli_open(opts, GN_OPEN_WRITE);
    if (!e) return GN_EXIT_FAIL;
    FILE *in = fmemopen((void *)lines, len, "r");
    int rc = in ? gn_cli_ingest_stream(e, NULL, in, "bank", counts) : -1;
    if (in) fclose(in);
    gn_engine_close(e);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

static void now_text(char out[40])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    gn_time_format((int64_t)ts.tv_sec * 1000, out, 40);
}

static int bank_import(const gn_cli_common *opts, int argc, char **argv)
{
    const char *path = NULL, *source = NULL, *key = NULL, *format = "genuine";
    for (int i = 2; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--source") == 0       ? &source
                            : strcmp(argv[i], "--public-key") == 0 ? &key
                            : strcmp(argv[i], "--format") == 0     ? &format
                                                                   : NULL;
        if (slot && (*slot = option(argc, argv, &i))) continue;
        if (!slot && !path && argv[i][0] != '-') {
            path = argv[i];
            continue;
        }
        return gn_cli_usage("bank import: unexpected argument '%s'\n%s", argv[i], BANK_USAGE);
    }
    int fmt = gn_bank_format_parse(format);
    if (!path || !source || fmt < 0 || (fmt == GN_BANK_FILE_GENUINE && !key))
        return gn_cli_usage("bank import needs FILE, --source NAME and --public-key KEY (or "
                            "--format hma, whose CSV is not signed)\n%s",
                            BANK_USAGE);
    if (!source_ok(source))
        return gn_cli_usage("bank import: --source: 1-64 letters, digits, '.', '_' or '-'");
    unsigned char pk[GN_BANK_KEY_PUBLIC] = {0};
    gn_error err;
    if (key && gn_bank_key_parse(key, pk, &err)) return gn_cli_usage("%s", err.message);
    size_t len;
    char *text = read_file(path, &len, &err);
    if (!text) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return GN_EXIT_FAIL;
    }
    char at[40];
    now_text(at);
    import_events im = {.source = source, .at = at};
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)text, len, NULL, 0);
    for (int i = 0; i < 16; i++)
        snprintf(im.file_id + 2 * i, 3, "%02x", digest[i]);
    int rc = gn_bank_file_read(text, len, (gn_bank_format)fmt, pk, take, &im, &err);
    free(text);
    if (!rc) flush_event(&im);
    int exit = GN_EXIT_OK;
    if (rc) {
        fprintf(stderr, "genuine: %s: %s; nothing imported\n", path, err.message);
        exit = GN_EXIT_FAIL;
    } else {
        unsigned long counts[3] = {0};
        exit = im.lines.len ? ingest_lines(opts, im.lines.data, im.lines.len, counts) : GN_EXIT_OK;
        if (exit == GN_EXIT_OK)
            printf("{\"source\":\"%s\",\"hashes\":%zu,\"withdrawn\":%zu,\"events\":%zu,"
                   "\"duplicates\":%lu}\n",
                   source, im.taken, im.withdrawn, im.events, counts[1]);
    }
    gn_buf_free(&im.lines);
    gn_buf_free(&im.hashes);
    gn_buf_free(&im.withdraw);
    gn_buf_free(&im.chunk);
    return exit;
}

/* A source's name goes into event ids and reasons: kept plain. */
static int source_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

static int bank_withdraw(const gn_cli_common *opts, int argc, char **argv)
{
    const char *source = NULL;
    gn_buf list = {0};
    int usage = 0;
    for (int i = 2; i < argc && !usage; i++) {
        gn_pdq_hash h;
        gn_error bad;
        if (strcmp(argv[i], "--source") == 0 && (source = option(argc, argv, &i))) continue;
        if (gn_pdq_parse(argv[i], strlen(argv[i]), &h, &bad) == 0) {
            char hex[GN_PDQ_HEX_LEN + 1];
            gn_pdq_format(&h, hex);
            gn_buf_printf(&list, "%s\"%s\"", list.len ? "," : "", hex);
            continue;
        }
        usage = gn_cli_usage("bank withdraw: '%s' is not a PDQ hash (64 hex digits)\n%s", argv[i],
                             BANK_USAGE);
    }
    if (!usage && (!source || !source_ok(source)))
        usage = gn_cli_usage("bank withdraw needs --source NAME (1-64 letters, digits, '.', '_' "
                             "or '-')\n%s",
                             BANK_USAGE);
    if (usage) {
        gn_buf_free(&list);
        return usage;
    }
    char at[40], nonce[17];
    now_text(at);
    unsigned char r[8];
    randombytes_buf(r, sizeof r);
    for (int i = 0; i < 8; i++)
        snprintf(nonce + 2 * i, 3, "%02x", r[i]);
    gn_buf ev = {0};
    gn_buf_puts(&ev, "{\"type\":\"shared_bank\",\"id\":");
    char id[300];
    snprintf(id, sizeof id, "bank-withdraw:%.200s:%s", source, nonce);
    gn_buf_json_string(&ev, id);
    gn_buf_printf(&ev, ",\"at\":\"%s\",\"source\":", at);
    gn_buf_json_string(&ev, source);
    if (list.len)
        gn_buf_printf(&ev, ",\"withdraw\":[%s]}\n", list.data);
    else
        gn_buf_puts(&ev, ",\"withdraw_all\":true}\n");
    unsigned long counts[3] = {0};
    int exit = ingest_lines(opts, ev.data, ev.len, counts);
    gn_buf_free(&ev);
    gn_buf_free(&list);
    return exit;
}

static int bank_status(const gn_cli_common *opts, int argc, char **argv)
{
    if (argc != 2) return gn_cli_usage("bank status takes no arguments\n%s", BANK_USAGE);
    gn_engine *e = gn_cli_open(opts, GN_OPEN_BESIDE);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    int rc = gn_bank_status_write(e, stdout, &err);
    gn_engine_close(e);
    if (rc) fprintf(stderr, "genuine: %s\n", err.message);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

int gn_cmd_bank(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("%s\n", BANK_USAGE);
            return GN_EXIT_OK;
        }
    if (argc < 2) return gn_cli_usage("%s", BANK_USAGE);
    const char *sub = argv[1];
    if (strcmp(sub, "key") == 0) return bank_key(&opts, argc, argv);
    if (strcmp(sub, "export") == 0) return bank_export(&opts, argc, argv);
    if (strcmp(sub, "import") == 0) return bank_import(&opts, argc, argv);
    if (strcmp(sub, "withdraw") == 0) return bank_withdraw(&opts, argc, argv);
    if (strcmp(sub, "status") == 0) return bank_status(&opts, argc, argv);
    return gn_cli_usage("bank: unknown subcommand '%s'\n%s", sub, BANK_USAGE);
}
