/* JPEG decoding (libjpeg-turbo's libjpeg API), straight to the Y channel and
 * at the smallest DCT scale that keeps enough detail for PDQ, which is most
 * of the speed; the EXIF orientation turns the picture upright. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* after stdio.h, which jpeglib.h needs */
#include <jerror.h>
#include <jpeglib.h>

#include "core/alloc.h"
#include "core/error.h"
#include "media/codec.h"

/* --- EXIF orientation -------------------------------------------------- */

static unsigned rd16(const uint8_t *p, int le)
{
    return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t rd32(const uint8_t *p, int le)
{
    return le ? (uint32_t)rd16(p, 1) | (uint32_t)rd16(p + 2, 1) << 16
              : (uint32_t)rd16(p, 0) << 16 | (uint32_t)rd16(p + 2, 0);
}

/* Orientation (tag 0x0112, a SHORT) from IFD0 of a TIFF block; 0 if absent.
 * Every offset is checked against the block: EXIF is attacker-supplied. */
static int tiff_orientation(const uint8_t *t, size_t n)
{
    if (n < 8) return 0;
    int le;
    if (t[0] == 'I' && t[1] == 'I')
        le = 1;
    else if (t[0] == 'M' && t[1] == 'M')
        le = 0;
    else
        return 0;
    if (rd16(t + 2, le) != 42) return 0;
    uint32_t ifd = rd32(t + 4, le);
    if (ifd > n || n - ifd < 2) return 0;
    unsigned count = rd16(t + ifd, le);
    for (unsigned i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + (size_t)12 * i;
        if (e > n || n - e < 12) return 0;
        if (rd16(t + e, le) == 0x0112) {
            if (rd16(t + e + 2, le) != 3 || rd32(t + e + 4, le) < 1) return 0;
            unsigned v = rd16(t + e + 8, le);
            return v >= 1 && v <= 8 ? (int)v : 0;
        }
    }
    return 0;
}

int gn_image_jpeg_orientation(const uint8_t *d, size_t n)
{
    if (!d || n < 4 || d[0] != 0xFF || d[1] != 0xD8) return 1;
    size_t p = 2;
    /* Only the segments before the image data are walked, and only so many. */
    for (int seg = 0; seg < 256 && n - p >= 4; seg++) {
        if (d[p] != 0xFF) return 1;
        unsigned m = d[p + 1];
        if (m == 0xFF) { /* fill byte */
            p++;
            continue;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) { /* markers without a length */
            p += 2;
            continue;
        }
        if (m == 0xDA || m == 0xD9) /* start of scan or end of image */
            return 1;
        size_t len = (size_t)d[p + 2] << 8 | d[p + 3];
        if (len < 2 || len > n - p - 2) return 1;
        if (m == 0xE1 && len >= 8 && memcmp(d + p + 4, "Exif\0\0", 6) == 0) {
            int o = tiff_orientation(d + p + 10, len - 8);
            if (o) return o;
        }
        p += 2 + len;
    }
    return 1;
}

/* Turns the stored pixels upright. Orientation o says where the stored first
 * row and column belong: 2 mirror, 3 rotate 180, 4 flip, 5 transpose,
 * 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise. */
static int apply_orientation(gn_image *img, int o, const char *name, gn_error *err)
{
    if (o <= 1 || o > 8) return 0;
    int w = img->width, h = img->height;
    int swap = o >= 5;
    int ow = swap ? h : w, oh = swap ? w : h;
    uint16_t *dst = gn_xmalloc((size_t)w * h * sizeof *dst);
    if (!dst)
        return gn_fail(err, GN_ENOMEM, "%s: out of memory turning the image upright",
                       gn_image_label(name));
    const uint16_t *src = img->luma;
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++) {
            int sx, sy;
            switch (o) {
            case 2:
                sx = w - 1 - x, sy = y;
                break;
            case 3:
                sx = w - 1 - x, sy = h - 1 - y;
                break;
            case 4:
                sx = x, sy = h - 1 - y;
                break;
            case 5:
                sx = y, sy = x;
                break;
            case 6:
                sx = y, sy = h - 1 - x;
                break;
            case 7:
                sx = w - 1 - y, sy = h - 1 - x;
                break;
            default:
                sx = w - 1 - y, sy = x;
                break; /* 8 */
            }
            dst[(size_t)y * ow + x] = src[(size_t)sy * w + sx];
        }
    free(img->luma);
    img->luma = dst;
    img->width = ow;
    img->height = oh;
    img->orientation = o;
    return 0;
}

