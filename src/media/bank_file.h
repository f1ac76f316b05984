/* Shared photo-bank files: confirmed-counterfeit PDQ hashes one marketplace
 * gives another (docs/banks.md). genuine's own format signs every line with
 * the exporter's ed25519 key, so a changed, moved or dropped line is caught
 * and named; HMA's CSV (ThreatExchange's signal_type,signal_str,... rows) is
 * read and written so a platform running HMA can exchange with genuine. */
#ifndef GN_MEDIA_BANK_FILE_H
#define GN_MEDIA_BANK_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "media/pdq.h"

#define GN_BANK_KEY_PUBLIC 32
#define GN_BANK_KEY_SECRET 64

typedef enum gn_bank_format { GN_BANK_FILE_GENUINE, GN_BANK_FILE_HMA } gn_bank_format;

/* One line of a bank file: a hash and what its source says of it. */
typedef struct gn_bank_entry {
    gn_pdq_hash hash;
    const char *brand;      /* "" when not said */
    const char *first_seen; /* RFC 3339, or "" when not said */
    int withdrawn;          /* the source takes this hash back */
} gn_bank_entry;

/* "genuine" or "hma" (HMA's CSV); -1 otherwise. */
int gn_bank_format_parse(const char *name);

/* Appends a whole file: entries in order, signed with secret_key (the
 * genuine format; ignored for HMA's CSV, which carries no signature). */
void gn_bank_file_write(gn_buf *out, gn_bank_format format, const char *source,
                        const char *exported_at, const gn_bank_entry *entries, size_t n,
                        const unsigned char secret_key[GN_BANK_KEY_SECRET]);

/* Reads a whole file, checking every line (and, in the genuine format,
 * every signature against public_key) before the first entry is handed to
 * take: on any fault nothing is taken, and the error names the line. The
 * entry's strings live only during the call. source_out, when not NULL,
 * receives the source the file names (genuine format; "" for HMA). */
typedef int (*gn_bank_take_fn)(void *ctx, const gn_bank_entry *entry, gn_error *err);
int gn_bank_file_read(const char *text, size_t len, gn_bank_format format,
                      const unsigned char public_key[GN_BANK_KEY_PUBLIC], gn_bank_take_fn take,
                      void *ctx, gn_error *err);

/* The exporter's key pair in a file (hex of the 64-byte secret key, whose
 * second half is the public key), made with mode 0600 when missing. */
int gn_bank_key_load(const char *path, int create, unsigned char secret_key[GN_BANK_KEY_SECRET],
                     gn_error *err);
/* A public key as 64 hex digits, and back (GN_EINPUT naming the key). */
void gn_bank_key_hex(const unsigned char public_key[GN_BANK_KEY_PUBLIC], char out[65]);
int gn_bank_key_parse(const char *hex, unsigned char public_key[GN_BANK_KEY_PUBLIC], gn_error *err);

#endif
