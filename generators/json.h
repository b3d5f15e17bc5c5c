/*
 * json.h - what the payload generators share inside the library.
 */
#ifndef GF_GEN_JSON_H
#define GF_GEN_JSON_H

#include <stdbool.h>

#include <gadfly/gen.h>

/* Whether g is a gf_json_tree() generator (whose value is a tree, not text). */
bool json_is_tree_generator(const gf_gen *g);

#endif /* GF_GEN_JSON_H */