/* --- JPEG -------------------------------------------------------------- */

/* Everything a JPEG decode needs between pictures, so that one thread
 * decoding many pictures allocates (and page-faults in) nothing per picture:
 * the libjpeg decompressor itself, the coefficient memory libjpeg would
 * otherwise allocate and zero for each progressive picture (about 10 MB for
 * a 1600x1004 photo, over half the decode time when fresh), the scanline
 * and file buffers, and the list of byte ranges handed to libjpeg. */
#define MAX_COEF_ARRAYS (MAX_COMPONENTS + 2)
#define MAX_SCANS 500 /* progressive scans, as TurboJPEG's LIMITSCANS */

typedef struct coef_array {
    JBLOCKARRAY rows;
    JDIMENSION blocks_per_row, nrows, max_access;
    int pre_zero, scratch;
} coef_array;

typedef struct byte_range {
    const uint8_t *p;
    size_t n;
} byte_range;

struct gn_image_decoder {
    struct jpeg_decompress_struct jpeg;
    struct jpeg_error_mgr jerr;
    struct jpeg_progress_mgr progress;
    struct jpeg_source_mgr source;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    /* libjpeg's own memory methods, for what the hooks pass on */
    void (*realize)(j_common_ptr);
    void (*free_pool)(j_common_ptr, int);
    coef_array arrays[MAX_COEF_ARRAYS];
    int narrays;
    int luma_only; /* coefficients of components other than the first are not kept */
    uint8_t *arena;
    size_t arena_cap;
    byte_range *ranges; /* the stream as libjpeg sees it */
    int nranges, ranges_cap, next_range;
    uint8_t *row; /* one decoded scanline */
    size_t row_cap;
    uint8_t *file; /* gn_image_load_with's buffer */
    size_t file_cap;
    int in_header; /* for the error message: header or data */
};

/* libjpeg reports errors by calling error_exit, which must not return: the
 * message is kept and control jumps back to the decode. Warnings (a
 * truncated file, corrupt data) are errors too: a hash of a half-grey
 * picture would match nothing and mislead. */
static void jpeg_error_exit(j_common_ptr c)
{
    gn_image_decoder *dec = c->client_data;
    c->err->format_message(c, dec->message);
    longjmp(dec->jump, 1);
}

static void jpeg_emit_message(j_common_ptr c, int level)
{
    if (level < 0) jpeg_error_exit(c);
}

/* Refuses progressive files built to burn CPU with thousands of scans. */
static void jpeg_progress(j_common_ptr c)
{
    j_decompress_ptr d = (j_decompress_ptr)c;
    if (d->progressive_mode && d->input_scan_number > MAX_SCANS) {
        gn_image_decoder *dec = c->client_data;
        snprintf(dec->message, sizeof dec->message, "Progressive JPEG image has more than %d scans",
                 MAX_SCANS);
        longjmp(dec->jump, 1);
    }
}

/* The source: a list of byte ranges of the file (all of it, or the file
 * without the scans that are not needed). */
static void source_init(j_decompress_ptr c)
{
    (void)c;
}

static boolean source_fill(j_decompress_ptr c)
{
    gn_image_decoder *dec = c->client_data;
    static const JOCTET eoi[2] = {0xFF, JPEG_EOI};
    if (dec->next_range < dec->nranges) {
        byte_range *r = &dec->ranges[dec->next_range++];
        c->src->next_input_byte = r->p;
        c->src->bytes_in_buffer = r->n;
        return TRUE;
    }
    /* Out of data: libjpeg's own memory source inserts an EOI and warns,
     * which here becomes the error "Premature end of JPEG file". */
    WARNMS(c, JWRN_JPEG_EOF);
    c->src->next_input_byte = eoi;
    c->src->bytes_in_buffer = 2;
    return TRUE;
}

