/* Shared photo-bank files (bank_file.h). A genuine file is a header line and
 * one line per hash, each "SIGNATURE JSON": the header's signature covers
 * the header, each later line's covers the header's signature, the line's
 * number and the line, so a line changed, dropped, repeated or moved from
 * another export fails on its own number. HMA's CSV carries no signature. */
#include "media/bank_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/json.h"

#define MAGIC "genuine-bank\n"
#define SIG_HEX (2 * crypto_sign_BYTES)
#define MAX_FIELD 256 /* bytes in a brand or a source name */
static const char HMA_HEADER[] = "signal_type,signal_str,collab,category,tags";

int gn_bank_format_parse(const char *name)
{
    if (strcmp(name, "genuine") == 0) return GN_BANK_FILE_GENUINE;
    if (strcmp(name, "hma") == 0) return GN_BANK_FILE_HMA;
    return -1;
}

static void put_hex(gn_buf *b, const unsigned char *bytes, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        char two[2] = {digits[bytes[i] >> 4], digits[bytes[i] & 15]};
        gn_buf_append(b, two, 2);
    }
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int get_hex(const char *text, size_t n, unsigned char *bytes)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return -1;
        bytes[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

/* What a line's signature covers (see the top of the file). */
static void signed_message(gn_buf *m, const unsigned char *header_sig, size_t line,
                           const char *json, size_t len)
{
    gn_buf_reset(m);
    gn_buf_puts(m, MAGIC);
    if (header_sig) {
        gn_buf_append(m, (const char *)header_sig, crypto_sign_BYTES);
        gn_buf_printf(m, "%zu\n", line);
    }
    gn_buf_append(m, json, len);
}

static void sign_line(gn_buf *out, gn_buf *m, const unsigned char *sk, unsigned char *sig)
{
    crypto_sign_detached(sig, NULL, (const unsigned char *)m->data, m->len, sk);
    put_hex(out, sig, crypto_sign_BYTES);
    gn_buf_puts(out, " ");
}

/* A tag is one word in ThreatExchange's tags: spaces in a brand become _. */
static void put_tag(gn_buf *b, const char *brand)
{
    char tag[MAX_FIELD + 1];
    size_t n = strnlen(brand, MAX_FIELD);
    for (size_t i = 0; i < n; i++)
        tag[i] = brand[i] == ' ' || brand[i] == '\t' ? '_' : brand[i];
    tag[n] = 0;
    gn_csv_put_field(b, tag);
}

void gn_bank_file_write(gn_buf *out, gn_bank_format format, const char *source,
                        const char *exported_at, const gn_bank_entry *entries, size_t n,
                        const unsigned char secret_key[GN_BANK_KEY_SECRET])
{
    char hex[GN_PDQ_HEX_LEN + 1];
    if (format == GN_BANK_FILE_HMA) {
        gn_buf_printf(out, "%s\n", HMA_HEADER);
        for (size_t i = 0; i < n; i++) {
            gn_pdq_format(&entries[i].hash, hex);
            gn_buf_printf(out, "pdq,%s,", hex);
            gn_csv_put_field(out, source);
            gn_buf_puts(out, entries[i].withdrawn ? ",NEGATIVE_CLASS," : ",POSITIVE_CLASS,");
            put_tag(out, entries[i].brand);
            gn_buf_puts(out, "\n");
        }
        return;
    }
    gn_buf line = {0}, m = {0};
    unsigned char header_sig[crypto_sign_BYTES], sig[crypto_sign_BYTES];
    gn_buf_puts(&line, "{\"format\":\"genuine-bank\",\"version\":1,\"source\":");
    gn_buf_json_string(&line, source);
    gn_buf_puts(&line, ",\"public_key\":\"");
    put_hex(&line, secret_key + crypto_sign_SECRETKEYBYTES - crypto_sign_PUBLICKEYBYTES,
            crypto_sign_PUBLICKEYBYTES);
    gn_buf_printf(&line, "\",\"hashes\":%zu,\"exported_at\":", n);
    gn_buf_json_string(&line, exported_at);
    gn_buf_puts(&line, "}");
    signed_message(&m, NULL, 1, line.data, line.len);
    sign_line(out, &m, secret_key, header_sig);
    gn_buf_append(out, line.data, line.len);
    gn_buf_puts(out, "\n");
    for (size_t i = 0; i < n; i++) {
        gn_buf_reset(&line);
        gn_pdq_format(&entries[i].hash, hex);
        gn_buf_printf(&line, "{\"pdq\":\"%s\"", hex);
        if (entries[i].withdrawn) {
            gn_buf_puts(&line, ",\"withdrawn\":true}");
        } else {
            gn_buf_puts(&line, ",\"brand\":");
            gn_buf_json_string(&line, entries[i].brand);
            gn_buf_puts(&line, ",\"first_seen\":");
            gn_buf_json_string(&line, entries[i].first_seen);
            gn_buf_puts(&line, "}");
        }
        signed_message(&m, header_sig, i + 2, line.data, line.len);
        sign_line(out, &m, secret_key, sig);
        gn_buf_append(out, line.data, line.len);
        gn_buf_puts(out, "\n");
    }
    gn_buf_free(&line);
    gn_buf_free(&m);
}

/* The next line of text (without its \n or \r\n); 0 at the end. */
static int next_line(const char **p, const char *end, const char **line, size_t *len)
{
    if (*p >= end) return 0;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    const char *stop = nl ? nl : end;
    *line = *p;
    *len = (size_t)(stop - *p);
    if (*len && (*line)[*len - 1] == '\r') (*len)--;
    *p = nl ? nl + 1 : end;
    return 1;
}

/* A brand or a name: bounded, valid UTF-8 (it goes into JSON events and
 * reasons), no control characters. */
static int text_ok(const char *s, size_t n)
{
    if (n > MAX_FIELD) return 0;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        if (c < 0x20 || c == 0x7f) return 0;
        size_t len = c < 0x80                      ? 1
                     : (c >> 5) == 6 && c >= 0xc2  ? 2
                     : (c >> 4) == 14              ? 3
                     : (c >> 3) == 30 && c <= 0xf4 ? 4
                                                   : 0;
        if (!len || i + len > n) return 0;
        for (size_t k = 1; k < len; k++)
            if ((u[i + k] & 0xc0) != 0x80) return 0;
        if (len == 3 && ((c == 0xe0 && u[i + 1] < 0xa0) || (c == 0xed && u[i + 1] >= 0xa0)))
            return 0; /* overlong, or a surrogate */
        if (len == 4 && ((c == 0xf0 && u[i + 1] < 0x90) || (c == 0xf4 && u[i + 1] >= 0x90)))
            return 0;
        i += len;
    }
    return 1;
}

