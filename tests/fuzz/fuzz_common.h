/* fuzz_common.h - shared by the libFuzzer targets: the fixed public key
 * text of the seed vault (tests/fuzz/corpus was produced with it), a
 * scratch vault for the import readers, and a scratch file. */
#ifndef LV_FUZZ_COMMON_H
#define LV_FUZZ_COMMON_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leadvault.h"

/* `leadvault audit pubkey` of the vault that produced the receipt,
 * checkpoint and audit export seeds. */
static const char FUZZ_PUBKEY_TEXT[] =
    "leadvault-audit-pubkey 0acbb847a8a43f7c8b37e6d558ff2603\n"
    "QI2EI++WDiewZCsGsMDBUdkv1ajhqcgRx8pjVSyYfdM=\n";

static char fuzz_dir[256];

/* A private directory under $TMPDIR (or /tmp), removed at exit. */
static inline void fuzz_dir_remove(void)
{
    if (fuzz_dir[0] == '\0')
        return;
    DIR *d = opendir(fuzz_dir);
    if (d != NULL) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", fuzz_dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(fuzz_dir);
    fuzz_dir[0] = '\0';
}

static inline const char *fuzz_dir_make(void)
{
    if (fuzz_dir[0] != '\0')
        return fuzz_dir;
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/lvfuzz.XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(fuzz_dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
    atexit(fuzz_dir_remove);
    return fuzz_dir;
}

#endif
