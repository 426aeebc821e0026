/* passphrase.c - read passphrases from a file, a descriptor or the
 * terminal (echo off), into guarded memory. Never from argv. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

#define PASSPHRASE_MAX 1024

static int take_line(passphrase *out, int fd, const char *what)
{
    out->text = sodium_malloc(PASSPHRASE_MAX + 1);
    out->len = 0;
    if (out->text == NULL) {
        (void)fprintf(stderr, "leadvault: out of memory\n");
        return EXIT_ERROR;
    }
    /* Byte by byte, so nothing past the first line is consumed from a
     * shared descriptor. */
    for (;;) {
        char ch;
        ssize_t n = read(fd, &ch, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || ch == '\n')
            break;
        if (out->len == PASSPHRASE_MAX) {
            passphrase_free(out);
            (void)fprintf(stderr, "leadvault: passphrase from %s is longer than %d bytes\n", what,
                          PASSPHRASE_MAX);
            return EXIT_USAGE;
        }
        out->text[out->len++] = ch;
    }
    if (out->len > 0 && out->text[out->len - 1] == '\r')
        out->len--;
    out->text[out->len] = '\0';
    if (out->len == 0) {
        passphrase_free(out);
        (void)fprintf(stderr, "leadvault: the passphrase from %s is empty\n", what);
        return EXIT_USAGE;
    }
    return 0;
}

static int from_file(passphrase *out, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        (void)fprintf(stderr, "leadvault: cannot read passphrase file %s: %s\n", path,
                      strerror(errno));
        return EXIT_ERROR;
    }
    int rc = take_line(out, fd, "the passphrase file");
    close(fd);
    return rc;
}

static int from_terminal(passphrase *out, const char *prompt)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        (void)fprintf(stderr,
                      "leadvault: no terminal to ask for a passphrase; use --passphrase-file, "
                      "--passphrase-fd or LEADVAULT_PASSPHRASE_FILE\n");
        return EXIT_USAGE;
    }
    struct termios old, quiet;
    int have_termios = tcgetattr(fd, &old) == 0;
    if (have_termios) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    if (write(fd, prompt, strlen(prompt)) < 0) {
        /* the prompt is a courtesy; reading still works */
    }
    int rc = take_line(out, fd, "the terminal");
    if (have_termios)
        tcsetattr(fd, TCSAFLUSH, &old);
    if (write(fd, "\n", 1) < 0) {
        /* as above */
    }
    close(fd);
    return rc;
}

int passphrase_read(passphrase *out, const cli *c, const char *prompt)
{
    memset(out, 0, sizeof *out);
    if (c->passphrase_fd >= 0)
        return take_line(out, c->passphrase_fd, "the passphrase descriptor");
    if (c->passphrase_file != NULL)
        return from_file(out, c->passphrase_file);
    const char *env = getenv("LEADVAULT_PASSPHRASE_FILE");
    if (env != NULL && env[0] != '\0')
        return from_file(out, env);
    return from_terminal(out, prompt);
}

int passphrase_read_new(passphrase *out, const char *file, const char *prompt)
{
    memset(out, 0, sizeof *out);
    if (file != NULL)
        return from_file(out, file);
    int rc = from_terminal(out, prompt);
    if (rc != 0)
        return rc;
    passphrase again;
    if ((rc = from_terminal(&again, "Repeat the passphrase: ")) != 0) {
        passphrase_free(out);
        return rc;
    }
    int same = again.len == out->len && sodium_memcmp(again.text, out->text, out->len) == 0;
    passphrase_free(&again);
    if (!same) {
        passphrase_free(out);
        (void)fprintf(stderr, "leadvault: the passphrases do not match\n");
        return EXIT_USAGE;
    }
    return 0;
}

void passphrase_free(passphrase *p)
{
    if (p->text != NULL)
        sodium_free(p->text);
    p->text = NULL;
    p->len = 0;
}