static void source_skip(j_decompress_ptr c, long n)
{
    while (n > 0) {
        if (c->src->bytes_in_buffer == 0) source_fill(c);
        size_t k = (size_t)n < c->src->bytes_in_buffer ? (size_t)n : c->src->bytes_in_buffer;
        c->src->next_input_byte += k;
        c->src->bytes_in_buffer -= k;
        n -= (long)k;
    }
}

static void source_term(j_decompress_ptr c)
{
    (void)c;
}

static int add_range(gn_image_decoder *dec, const uint8_t *p, size_t n)
{
    if (n == 0) return 0;
    if (dec->nranges && dec->ranges[dec->nranges - 1].p + dec->ranges[dec->nranges - 1].n == p) {
        dec->ranges[dec->nranges - 1].n += n;
        return 0;
    }
    if (dec->nranges == dec->ranges_cap) {
        int cap = dec->ranges_cap ? 2 * dec->ranges_cap : 16;
        byte_range *r = gn_xrealloc(dec->ranges, sizeof *r * (size_t)cap);
        dec->ranges = r;
        dec->ranges_cap = cap;
    }
    dec->ranges[dec->nranges++] = (byte_range){p, n};
    return 0;
}

/* Points libjpeg at the ranges from the start, for a new header read. */
static void source_rewind(gn_image_decoder *dec)
{
    dec->next_range = 0;
    dec->source.next_input_byte = NULL;
    dec->source.bytes_in_buffer = 0;
}

/* --- coefficient memory ---------------------------------------------------
 *
 * A progressive JPEG is decoded into whole-picture coefficient arrays,
 * which libjpeg allocates (with malloc, so fresh pages from the kernel) and
 * zeroes for every picture. These hooks on its memory manager keep them in
 * the decoder's arena instead. With luma_only, the arrays of the colour
 * components, whose coefficients are decoded but never used, all share one
 * small scratch area. */

static jvirt_barray_ptr coef_request(j_common_ptr c, int pool, boolean pre_zero,
                                     JDIMENSION blocks_per_row, JDIMENSION nrows,
                                     JDIMENSION max_access)
{
    gn_image_decoder *dec = c->client_data;
    (void)pool;
    if (dec->narrays == MAX_COEF_ARRAYS || max_access > nrows || max_access == 0) {
        c->err->msg_code = JERR_OUT_OF_MEMORY;
        c->err->msg_parm.i[0] = 900;
        c->err->error_exit(c);
    }
    coef_array *a = &dec->arrays[dec->narrays++];
    *a = (coef_array){NULL, blocks_per_row, nrows, max_access, pre_zero, 0};
    return (jvirt_barray_ptr)(void *)a;
}