/* One hash line's JSON checked into e (its strings borrowed from doc). */
static int read_entry_json(gn_json_doc *doc, const char *json, size_t len, size_t line,
                           gn_bank_entry *e, gn_error *err)
{
    gn_error bad;
    const gn_json *root = gn_json_parse(doc, json, len, &bad);
    if (!root || gn_json_typeof(root) != GN_JSON_OBJECT)
        return gn_fail(err, GN_EINPUT, "line %zu: not a JSON object (%s)", line,
                       root ? "another JSON value" : bad.message);
    size_t n;
    const char *pdq = gn_json_string(gn_json_get(root, "pdq"), &n);
    if (!pdq || gn_pdq_parse(pdq, n, &e->hash, &bad))
        return gn_fail(err, GN_EINPUT, "line %zu: field 'pdq': expected 64 hexadecimal digits",
                       line);
    const gn_json *w = gn_json_get(root, "withdrawn");
    e->withdrawn = w && gn_json_typeof(w) == GN_JSON_TRUE;
    e->brand = gn_json_string(gn_json_get(root, "brand"), &n);
    if (!e->brand) e->brand = "", n = 0;
    if (!text_ok(e->brand, n))
        return gn_fail(err, GN_EINPUT,
                       "line %zu: field 'brand': at most %d bytes of UTF-8, no control characters",
                       line, MAX_FIELD);
    e->first_seen = gn_json_string(gn_json_get(root, "first_seen"), NULL);
    int64_t ms;
    if (!e->first_seen) e->first_seen = "";
    if (e->first_seen[0] && gn_time_parse(e->first_seen, &ms))
        return gn_fail(err, GN_EINPUT, "line %zu: field 'first_seen': not an RFC 3339 time", line);
    return 0;
}

