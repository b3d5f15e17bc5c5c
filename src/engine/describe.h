/*
 * describe.h - the origin and message of a case's death (describe.c).
 */
#ifndef GF_DESCRIBE_H
#define GF_DESCRIBE_H

#include <stddef.h>

#include "core/internal.h"

/* By signal sig ("crash (SIGSEGV)", "killed (SIGKILL)"), and by exit
 * status ("exit(3)"), into origin (ocap bytes) and message (mcap). */
GF_INTERNAL void describe_signal(int sig, char *origin, size_t ocap,
                                 char *message, size_t mcap);
GF_INTERNAL void describe_exit(int status, char *origin, size_t ocap,
                               char *message, size_t mcap);

#endif /* GF_DESCRIBE_H */
