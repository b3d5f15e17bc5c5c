/*
 * gadfly/state.h - stateful properties: programs of commands checked
 * against a model, sequentially or on real threads.
 *
 * A state machine is a table of commands, each a call on the system under
 * test (the "sut") and the same operation on a model: a plain C struct
 * that says what the system should do.  gf_state_run draws a program of
 * commands, checks it against the model alone (preconditions hold at every
 * step), then runs it on a fresh system and compares every result with the
 * model's.  A failing program shrinks step by step and argument by
 * argument, and is printed as C calls that reproduce it:
 *
 *     struct kv *sut = kv_new();
 *     int v0 = kv_open(sut);
 *     kv_put(sut, v0, "a", 0);
 *     kv_get(sut, v0, "a"); // returned -1; the model expects 0
 *
 * gf_state_run_parallel runs a sequential prefix, then several branches at
 * once on real threads, records when each call started and returned, and
 * checks that the results could come from some order of the calls that
 * respects that timing (linearizability), with the same model.
 *
 * Results and handles.  A command returns an int64_t, or, with
 * `result_size` set, a value of any type the user chooses (a double, a
 * struct, a string copied into a fixed buffer) through next_value and
 * run_value.  A command with
 * `result_type` set returns a *handle* (a descriptor, an id): the program
 * binds it to a variable (v0, v1, ... in order), and later steps draw one of
 * the variables made so far with gf_state_draw_var.  The model only ever
 * sees variables, never the system's values; a command's `run` turns a
 * variable into the system's value with gf_state_value.  When shrinking
 * deletes the step that made a handle, later steps that drew it draw again
 * among what is left (another handle of the kind) or, if none is left,
 * become invalid and are redrawn or the case is rejected: the system never
 * sees an invalid program.
 */
#ifndef GADFLY_STATE_H
#define GADFLY_STATE_H

#include <gadfly.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A program's handle variable: 0 for v0, 1 for v1, ... */
typedef unsigned gf_state_var;
/** No variable: gf_state_draw_var found none of the kind. */
#define GF_STATE_NO_VAR ((gf_state_var)-1)

/** Steps, branches and ops a program may have at most. */
#define GF_STATE_MAX_STEPS 1000
#define GF_STATE_MAX_BRANCHES 8
#define GF_STATE_MAX_OPS 64 /**< parallel ops a history may have */

/** The program being drawn or run, as commands see it.  Opaque. */
typedef struct gf_state gf_state;

/** One command of a state machine.  Callbacks that are NULL take the
 * default given.  Callbacks other than `draw` never call back into
 * Gadfly's case (no draws, no assertions): `run` may run on a thread of its
 * own, and the rest run during checks that must not end the case. */
