/*
 * wire.h - results over a pipe between processes (wire.c): counts, then
 * length-prefixed strings.
 */
#ifndef GF_WIRE_H
#define GF_WIRE_H

#include "core/internal.h"

GF_INTERNAL void wire_put_all(int fd, const void *p, size_t n);
GF_INTERNAL void wire_put_string(int fd, const char *s);
GF_INTERNAL void wire_send_result(int fd, gf_status st, const gf_result *r);
GF_INTERNAL bool wire_get_all(int fd, void *p, size_t n);
GF_INTERNAL bool wire_get_string(int fd, char **out);
GF_INTERNAL bool wire_receive_result(int fd, gf_status *st, gf_result *r);

#endif /* GF_WIRE_H */