static size_t align64(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

static void coef_realize(j_common_ptr c)
{
    gn_image_decoder *dec = c->client_data;
    size_t need = 0;
    /* libjpeg asks for the arrays in component order. */
    for (int i = 0; i < dec->narrays; i++) {
        coef_array *a = &dec->arrays[i];
        a->scratch = dec->luma_only && i > 0;
        JDIMENSION rows = a->scratch ? a->max_access : a->nrows;
        need += align64((size_t)rows * sizeof(JBLOCKROW)) +
                align64((size_t)rows * a->blocks_per_row * sizeof(JBLOCK));
    }
    if (need > dec->arena_cap) {
        free(dec->arena);
        dec->arena = gn_xaligned_alloc(64, align64(need));
        dec->arena_cap = dec->arena ? align64(need) : 0;
        if (!dec->arena) {
            c->err->msg_code = JERR_OUT_OF_MEMORY;
            c->err->msg_parm.i[0] = 901;
            c->err->error_exit(c);
        }
        memset(dec->arena, 0, dec->arena_cap);
    }
    uint8_t *p = dec->arena;
    for (int i = 0; i < dec->narrays; i++) {
        coef_array *a = &dec->arrays[i];
        JDIMENSION rows = a->scratch ? a->max_access : a->nrows;
        a->rows = (JBLOCKARRAY)(void *)p;
        p += align64((size_t)rows * sizeof(JBLOCKROW));
        size_t bytes = (size_t)rows * a->blocks_per_row * sizeof(JBLOCK);
        for (JDIMENSION r = 0; r < rows; r++)
            a->rows[r] = (JBLOCKROW)(void *)(p + (size_t)r * a->blocks_per_row * sizeof(JBLOCK));
        /* Coefficients no scan sends must read as zero. A luma-only decode
         * keeps DC scans alone, which write every block's DC. */
        if (a->pre_zero && !dec->luma_only) memset(p, 0, bytes);
        p += align64(bytes);
    }
    dec->realize(c);
}

static JBLOCKARRAY coef_access(j_common_ptr c, jvirt_barray_ptr ptr, JDIMENSION start, JDIMENSION n,
                               boolean writable)
{
    coef_array *a = (coef_array *)(void *)ptr;
    (void)writable;
    if (!a->rows || n > a->max_access || start > a->nrows || n > a->nrows - start) {
        c->err->msg_code = JERR_BAD_VIRTUAL_ACCESS;
        c->err->error_exit(c);
    }
    return a->scratch ? a->rows : a->rows + start;
}

static void coef_free_pool(j_common_ptr c, int pool)
{
    gn_image_decoder *dec = c->client_data;
    if (pool == JPOOL_IMAGE) dec->narrays = 0;
    dec->free_pool(c, pool);
}

int gn_image_decoder_new(gn_image_decoder **out, gn_error *err)
{
    gn_image_decoder *dec = gn_xcalloc(1, sizeof *dec);
    *out = NULL;
    dec->jpeg.err = jpeg_std_error(&dec->jerr);
    dec->jerr.error_exit = jpeg_error_exit;
    dec->jerr.emit_message = jpeg_emit_message;
    dec->jpeg.client_data = dec;
    if (setjmp(dec->jump)) { /* jpeg_create_decompress ran out of memory */
        free(dec);
        return gn_fail(err, GN_ENOMEM, "image decoder: out of memory");
    }
    jpeg_create_decompress(&dec->jpeg);
    dec->progress.progress_monitor = jpeg_progress;
    dec->jpeg.progress = &dec->progress;
    dec->source.init_source = source_init;
    dec->source.fill_input_buffer = source_fill;
    dec->source.skip_input_data = source_skip;
    dec->source.resync_to_restart = jpeg_resync_to_restart;
    dec->source.term_source = source_term;
    dec->jpeg.src = &dec->source;
    struct jpeg_memory_mgr *mem = dec->jpeg.mem;
    dec->realize = mem->realize_virt_arrays;
    dec->free_pool = mem->free_pool;
    mem->request_virt_barray = coef_request;
    mem->realize_virt_arrays = coef_realize;
    mem->access_virt_barray = coef_access;
    mem->free_pool = coef_free_pool;
    *out = dec;
    return 0;
}

void gn_image_decoder_free(gn_image_decoder *dec)
{
    if (!dec) return;
    jpeg_destroy_decompress(&dec->jpeg);
    free(dec->arena), free(dec->ranges), free(dec->row), free(dec->file);
    free(dec);
}

/* The scale s/8 (s = 1..8) giving the fewest pixels while both sides stay
 * >= min_side; 8/8 when the picture is already small. */
static int jpeg_scale(int w, int h, int min_side)
{
    if (min_side <= 0) return 8;
    for (int s = 1; s < 8; s++)
        if ((int)(((int64_t)w * s + 7) / 8) >= min_side &&
            (int)(((int64_t)h * s + 7) / 8) >= min_side)
            return s;
    return 8;
}

/* Rebuilds the stream of a progressive JPEG without the scans that a decode
 * at a small scale does not need: colour scans, and luminance scans of
 * coefficients above `band`. PDQ keeps only what survives a tent filter
 * 1/64 of the picture wide, which is no more than the first coefficients of
 * each 8x8 block; the later scans, most of the file, are never Huffman-
 * decoded. Returns 1 with the ranges set, 0 when the file is not laid out as
 * expected (then it is decoded whole, and libjpeg reports what is wrong). */
static int keep_scans(gn_image_decoder *dec, const uint8_t *d, size_t n, int luma_id, int band)
{
    dec->nranges = 0;
    size_t p = 2, keep_from = 0;
    int scans = 0;
    for (;;) {
        if (n - p < 2 || d[p] != 0xFF) return 0;
        unsigned m = d[p + 1];
        if (m == 0xFF) { /* fill byte */
            p++;
            continue;
        }
        if (m == JPEG_EOI) return add_range(dec, d + keep_from, p + 2 - keep_from) == 0;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* markers without a length */
            p += 2;
            continue;
        }
        if (n - p < 4) return 0;
        size_t len = (size_t)d[p + 2] << 8 | d[p + 3];
        if (len < 2 || len > n - p - 2) return 0;
        if (m != 0xDA) { /* tables and the like: kept */
            p += 2 + len;
            continue;
        }
        int ns = d[p + 4];
        if (++scans > MAX_SCANS || ns < 1 || ns > 4 || len != 6 + 2 * (size_t)ns) return 0;
        int has_luma = 0;
        for (int i = 0; i < ns; i++)
            has_luma |= d[p + 5 + 2 * i] == luma_id;
        int ss = d[p + 5 + 2 * ns];
        /* The entropy-coded data runs to the next marker that is neither a
         * stuffed 0xFF00 nor a restart marker. */
        size_t e = p + 2 + len;
        for (;;) {
            const uint8_t *f = e < n ? memchr(d + e, 0xFF, n - e) : NULL;
            if (!f || (size_t)(f - d) + 1 >= n) return 0;
            e = (size_t)(f - d);
            unsigned b = d[e + 1];
            if (b == 0 || (b >= 0xD0 && b <= 0xD7))
                e += 2;
            else if (b == 0xFF)
                e++;
            else
                break;
        }
        int keep = has_luma && (ss == 0 || (ns == 1 && ss <= band));
        if (!keep) {
            if (add_range(dec, d + keep_from, p - keep_from)) return 0;
            keep_from = e;
        }
        p = e;
    }
}

