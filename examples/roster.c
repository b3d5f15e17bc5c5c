/*
 * roster.c - a hash table whose delete breaks the probe chain.
 *
 * The roster maps badge numbers to names in an open-addressing table of 8
 * slots with linear probing: badges 0..63 are handed out eight to a team,
 * and a badge goes to its team's slot (badge / 8), or the next free slot
 * after it.  Lookup starts at the same slot and walks on until it finds
 * the badge or an empty slot.  roster_remove() empties the badge's slot
 * outright.  When another badge had probed past that slot (two badges of
 * one team), the walk for it now stops at the hole, and the badge is lost
 * although it is still in the table.  The textbook fix, in
 * roster_remove_fixed(), is a tombstone: a deleted slot that lookups walk
 * past and inserts may reuse.
 *
 * Tests that insert a handful of badges and delete one pass unless two of
 * them are teammates.  The property draws the roster as a map with distinct
 * keys (gf_dict), so a badge is never inserted twice and every key must
 * be found again, then removes the first badge and looks up the others.
 * The same property over the fixed remove holds.
 *
 * Minimal counterexample (what the shrinker should print):
 *     entries = {{0, ""}, {1, ""}}
 * Two badges of one team, the simplest names: remove 0 and badge 1 is
 * lost.
 *
 * Run: examples/roster [--seed N] [--help]
 */
#include <stdint.h>
#include <string.h>

#include <gadfly.h>

#define SLOTS 8
#define TEAM 8 /* badges per team */

static int home_slot(int32_t badge)
{
    return (int)(badge / TEAM % SLOTS);
}

typedef struct roster {
    bool used[SLOTS];
    bool deleted[SLOTS]; /* tombstones (the fixed remove only) */
    int32_t badge[SLOTS];
    const char *name[SLOTS];
} roster;

/* The slot holding badge, or -1.  A walk ends at an empty slot and goes
 * on past a tombstone. */
static int roster_find(const roster *r, int32_t badge)
{
    for (int i = 0; i < SLOTS; i++) {
        int slot = (home_slot(badge) + i) % SLOTS;
        if (!r->used[slot] && !r->deleted[slot])
            return -1;
        if (r->used[slot] && r->badge[slot] == badge)
            return slot;
    }
    return -1;
}

/* Returns false if the table is full. */
static bool roster_add(roster *r, int32_t badge, const char *name)
{
    for (int i = 0; i < SLOTS; i++) {
        int slot = (home_slot(badge) + i) % SLOTS;
        if (!r->used[slot]) {
            r->used[slot] = true;
            r->deleted[slot] = false;
            r->badge[slot] = badge;
            r->name[slot] = name;
            return true;
        }
    }
    return false;
}

/* The bug: the slot becomes empty, and a badge placed after it by probing
 * can no longer be reached. */
static void roster_remove(roster *r, int32_t badge)
{
    int slot = roster_find(r, badge);
    if (slot >= 0)
        r->used[slot] = false;
}

static void roster_remove_fixed(roster *r, int32_t badge)
{
    int slot = roster_find(r, badge);
    if (slot >= 0) {
        r->used[slot] = false;
        r->deleted[slot] = true;
    }
}

/* One roster entry, as gf_dict lays its pairs out. */
typedef struct entry {
    int32_t badge;
    const char *name;
} entry;

static void check_remove(gf_case *tc, void (*remove)(roster *, int32_t))
{
    const gf_gen *entries = gf_dict(gf_int32_in(0, 63),
                                    gf_string_from(GF_CHARS_LOWER, 0, 6),
                                    1, SLOTS);
    const gf_array_value *v = gf_draw_named(tc, entries, "entries");
    const entry *e = v->items;
    roster r;
    memset(&r, 0, sizeof r);
    for (size_t i = 0; i < v->len; i++)
        GF_ASSERT(tc, roster_add(&r, e[i].badge, e[i].name));
    remove(&r, e[0].badge);
    GF_ASSERT(tc, roster_find(&r, e[0].badge) < 0);
    for (size_t i = 1; i < v->len; i++) {
        int slot = roster_find(&r, e[i].badge);
        GF_ASSERT(tc, slot >= 0 && strcmp(r.name[slot], e[i].name) == 0);
    }
}

GF_PROPERTY(remove_keeps_the_others)
{
    check_remove(tc, roster_remove);
}

GF_PROPERTY(remove_fixed_keeps_the_others)
{
    check_remove(tc, roster_remove_fixed);
}

GF_MAIN()
