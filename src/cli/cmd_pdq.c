/* `genuine pdq IMAGE...`: one line per image, `hex,quality,IMAGE`, as Meta's
 * reference hasher prints them. A file that cannot be hashed is named on
 * stderr and makes the exit status 1, after the others are hashed. IMAGE is a
 * CSV field (quoted when it holds a comma, a quote or a line break; a name a
 * spreadsheet would run, "=cmd|...", gets a leading apostrophe): the names of
 * uploaded photos are their uploaders' to choose. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/csv.h"
#include "media/pdq.h"

int gn_cmd_pdq(int argc, char **argv);

int gn_cmd_pdq(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--") == 0)
        first = 2;
    else if (argc > 1 && argv[1][0] == '-' && argv[1][1])
        return gn_cli_usage("pdq: unknown option %s (usage: genuine pdq IMAGE...)", argv[1]);
    if (first >= argc)
        return gn_cli_usage("pdq needs at least one image (usage: genuine pdq IMAGE...)");
    int status = GN_EXIT_OK;
    for (int i = first; i < argc; i++) {
        gn_pdq_hash hash;
        gn_error err;
        int quality;
        if (gn_pdq_hash_file(argv[i], NULL, &hash, &quality, &err)) {
            fprintf(stderr, "genuine: %s\n", err.message);
            status = GN_EXIT_FAIL;
            continue;
        }
        char hex[GN_PDQ_HEX_LEN + 1];
        gn_pdq_format(&hash, hex);
        gn_buf line = {0};
        gn_buf_printf(&line, "%s,%d,", hex, quality);
        gn_csv_put_field(&line, argv[i]);
        gn_buf_puts(&line, "\n");
        fputs(line.data, stdout);
        gn_buf_free(&line);
    }
    if (fflush(stdout) != 0) {
        perror("genuine: writing the hashes");
        status = GN_EXIT_FAIL;
    }
    return status;
}