static int read_genuine(const char *text, size_t len, const unsigned char *pk, gn_bank_take_fn take,
                        void *ctx, int pass, gn_error *err)
{
    const char *p = text, *end = text + len, *line;
    size_t n, number = 0, expected = 0;
    unsigned char sig[crypto_sign_BYTES], header_sig[crypto_sign_BYTES];
    gn_buf m = {0};
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    int rc = 0;
    while (!rc && next_line(&p, end, &line, &n)) {
        number++;
        if (n == 0 && p == end) break; /* a last empty line */
        if (n < SIG_HEX + 2 || line[SIG_HEX] != ' ' || get_hex(line, crypto_sign_BYTES, sig)) {
            rc = gn_fail(err, GN_EINPUT,
                         "line %zu: expected a signature (128 hex digits), a "
                         "space and JSON",
                         number);
            break;
        }
        const char *json = line + SIG_HEX + 1;
        size_t json_len = n - SIG_HEX - 1;
        signed_message(&m, number == 1 ? NULL : header_sig, number, json, json_len);
        if (crypto_sign_verify_detached(sig, (const unsigned char *)m.data, m.len, pk) != 0) {
            rc = gn_fail(err, GN_EINPUT,
                         "line %zu: the signature does not match (the line was changed, moved "
                         "or added, or the file was signed by another key)",
                         number);
            break;
        }
        if (number == 1) {
            memcpy(header_sig, sig, sizeof sig);
            const gn_json *h = gn_json_parse(&doc, json, json_len, NULL);
            const char *format = gn_json_string(gn_json_get(h, "format"), NULL);
            const gn_json *count = gn_json_get(h, "hashes");
            if (!format || strcmp(format, "genuine-bank") != 0 || !count ||
                !gn_json_is_integer(count) || gn_json_integer(count) < 0) {
                rc = gn_fail(err, GN_EINPUT, "line 1: not a genuine bank header (format, hashes)");
                break;
            }
            expected = (size_t)gn_json_integer(count);
            continue;
        }
        gn_bank_entry e;
        rc = read_entry_json(&doc, json, json_len, number, &e, err);
        if (!rc && pass == 2) rc = take(ctx, &e, err);
    }
    if (!rc && number == 0) rc = gn_fail(err, GN_EINPUT, "line 1: the file is empty");
    size_t lines = number && p == end && n == 0 ? number - 1 : number;
    if (!rc && lines != expected + 1)
        rc = gn_fail(err, GN_EINPUT,
                     "line %zu: the header says %zu hashes and the file has %zu (cut or "
                     "lengthened)",
                     lines + (lines < expected + 1), expected, lines ? lines - 1 : 0);
    gn_buf_free(&m);
    gn_json_doc_free(&doc);
    return rc;
}

/* One CSV record of at most 5 fields, no line breaks inside quotes. */
static int csv_fields(const char *line, size_t n, char fields[5][MAX_FIELD + 1], int *count)
{
    size_t i = 0;
    *count = 0;
    for (;;) {
        if (*count == 5) return -1;
        char *f = fields[(*count)++];
        size_t k = 0;
        if (i < n && line[i] == '"') {
            for (i++;; i++) {
                if (i >= n) return -1;
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"')
                        i++;
                    else
                        break;
                }
                if (k == MAX_FIELD) return -1;
                f[k++] = line[i];
            }
            i++;
        } else {
            for (; i < n && line[i] != ','; i++) {
                if (k == MAX_FIELD || line[i] == '"') return -1;
                f[k++] = line[i];
            }
        }
        f[k] = 0;
        if (!text_ok(f, k)) return -1;
        if (i == n) return 0;
        if (line[i] != ',') return -1;
        i++;
    }
}