/* The luminance of a picture decoded from its DC coefficients alone: one
 * pixel per 8x8 block, the block's mean, in 8.8 fixed point (what libjpeg's
 * 1/8 scaled IDCT computes before rounding to a byte). */
static void dc_luma(j_decompress_ptr c, jvirt_barray_ptr coefs, int w, int h, uint16_t *out)
{
    int q = c->comp_info[0].quant_table->quantval[0];
    for (int y = 0; y < h; y++) {
        JBLOCKROW row =
            c->mem->access_virt_barray((j_common_ptr)c, coefs, (JDIMENSION)y, 1, FALSE)[0];
        for (int x = 0; x < w; x++) {
            long v = 32768 + (long)row[x][0] * q * 32;
            out[(size_t)y * w + x] = (uint16_t)(v < 0 ? 0 : v > 65280 ? 65280 : v);
        }
    }
}

int gn_image_decode_jpeg(gn_image_decoder *dec, const uint8_t *data, size_t len, const char *name,
                         const gn_image_options *o, gn_image *out, gn_error *err)
{
    j_decompress_ptr c = &dec->jpeg;
    dec->luma_only = 0;
    dec->in_header = 1;
    dec->nranges = 0;
    if (add_range(dec, data, len))
        return gn_fail(err, GN_ENOMEM, "%s: out of memory", gn_image_label(name));
    source_rewind(dec);
    /* What the error path needs lives in dec and out, not in locals, which
     * longjmp may leave clobbered. */
    if (setjmp(dec->jump)) {
        jpeg_abort_decompress(c);
        dec->luma_only = 0;
        gn_image_free(out);
        return gn_fail(err, GN_EINPUT, "%s: broken JPEG %s (%s)", gn_image_label(name),
                       dec->in_header ? "header" : "data", dec->message);
    }
    jpeg_read_header(c, TRUE);
    int w = (int)c->image_width, h = (int)c->image_height;
    int rc = gn_image_check_size(name, "JPEG", w, h, o, err);
    if (rc) {
        jpeg_abort_decompress(c);
        return rc;
    }
    dec->in_header = 0;
    int min_side = o && o->jpeg_min_side ? o->jpeg_min_side : GN_IMAGE_JPEG_MIN_SIDE;
    int dc_min = o && o->jpeg_min_side ? o->jpeg_min_side : GN_IMAGE_JPEG_DC_MIN_SIDE;
    int s = jpeg_scale(w, h, min_side);
    J_COLOR_SPACE space = c->jpeg_color_space;
    jpeg_component_info *y = &c->comp_info[0];
    /* DC alone needs a luminance component with one block per 8x8 pixels. */
    int dc = min_side > 0 && (w + 7) / 8 >= dc_min && (h + 7) / 8 >= dc_min &&
             (space == JCS_YCbCr || space == JCS_GRAYSCALE) &&
             y->h_samp_factor == c->max_h_samp_factor && y->v_samp_factor == c->max_v_samp_factor;
    if (dc && c->progressive_mode) {
        /* Only the DC scans are needed: read the file again without the
         * others. If it is not laid out as expected, it is read whole. */
        if (keep_scans(dec, data, len, y->component_id, 0)) {
            jpeg_abort_decompress(c);
            source_rewind(dec);
            dec->in_header = 1;
            jpeg_read_header(c, TRUE);
            dec->in_header = 0;
        } else {
            dec->nranges = 0;
            add_range(dec, data, len);
        }
    }
    if (dc) {
        /* Read the coefficients and make the picture here from the DC
         * terms, skipping libjpeg's output stages. Baseline files must
         * still be Huffman-decoded whole. */
        dec->luma_only = 1;
        jvirt_barray_ptr *coefs = jpeg_read_coefficients(c);
        if (!c->comp_info[0].quant_table || (c->progressive_mode && c->coef_bits[0][0] < 0)) {
            snprintf(dec->message, sizeof dec->message, "no DC scan for the luminance");
            longjmp(dec->jump, 1);
        }
        int sw = (w + 7) / 8, sh = (h + 7) / 8;
        out->luma = gn_xmalloc((size_t)sw * sh * sizeof *out->luma);
        if (!out->luma) {
            jpeg_abort_decompress(c);
            dec->luma_only = 0;
            return gn_fail(err, GN_ENOMEM, "%s: out of memory for %dx%d pixels",
                           gn_image_label(name), sw, sh);
        }
        dc_luma(c, coefs[0], sw, sh, out->luma);
        jpeg_abort_decompress(c);
        dec->luma_only = 0;
        out->width = sw;
        out->height = sh;
        s = 1;
        goto decoded;
    }
    /* At full size, colour is decoded to RGB and weighted here rather than
     * taking the JPEG's own Y channel: Y is rounded to whole levels, and on
     * small near-flat pictures those roundings decide the hash (36 bits on
     * q0003). A scaled decode averages many pixels per output, so there the
     * Y channel alone serves, and skipping the colour work is most of the
     * remaining speed. CMYK has no Y channel to take. */
    c->scale_num = (unsigned)s;
    c->scale_denom = 8;
    c->out_color_space = space == JCS_CMYK || space == JCS_YCCK ? JCS_CMYK
                         : space == JCS_GRAYSCALE || s < 8      ? JCS_GRAYSCALE
                                                                : JCS_RGB;
    jpeg_start_decompress(c);
    int sw = (int)c->output_width, sh = (int)c->output_height, bytes = c->output_components;
    size_t row_bytes = (size_t)sw * bytes;
    if (row_bytes > dec->row_cap) {
        free(dec->row);
        dec->row = gn_xmalloc(row_bytes);
        dec->row_cap = dec->row ? row_bytes : 0;
    }
    out->luma = gn_xmalloc((size_t)sw * sh * sizeof *out->luma);
    if (!dec->row || !out->luma) {
        jpeg_abort_decompress(c);
        gn_image_free(out);
        return gn_fail(err, GN_ENOMEM, "%s: out of memory for %dx%d pixels", gn_image_label(name),
                       sw, sh);
    }
    while (c->output_scanline < c->output_height) {
        JSAMPROW row = dec->row;
        size_t at = (size_t)c->output_scanline * sw;
        if (jpeg_read_scanlines(c, &row, 1) != 1) break;
        gn_image_to_luma(dec->row, bytes, (size_t)sw, out->luma + at);
    }
    /* Reading to the end of the image reports a truncated or corrupt tail. */
    jpeg_finish_decompress(c);
    out->width = sw;
    out->height = sh;
decoded:
    out->source_width = w;
    out->source_height = h;
    out->scale_num = s;
    out->scale_denom = 8;
    out->format = GN_IMAGE_JPEG;
    return apply_orientation(out, gn_image_jpeg_orientation(data, len), name, err);
}

uint8_t **gn_image_decoder_file(gn_image_decoder *dec, size_t **cap)
{
    *cap = &dec->file_cap;
    return &dec->file;
}
