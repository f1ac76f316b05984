/* genuine serve: the HTTP API over the store until SIGINT or SIGTERM. Each
 * request commits its own events, so stopping leaves nothing pending. Notice
 * deadlines run on the wall clock unless --no-clock (replays, tests). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/console.h"
#include "http/server.h"
#include "media/photos.h"

#define SERVE_USAGE                                                                                \
    "usage: genuine serve [--db PATH] [--config PATH] [--listen HOST:PORT] [--no-auth] "           \
    "[--max-body BYTES] [--max-inflight BYTES] [--max-client-connections N] "                      \
    "[--train-every HOURS] [--no-clock] [--clock-lag SECONDS] [--policy FILE] [--image-dir DIR] "  \
    "[--ui-dir DIR] [--claim-seconds SECONDS]"

int gn_cmd_serve(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    gn_console console = {gn_console_files, gn_console_n_files, NULL};
    gn_http_options http = {.train_hours = 24, .console = &console};
    const char *image_dir = NULL; /* where a platform's `path` photos may be read */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
            http.listen = argv[++i];
        } else if (strcmp(argv[i], "--image-dir") == 0 && i + 1 < argc) {
            image_dir = argv[++i];
        } else if (strcmp(argv[i], "--claim-seconds") == 0 && i + 1 < argc) {
            char *end;
            http.claim_seconds = strtod(argv[++i], &end);
            if (*end || !(http.claim_seconds > 0) || http.claim_seconds > 86400)
                return gn_cli_usage("--claim-seconds '%s': expected a number of seconds, 0-86400",
                                    argv[i]);
        } else if (strcmp(argv[i], "--ui-dir") == 0 && i + 1 < argc) {
            console.dir = argv[++i]; /* the console's files from a folder, for developing it */
        } else if (strcmp(argv[i], "--no-auth") == 0) {
            http.no_auth = 1;
        } else if (strcmp(argv[i], "--no-clock") == 0) {
            http.no_clock = 1;
        } else if (strcmp(argv[i], "--clock-lag") == 0 && i + 1 < argc) {
            char *end;
            http.clock_lag = strtod(argv[++i], &end);
            if (*end || !(http.clock_lag >= 0))
                return gn_cli_usage("--clock-lag '%s': expected a number of seconds", argv[i]);
        } else if (strcmp(argv[i], "--train-every") == 0 && i + 1 < argc) {
            char *end;
            http.train_hours = strtod(argv[++i], &end);
            if (*end || !(http.train_hours >= 0))
                return gn_cli_usage("--train-every '%s': expected a number of hours", argv[i]);
        } else if (strcmp(argv[i], "--max-body") == 0 && i + 1 < argc) {
            char *end;
            unsigned long long n = strtoull(argv[++i], &end, 10);
            if (*end || n == 0 || argv[i][0] == '-')
                return gn_cli_usage("--max-body '%s': expected a number of bytes above 0", argv[i]);
            http.max_body = (size_t)n;
        } else if (strcmp(argv[i], "--max-inflight") == 0 && i + 1 < argc) {
            char *end;
            unsigned long long n = strtoull(argv[++i], &end, 10);
            if (*end || n == 0 || argv[i][0] == '-')
                return gn_cli_usage("--max-inflight '%s': expected a number of bytes above 0",
                                    argv[i]);
            http.max_inflight = (size_t)n;
        } else if (strcmp(argv[i], "--max-client-connections") == 0 && i + 1 < argc) {
            char *end;
            unsigned long n = strtoul(argv[++i], &end, 10);
            if (*end || n == 0 || n > 100000 || argv[i][0] == '-')
                return gn_cli_usage("--max-client-connections '%s': expected a number 1-100000",
                                    argv[i]);
            http.max_client_connections = (unsigned)n;
        } else if (strcmp(argv[i], "--help") == 0) {
            puts(SERVE_USAGE);
            return GN_EXIT_OK;
        } else {
            return gn_cli_usage("serve: unexpected argument '%s'\n%s", argv[i], SERVE_USAGE);
        }
    }
    gn_error err;
    if (gn_http_check_options(&http, &err)) return gn_cli_usage("%s", err.message);
    gn_photos photos;
    if (gn_cli_photos_open(&opts, image_dir, &photos)) return GN_EXIT_FAIL;
    http.photos = &photos;
    gn_engine *e = gn_cli_open(&opts, 0);
    if (!e) {
        gn_photos_close(&photos);
        return GN_EXIT_FAIL;
    }
    int rc = gn_http_serve(e, &http, &err);
    gn_photos_close(&photos);
    if (rc) fprintf(stderr, "genuine: %s\n", err.message);
    gn_engine_close(e);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}