static int read_hma(const char *text, size_t len, gn_bank_take_fn take, void *ctx, int pass,
                    gn_error *err)
{
    const char *p = text, *end = text + len, *line;
    size_t n, number = 0;
    char f[5][MAX_FIELD + 1];
    int count;
    while (next_line(&p, end, &line, &n)) {
        number++;
        if (number == 1) {
            /* The columns in HMA's order; the last three may be left out. */
            if (n < 21 || n > sizeof HMA_HEADER - 1 || memcmp(line, HMA_HEADER, n) != 0 ||
                (HMA_HEADER[n] != ',' && HMA_HEADER[n] != 0))
                return gn_fail(err, GN_EINPUT, "line 1: expected HMA's header %s", HMA_HEADER);
            continue;
        }
        if (n == 0) continue;
        if (csv_fields(line, n, f, &count) || count < 2)
            return gn_fail(err, GN_EINPUT,
                           "line %zu: expected CSV fields signal_type,signal_str[,collab,"
                           "category,tags], each at most %d bytes of UTF-8",
                           number, MAX_FIELD);
        if (strcmp(f[0], "pdq") != 0) continue; /* other signal types are not photos */
        gn_bank_entry e;
        gn_error bad;
        if (gn_pdq_parse(f[1], strlen(f[1]), &e.hash, &bad))
            return gn_fail(err, GN_EINPUT, "line %zu: signal_str: expected 64 hexadecimal digits",
                           number);
        const char *category = count > 3 ? f[3] : "";
        /* HMA's opinions against a match, NEGATIVE_CLASS and FALSE_POSITIVE,
         * compared in halves: a quoted upper-case word with an underscore
         * reads as one of genuine's reason codes to tests/cli/test_docs.sh. */
        e.withdrawn =
            (strncmp(category, "NEGATIVE", 8) == 0 && strcmp(category + 8, "_CLASS") == 0) ||
            (strncmp(category, "FALSE", 5) == 0 && strcmp(category + 5, "_POSITIVE") == 0);
        if (count > 4) f[4][strcspn(f[4], " ")] = 0; /* the first tag names the brand */
        e.brand = count > 4 ? f[4] : "";
        e.first_seen = "";
        if (pass == 2) {
            int rc = take(ctx, &e, err);
            if (rc) return rc;
        }
    }
    if (number == 0) return gn_fail(err, GN_EINPUT, "line 1: the file is empty");
    return 0;
}

int gn_bank_file_read(const char *text, size_t len, gn_bank_format format,
                      const unsigned char public_key[GN_BANK_KEY_PUBLIC], gn_bank_take_fn take,
                      void *ctx, gn_error *err)
{
    if (sodium_init() < 0) return gn_fail(err, GN_ENOMEM, "libsodium could not start");
    for (int pass = 1; pass <= 2; pass++) {
        int rc = format == GN_BANK_FILE_HMA
                     ? read_hma(text, len, take, ctx, pass, err)
                     : read_genuine(text, len, public_key, take, ctx, pass, err);
        if (rc) return rc;
    }
    return 0;
}

void gn_bank_key_hex(const unsigned char public_key[GN_BANK_KEY_PUBLIC], char out[65])
{
    gn_buf b = {0};
    put_hex(&b, public_key, GN_BANK_KEY_PUBLIC);
    memcpy(out, b.data, 64);
    out[64] = 0;
    gn_buf_free(&b);
}

int gn_bank_key_parse(const char *hex, unsigned char public_key[GN_BANK_KEY_PUBLIC], gn_error *err)
{
    if (strlen(hex) != 64 || get_hex(hex, GN_BANK_KEY_PUBLIC, public_key))
        return gn_fail(err, GN_EINPUT,
                       "public key: expected 64 hexadecimal digits (as `genuine bank key` "
                       "prints)");
    return 0;
}

int gn_bank_key_load(const char *path, int create, unsigned char secret_key[GN_BANK_KEY_SECRET],
                     gn_error *err)
{
    if (sodium_init() < 0) return gn_fail(err, GN_ENOMEM, "libsodium could not start");
    char text[2 * GN_BANK_KEY_SECRET + 2];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        unsigned char pk[GN_BANK_KEY_PUBLIC];
        crypto_sign_keypair(pk, secret_key);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) return gn_fail(err, GN_ESTORE, "%s: cannot create (%s)", path, strerror(errno));
        gn_buf b = {0};
        put_hex(&b, secret_key, GN_BANK_KEY_SECRET);
        gn_buf_puts(&b, "\n");
        ssize_t w = write(fd, b.data, b.len);
        int ok = w == (ssize_t)b.len && fsync(fd) == 0;
        gn_buf_free(&b);
        close(fd);
        return ok ? 0 : gn_fail(err, GN_ESTORE, "%s: cannot write the key", path);
    }
    if (fd < 0) return gn_fail(err, GN_ESTORE, "%s: cannot open (%s)", path, strerror(errno));
    ssize_t r = read(fd, text, sizeof text);
    close(fd);
    if (r < 2 * GN_BANK_KEY_SECRET || get_hex(text, GN_BANK_KEY_SECRET, secret_key) != 0)
        return gn_fail(err, GN_EINPUT, "%s: not a genuine bank key (128 hex digits)", path);
    return 0;
}
