/* PNG decoding (libpng): palette, low bit depths, 16 bits and interlacing
 * become 8-bit grey or RGB rows, then luminance; alpha is dropped. */
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "media/codec.h"

/* Everything libpng's longjmp may abandon lives here, in memory, so nothing
 * is lost or clobbered when an error jumps back. */
typedef struct png_job {
    const uint8_t *data;
    size_t len, pos;
    char message[200];
    uint8_t *rows;   /* interlaced files: the whole expanded picture */
    uint8_t *row;    /* otherwise one expanded row */
    png_bytep *ptrs; /* row pointers into rows */
    uint16_t *luma;
} png_job;

static void png_read_cb(png_structp png, png_bytep out, size_t n)
{
    png_job *job = png_get_io_ptr(png);
    if (n > job->len - job->pos) png_error(png, "file is truncated");
    memcpy(out, job->data + job->pos, n);
    job->pos += n;
}

static void png_error_cb(png_structp png, png_const_charp msg)
{
    png_job *job = png_get_error_ptr(png);
    snprintf(job->message, sizeof job->message, "%s", msg);
    png_longjmp(png, 1);
}

static void png_warning_cb(png_structp png, png_const_charp msg)
{
    (void)png, (void)msg; /* recoverable: libpng would only print them */
}

static void png_job_free(png_job *job)
{
    free(job->rows), free(job->row), free(job->ptrs), free(job->luma);
    job->rows = job->row = NULL;
    job->luma = NULL;
    job->ptrs = NULL;
}

int gn_image_decode_png(const uint8_t *data, size_t len, const char *name,
                        const gn_image_options *o, gn_image *out, gn_error *err)
{
    png_job job;
    memset(&job, 0, sizeof job);
    job.data = data;
    job.len = len;
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, &job, png_error_cb, png_warning_cb);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return gn_fail(err, GN_ENOMEM, "%s: cannot start the PNG decoder", gn_image_label(name));
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        png_job_free(&job);
        return gn_fail(err, GN_EINPUT, "%s: broken PNG (%s)", gn_image_label(name), job.message);
    }
    png_set_read_fn(png, &job, png_read_cb);
    /* Text and other side chunks cannot ask for more than this. */
    png_set_chunk_malloc_max(png, 1u << 20);
    png_read_info(png, info);
    int w = (int)png_get_image_width(png, info), h = (int)png_get_image_height(png, info);
    int rc = gn_image_check_size(name, "PNG", w, h, o, err);
    if (rc) {
        png_destroy_read_struct(&png, &info, NULL);
        return rc;
    }
    /* Palette, low bit depths and 16 bits become 8-bit grey or RGB; alpha is
     * dropped, not composited, as Meta's reference hashers do. */
    png_set_expand(png);
    png_set_scale_16(png);
    png_set_strip_alpha(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int channels = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if ((channels != 1 && channels != 3) || rowbytes < (size_t)w * channels)
        png_error(png, "unexpected pixel layout");
    job.luma = gn_xmalloc((size_t)w * h * sizeof *job.luma);
    if (!job.luma) png_error(png, "out of memory");
    if (passes > 1) {
        job.rows = gn_xmalloc(rowbytes * h);
        job.ptrs = gn_xmalloc(sizeof *job.ptrs * h);
        if (!job.rows || !job.ptrs) png_error(png, "out of memory");
        for (int y = 0; y < h; y++)
            job.ptrs[y] = job.rows + rowbytes * y;
        png_read_image(png, job.ptrs);
        for (int y = 0; y < h; y++)
            gn_image_to_luma(job.ptrs[y], channels, (size_t)w, job.luma + (size_t)y * w);
    } else {
        job.row = gn_xmalloc(rowbytes);
        if (!job.row) png_error(png, "out of memory");
        for (int y = 0; y < h; y++) {
            png_read_row(png, job.row, NULL);
            gn_image_to_luma(job.row, channels, (size_t)w, job.luma + (size_t)y * w);
        }
    }
    png_destroy_read_struct(&png, &info, NULL);
    out->luma = job.luma;
    job.luma = NULL;
    png_job_free(&job);
    out->width = out->source_width = w;
    out->height = out->source_height = h;
    out->format = GN_IMAGE_PNG;
    return 0;
}
