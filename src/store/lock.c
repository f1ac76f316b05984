/* The writer's lock of a store (lock.h). flock, not fcntl: its locks belong to
 * the open file, so two engines in one process exclude each other too, and the
 * kernel drops the lock when its holder dies (kill -9 leaves no stale lock,
 * only a file whose text the next holder writes over). */
#include "store/lock.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/error.h"

struct gn_store_lock {
    int fd;
};

/* This process's command line, arguments joined by spaces, control
 * characters shown as '?', so the holder's line reads as one line. */
static void own_command(char *out, size_t size)
{
    snprintf(out, size, "genuine");
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n = read(fd, out, size - 1);
    close(fd);
    if (n <= 0) {
        snprintf(out, size, "genuine");
        return;
    }
    while (n > 0 && out[n - 1] == 0)
        n--;
    for (ssize_t i = 0; i < n; i++)
        if (out[i] == 0)
            out[i] = ' ';
        else if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
            out[i] = '?';
    out[n] = 0;
}

int gn_store_lock_take(const char *path, gn_store_lock **out, gn_error *err)
{
    *out = NULL;
    /* PostgreSQL takes writers in turns itself (store/postgres.c) */
    if (!(path = gn_store_sqlite_path(path))) return 0;
    if (!*path || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) return 0;
    char name[4096];
    if ((size_t)snprintf(name, sizeof name, "%s.lock", path) >= sizeof name)
        return gn_fail(err, GN_ESTORE, "%s: the path is too long", path);
    int fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return gn_fail(err, GN_ESTORE, "%s: cannot open the writer's lock %s: %s", path, name,
                       strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int busy = errno == EWOULDBLOCK;
        char holder[600] = "";
        ssize_t n = busy ? pread(fd, holder, sizeof holder - 1, 0) : -1;
        close(fd);
        if (!busy)
            return gn_fail(err, GN_ESTORE, "%s: cannot lock %s: %s", path, name, strerror(errno));
        holder[n > 0 ? n : 0] = 0;
        holder[strcspn(holder, "\n")] = 0;
        return gn_fail(err, GN_ESTORE,
                       "%s is in use by another writer: %s. One process writes a store at a "
                       "time: stop it first (read-only commands such as decisions, show and "
                       "key list still work beside it)",
                       path, *holder ? holder : "a process that is starting");
    }
    char command[400], since[32], text[600];
    own_command(command, sizeof command);
    gn_time_format((int64_t)time(NULL) * 1000, since, sizeof since);
    int len =
        snprintf(text, sizeof text, "pid %ld (%s) since %s\n", (long)getpid(), command, since);
    if (len > (int)sizeof text - 1) len = (int)sizeof text - 1;
    if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)len, 0) != len) {
        /* The lock holds without its text; a refused writer then says less. */
    }
    gn_store_lock *lock = gn_xmalloc(sizeof *lock);
    lock->fd = fd;
    *out = lock;
    return 0;
}

void gn_store_lock_release(gn_store_lock *lock)
{
    if (!lock) return;
    /* The file stays: removing it would race a writer that opened it already
     * and is waiting for the lock on the old file. */
    if (ftruncate(lock->fd, 0) != 0) {
    }
    close(lock->fd);
    free(lock);
}
