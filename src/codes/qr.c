/* A code as a QR code image, to print on the unit's label: SVG (one path,
 * scales to any size) or PNG (1-bit, scale pixels a module), made with
 * Debian's libqrencode at error correction level M (15% of the symbol may
 * be scuffed) with the standard quiet zone of four modules. */
#include <errno.h>
#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/codes.h"
#include "core/alloc.h"
#include "core/error.h"

#define QUIET 4

static int write_svg(const QRcode *qr, FILE *f)
{
    int size = qr->width + 2 * QUIET;
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
            "shape-rendering=\"crispEdges\">\n<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
            "<path fill=\"#000\" d=\"",
            size, size, size, size);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++) {
            if (!(qr->data[y * qr->width + x] & 1)) continue;
            int run = 1; /* a row's dark modules side by side are one rectangle */
            while (x + run < qr->width && (qr->data[y * qr->width + x + run] & 1))
                run++;
            fprintf(f, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
            x += run - 1;
        }
    fputs("\"/>\n</svg>\n", f);
    return 0;
}

static int write_png(const QRcode *qr, int scale, FILE *f, const char *path, gn_error *err)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return gn_fail(err, GN_ENOMEM, "out of memory");
    }
    int size = (qr->width + 2 * QUIET) * scale;
    unsigned char *row = gn_xmalloc((size_t)(size + 7) / 8);
    if (setjmp(png_jmpbuf(png))) {
        free(row);
        png_destroy_write_struct(&png, &info);
        return gn_fail(err, GN_ESTORE, "%s: cannot write the PNG", path);
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)size, (png_uint_32)size, 1, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int py = 0; py < size; py++) {
        memset(row, 0xff, (size_t)(size + 7) / 8); /* white; a dark module clears its bits */
        int y = py / scale - QUIET;
        for (int px = 0; px < size; px++) {
            int x = px / scale - QUIET;
            if (y >= 0 && y < qr->width && x >= 0 && x < qr->width &&
                (qr->data[y * qr->width + x] & 1))
                row[px / 8] &= (unsigned char)~(0x80 >> (px % 8));
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return 0;
}

int gn_qr_write(const char *text, gn_qr_format format, int scale, const char *path, gn_error *err)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return gn_fail(err, GN_EINPUT, "a QR code cannot hold '%.60s'", text);
    FILE *f = fopen(path, "wb");
    if (!f) {
        QRcode_free(qr);
        return gn_fail(err, GN_ESTORE, "%s: cannot create (%s)", path, strerror(errno));
    }
    int rc =
        format == GN_QR_PNG ? write_png(qr, scale < 1 ? 1 : scale, f, path, err) : write_svg(qr, f);
    QRcode_free(qr);
    if (fclose(f) != 0 && !rc) rc = gn_fail(err, GN_ESTORE, "%s: cannot write", path);
    return rc;
}
