/* `genuine pdq IMAGE...`: one line per image, `hex,quality,IMAGE`, as Meta's
 * reference hasher prints them. A file that cannot be hashed is named on
 * stderr and makes the exit status 1, after the others are hashed. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
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
        printf("%s,%d,%s\n", hex, quality, argv[i]);
    }
    if (fflush(stdout) != 0) {
        perror("genuine: writing the hashes");
        status = GN_EXIT_FAIL;
    }
    return status;
}