typedef struct gf_state_cmd {
    /** The function's name, for the report ("kv_put"). */
    const char *name;
    /** Bytes of this command's arguments (a struct of the user's); 0 for
     * none.  They live in the case's arena, zeroed before `draw`. */
    size_t args_size;
    /** Draw the arguments into args, from gf_state_case(st).  May look at
     * the model (read only) to draw values that matter, and calls
     * gf_state_draw_var for handles.  NULL: no arguments to draw. */
    void (*draw)(gf_state *st, const void *model, void *args);
    /** May the command run in this model state with these arguments?
     * NULL: always. */
    bool (*pre)(const void *model, const void *args);
    /** Advance the model and return the result the system must give.
     * `self` is the variable this step's result binds to (result_type set),
     * else GF_STATE_NO_VAR.  Deterministic: same model and arguments, same
     * result and next model. */
    int64_t (*next)(void *model, const void *args, gf_state_var self);
    /** Run the command on the system and return its result. */
    int64_t (*run)(const gf_state *st, void *sut, const void *args);
    /** Is `actual` right, when the model expects `expected`?  NULL: equal,
     * or always right for a command that returns a handle (the model cannot
     * know a descriptor's number). */
    bool (*check)(const void *args, int64_t expected, int64_t actual);
    /** Print the call as a C expression, without the `;`:
     * `kv_put(sut, v0, "a", 1)`.  Handle arguments print as `v%u`. */
    void (*print)(gf_printer *p, const void *args);
    /** Print a result as C (`-1`, `KV_NOT_FOUND`).  NULL: the integer. */
    void (*print_result)(gf_printer *p, int64_t result);
    /** Non-NULL: the result is a handle, and the program declares it as a
     * variable of this C type: `int v0 = kv_open(sut);`. */
    const char *result_type;
    /** The kind of handle the result is (a number of the user's, for
     * gf_state_draw_var); with result_type. */
    unsigned handle_kind;
    /** Relative chance of drawing this command (0 means 1). */
    unsigned weight;
    /*
     * Results of another type than int64_t.  With result_size (the bytes
     * of one result) set, next_value and run_value take the place of next
     * and run (which may then be NULL): each fills a zeroed buffer of
     * result_size bytes, `out`.  check_value compares the two buffers
     * (NULL: byte for byte, memcmp) and print_value prints one as C (NULL:
     * its bytes in hex).  Such a command cannot return a handle
     * (result_type must be NULL).  In a gf_state_op its `result` holds the
     * buffer's address, (int64_t)(intptr_t)buffer.
     */
    size_t result_size;
    void (*next_value)(void *model, const void *args, gf_state_var self,
                       void *out);
    void (*run_value)(const gf_state *st, void *sut, const void *args,
                      void *out);
    bool (*check_value)(const void *args, const void *expected,
                        const void *actual);
    void (*print_value)(gf_printer *p, const void *value);
} gf_state_cmd;

/** A property of the model and the system that holds after every step. */
typedef struct gf_state_invariant {
    const char *name;
    bool (*holds)(const void *model, void *sut);
} gf_state_invariant;

/** A state machine: commands, the model, and how to make the system. */
typedef struct gf_state_machine {
    const char *name;               /**< for span labels and messages */
    const gf_state_cmd *cmds;       /**< the commands; the first is the
                                         simplest (shrinking tends to it) */
    size_t ncmds;
    size_t model_size;              /**< bytes of the model struct */
    /** Set up a model (zeroed already).  NULL: the zeroed model. */
    void (*model_init)(void *model, void *env);
    /** Make a fresh system under test, and free it. */
    void *(*sut_new)(void *env);
    void (*sut_free)(void *sut, void *env);
    /** C lines printed before and after the program:
     * "struct kv *sut = kv_new();" and "kv_free(sut);" (may be NULL). */
    const char *setup;
    const char *teardown;
    const gf_state_invariant *invariants;
    size_t ninvariants;
    /** Can handle variable var still be used in this model state (it was
     * not closed, its open did not fail)?  gf_state_draw_var draws only
     * among live handles.  NULL: every handle made so far is live. */
    bool (*handle_live)(const void *model, gf_state_var var);
    /*
     * The linearizability check of gf_state_run_parallel keeps model
     * states to compare.  The defaults treat the model as flat bytes
     * (memcpy, memcmp, a hash of the bytes), which is right for a model
     * with no pointers whose padding is zero (models start zeroed and are
     * only copied).  A model with parts that do not matter (slots past a
     * count) gives hash and equal that ignore them.
     */
    void (*model_copy)(void *dst, const void *src);
    uint64_t (*model_hash)(const void *model);
    bool (*model_equal)(const void *a, const void *b);
    void *env;                      /**< passed to model_init, sut_* */
} gf_state_machine;

/** Settings for a program; zero means "default" everywhere. */
typedef struct gf_state_options {
    size_t max_steps;     /**< sequential steps, or the parallel prefix
                               (default 50; parallel prefix 5) */
    unsigned branches;    /**< parallel branches (default 2) */
    size_t branch_steps;  /**< steps per branch at most (default 4); the
                               check stays fast at branches * branch_steps
                               up to about 12, and GF_STATE_MAX_OPS bounds
                               it */
    unsigned repeat;      /**< times each parallel case runs (default 10);
                               a failure in any run fails the case */
} gf_state_options;

/**
 * In a property: draw a program of up to max_steps steps (0: 50) for
 * machine m, check it against the model, run it on a new system and fail
 * the case at the first result the model does not expect or invariant that
 * does not hold, with the program printed as C.  The system is freed
 * before the case ends, passing or failing, unless `run` itself fails the
 * case (prefer returning what went wrong as a result).  A machine that is
 * misused (no commands, a NULL callback that is required) fails the case
 * with a message saying what.
 */
GF_API void gf_state_run(gf_case *tc, const gf_state_machine *m,
                         size_t max_steps);

/** As gf_state_run with options (only max_steps is used). */
GF_API void gf_state_run_with(gf_case *tc, const gf_state_machine *m,
                              const gf_state_options *opt);

/**
 * In a property: draw a sequential prefix and opt->branches branches
 * (NULL: defaults), such that every interleaving of the branches satisfies
 * the preconditions.  Then, opt->repeat times: on a new system, run the
 * prefix (checking each result as gf_state_run does), start one thread per
 * branch together, record each call's start and return on a shared clock,
 * join them, and check that the history is linearizable with respect to the
 * model.  A failure says that it is nondeterministic, in which run it
 * happened, and shows the history as a timeline.  Invariants are checked
 * after the prefix steps only.  `run` is called on the branch threads at
 * the same time: it must not touch the case (no draws, no assertions).
 */
GF_API void gf_state_run_parallel(gf_case *tc, const gf_state_machine *m,
                                  const gf_state_options *opt);

/** The case a program is drawn from (for draw callbacks). */
GF_API gf_case *gf_state_case(const gf_state *st);

/**
 * In a draw callback: draw one of the handle variables of `kind` made so
 * far, visible here (in a parallel branch: those of the prefix and of this
 * branch) and live in the model (the machine's handle_live).  Shrinks
 * toward the oldest.  With none to draw, returns
 * GF_STATE_NO_VAR and the step is invalid (it is redrawn, or the case
 * rejected): a draw callback may just store the result.
 */
GF_API gf_state_var gf_state_draw_var(gf_state *st, unsigned kind);

/** In run: the system's value of a handle variable (what the step that
 * made it returned). */
GF_API int64_t gf_state_value(const gf_state *st, gf_state_var var);

/* ---- linearizability, on its own ----------------------------------- */

/** One completed call of a concurrent history. */
typedef struct gf_state_op {
    size_t cmd;           /**< index into the machine's cmds */
    const void *args;     /**< its arguments */
    int64_t result;       /**< what the system returned (for a command
                               with result_size, the address of the
                               value) */
    gf_state_var var;     /**< the variable its result binds to, or
                               GF_STATE_NO_VAR */
    uint64_t call, ret;   /**< when it started and returned: call < ret,
                               all timestamps distinct */
    unsigned thread;      /**< which thread made it (for printing) */
} gf_state_op;

/**
 * Is the history ops[0..n) linearizable: is there an order of all the ops,
 * with op a before op b whenever a returned before b started, that takes
 * the model from `model` (not modified) through every op with its
 * precondition holding and its result accepted by the command's check?
 * Searches Wing and Gong's way, remembering the (done set, model state)
 * pairs already explored.  If order is not NULL and the answer is yes, it
 * receives such an order (n indices into ops).
 * Returns 1 (linearizable), 0 (not), or -1 if n > GF_STATE_MAX_OPS or an
 * op names no command.
 */
GF_API int gf_state_linearizable(const gf_state_machine *m, const void *model,
                                 const gf_state_op *ops, size_t n,
                                 size_t *order);

/**
 * Print a history as a timeline: one column per thread, one row per event
 * in time order, a call where it starts, `|` while it runs, `-> result`
 * where it returns.  Returns a malloc'd string the caller frees.  A history
 * it cannot print (m NULL, ops NULL with n > 0, an op whose cmd is not a
 * command of m, or a command with no print function) gives instead a
 * one-line message, also malloc'd, that starts "gf_state_timeline: " and
 * names the bad op.
 */
GF_API char *gf_state_timeline(const gf_state_machine *m,
                               const gf_state_op *ops, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_STATE_H */
