/*
 * ffi.c - typed properties: call a plain C function with generated
 * arguments through libffi (gf_call_fn), and check one now (gf_check_fn_).
 *
 * The generators say how each argument is passed (gf_value_kind): numbers
 * by value at their own width, everything else as the pointer gf_draw
 * gives.  Preparing a libffi call interface costs more than a small
 * property, so interfaces are kept in a bounded, lock-free, process-wide
 * table keyed by the call's shape; a shape that does not fit is prepared on
 * the case arena instead.  Per-case data lives on the arena: nothing here
 * mallocs per case, and nothing here may crash on bad input.
 */
#include <errno.h> /* program_invocation_name, for the replay line */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <ffi.h>

#include "core/internal.h"
#include "engine/run.h"

/* The most arguments a typed function may take. */
#define MAX_ARGS 16

/* Cached call shapes; more distinct shapes than this in one process fall
 * back to preparing per call, so the table never grows. */
#define CIF_SLOTS 64

/* The report names argument i "arg<i+1>". */
static const char *const arg_names[MAX_ARGS] = {
    "arg1",  "arg2",  "arg3",  "arg4",  "arg5",  "arg6",  "arg7",  "arg8",
    "arg9",  "arg10", "arg11", "arg12", "arg13", "arg14", "arg15", "arg16",
};

/* ---- how each argument is passed ---------------------------------------- */

static bool kind_is_number(gf_value_kind kind)
{
    return kind >= GF_VALUE_I8 && kind <= GF_VALUE_DOUBLE;
}

/* Bytes a number kind occupies; 0 for kinds passed as pointers. */
static size_t number_size(gf_value_kind kind)
{
    switch (kind) {
    case GF_VALUE_I8: case GF_VALUE_U8: return 1;
    case GF_VALUE_I16: case GF_VALUE_U16: return 2;
    case GF_VALUE_I32: case GF_VALUE_U32: return 4;
    case GF_VALUE_I64: case GF_VALUE_U64: return 8;
    case GF_VALUE_BOOL: return sizeof(bool);
    case GF_VALUE_FLOAT: return sizeof(float);
    case GF_VALUE_DOUBLE: return sizeof(double);
    default: return 0;
    }
}

/* The libffi type an argument of this kind is passed as.  C's bool is one
 * unsigned byte in every ABI libffi supports. */
static ffi_type *kind_type(gf_value_kind kind)
{
    switch (kind) {
    case GF_VALUE_I8: return &ffi_type_sint8;
    case GF_VALUE_I16: return &ffi_type_sint16;
    case GF_VALUE_I32: return &ffi_type_sint32;
    case GF_VALUE_I64: return &ffi_type_sint64;
    case GF_VALUE_U8: case GF_VALUE_BOOL: return &ffi_type_uint8;
    case GF_VALUE_U16: return &ffi_type_uint16;
    case GF_VALUE_U32: return &ffi_type_uint32;
    case GF_VALUE_U64: return &ffi_type_uint64;
    case GF_VALUE_FLOAT: return &ffi_type_float;
    case GF_VALUE_DOUBLE: return &ffi_type_double;
    default: return &ffi_type_pointer;
    }
}

static ffi_type *ret_type(gf_ret ret)
{
    switch (ret) {
    case GF_RET_BOOL: return &ffi_type_uint8;
    case GF_RET_INT: return &ffi_type_sint;
    default: return &ffi_type_void;
    }
}

/* ---- checking a call before making it ----------------------------------- */

/* Why generator g cannot be an argument, or NULL. */
static const char *gen_problem(const gf_gen *g)
{
    if ((unsigned)g->kind > (unsigned)GF_VALUE_POINTER)
        return "unknown value kind";
    if (kind_is_number(g->kind) && (g->flags & GF_GEN_POINTER_VALUE))
        return "a number kind with a pointer value";
    if (kind_is_number(g->kind) && g->size != number_size(g->kind))
        return "value size does not match its number kind";
    if (g->kind == GF_VALUE_POINTER && !(g->flags & GF_GEN_POINTER_VALUE) &&
        g->size != sizeof(void *))
        return "pointer kind with a value that is not pointer-sized";
    return NULL;
}

/* Why the call as a whole cannot be made, or NULL; counts the arguments.
 * A NULL generator ends the list (the list is NULL-terminated), so only a
 * NULL first generator can be told from the end: it reads as no list. */
static const char *call_problem(gf_any_fn fn, gf_ret ret,
                                const gf_gen *const *gens, size_t *nargs)
{
    *nargs = 0;
    if (!fn)
        return "the function is NULL";
    if (ret != GF_RET_BOOL && ret != GF_RET_INT && ret != GF_RET_VOID)
        return "the return kind is not GF_RET_BOOL, GF_RET_INT or "
               "GF_RET_VOID";
    if (!gens || !gens[0])
        return "no generators: the list is empty or its first generator "
               "is NULL";
    size_t n = 0;
    while (n <= MAX_ARGS && gens[n])
        n++;
    if (n > MAX_ARGS)
        return "more than 16 arguments";
    *nargs = n;
    return NULL;
}

static const char *name_or_default(const char *fn_name)
{
    return fn_name ? fn_name : "(unnamed function)";
}

/* Fail the case for a call that cannot be made, as generators report
 * their misuse: origin "misuse", so the report says what to fix rather
 * than where an assertion failed. */
static GF_NORETURN void call_misuse(gf_case *tc, const char *fn_name,
                                    const char *problem)
{
    case_set_failure(tc, xstrdup("misuse"),
                     xasprintf("gf_call_fn(%s): %s", name_or_default(fn_name),
                               problem));
    case_escape(tc);
}

/* ---- call interfaces ---------------------------------------------------- */

/* The shape of a call: everything ffi_prep_cif depends on.  Kinds that pass
 * the same way share a shape (bool with uint8, every pointer kind). */
typedef struct cif_key {
    uint8_t ret;
    uint8_t nargs;
    uint8_t types[MAX_ARGS]; /* gf_value_kind of each argument's type */
} cif_key;

static gf_value_kind canonical_kind(gf_value_kind kind)
{
    if (kind == GF_VALUE_BOOL)
        return GF_VALUE_U8;
    if (!kind_is_number(kind))
        return GF_VALUE_POINTER;
    return kind;
}

static void cif_key_make(cif_key *key, gf_ret ret, const gf_gen *const *gens,
                         size_t nargs)
{
    memset(key, 0, sizeof *key); /* unused types compare equal */
    key->ret = (uint8_t)ret;
    key->nargs = (uint8_t)nargs;
    for (size_t i = 0; i < nargs; i++)
        key->types[i] = (uint8_t)canonical_kind(gens[i]->kind);
}

static size_t cif_key_hash(const cif_key *key)
{
    size_t h = 2166136261u; /* FNV-1a: tiny keys, no need for XXH3 */
    const uint8_t *b = (const uint8_t *)key;
    for (size_t i = 0; i < sizeof *key; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

/* A prepared interface with the type list it points to. */
typedef struct prepared_cif {
    ffi_cif cif;
    ffi_type *types[MAX_ARGS];
} prepared_cif;

static bool cif_prepare(prepared_cif *pc, const cif_key *key)
{
    for (size_t i = 0; i < key->nargs; i++)
        pc->types[i] = kind_type((gf_value_kind)key->types[i]);
    return ffi_prep_cif(&pc->cif, FFI_DEFAULT_ABI, key->nargs,
                        ret_type((gf_ret)key->ret), pc->types) == FFI_OK;
}

enum { SLOT_EMPTY, SLOT_FILLING, SLOT_READY };

/* A slot is claimed by one thread (EMPTY -> FILLING), filled, then
 * published (READY) and never changed again, so readers need no lock.  A
 * thread that meets a slot being filled probes on, so a shape may be cached
 * twice (harmless), and a fork in the middle of a fill leaves at worst one
 * unused slot. */
typedef struct cif_slot {
    atomic_uint state;
    cif_key key;
    prepared_cif pc;
} cif_slot;

static cif_slot cif_cache[CIF_SLOTS];

/* Claim an empty slot for key and prepare it; NULL if the slot was taken
 * first or libffi refused. */
static ffi_cif *cif_fill(cif_slot *s, const cif_key *key)
{
    unsigned expected = SLOT_EMPTY;
    if (!atomic_compare_exchange_strong_explicit(
            &s->state, &expected, SLOT_FILLING, memory_order_acquire,
            memory_order_relaxed))
        return NULL;
    s->key = *key;
    if (!cif_prepare(&s->pc, key)) {
        atomic_store_explicit(&s->state, SLOT_EMPTY, memory_order_release);
        return NULL;
    }
    atomic_store_explicit(&s->state, SLOT_READY, memory_order_release);
    return &s->pc.cif;
}

/* The cached interface for key, preparing it in a free slot; NULL when the
 * table is full. */
static ffi_cif *cif_cached(const cif_key *key)
{
    size_t start = cif_key_hash(key) % CIF_SLOTS;
    for (size_t i = 0; i < CIF_SLOTS; i++) {
        cif_slot *s = &cif_cache[(start + i) % CIF_SLOTS];
        unsigned state =
            atomic_load_explicit(&s->state, memory_order_acquire);
        if (state == SLOT_EMPTY) {
            ffi_cif *cif = cif_fill(s, key);
            if (cif)
                return cif;
            state = atomic_load_explicit(&s->state, memory_order_acquire);
        }
        if (state == SLOT_READY && memcmp(&s->key, key, sizeof *key) == 0)
            return &s->pc.cif;
    }
    return NULL;
}

/* The interface for key: cached, or else prepared on the case arena. */
static ffi_cif *cif_for(gf_case *tc, const char *fn_name, const cif_key *key)
{
    ffi_cif *cif = cif_cached(key);
    if (cif)
        return cif;
    prepared_cif *pc = gf_alloc(tc, sizeof *pc);
    if (!cif_prepare(pc, key))
        call_misuse(tc, fn_name, "libffi could not prepare the call");
    return &pc->cif;
}

/* ---- making the call ---------------------------------------------------- */

/* One call's arguments: avalues[i] points at argument i; arguments passed
 * as pointers are stored in ptrs so that avalues can point at them. */
typedef struct call_frame {
    void *avalues[MAX_ARGS];
    void *ptrs[MAX_ARGS];
} call_frame;

/* Draw argument i from g and point frame->avalues[i] at what is passed. */
static void draw_arg(gf_case *tc, call_frame *frame, size_t i,
                     const gf_gen *g)
{
    void *value = gf_draw_named(tc, g, arg_names[i]);
    if (kind_is_number(g->kind)) {
        frame->avalues[i] = value; /* the value itself, in the arena */
        return;
    }
    /* A pointer kind stored in place (not handed out by gf_draw) is read
     * from its slot; every other value goes as gf_draw gave it. */
    if (g->kind == GF_VALUE_POINTER && !(g->flags & GF_GEN_POINTER_VALUE))
        memcpy(&frame->ptrs[i], value, sizeof(void *));
    else
        frame->ptrs[i] = value;
    frame->avalues[i] = &frame->ptrs[i];
}

/* "arg1, arg2, ..." for nargs arguments, in the arena. */
static char *arg_list(gf_case *tc, size_t nargs)
{
    char *s = gf_alloc(tc, MAX_ARGS * sizeof "arg16, ");
    size_t len = 0;
    for (size_t i = 0; i < nargs; i++) {
        size_t n = strlen(arg_names[i]);
        if (i) {
            memcpy(s + len, ", ", 2);
            len += 2;
        }
        memcpy(s + len, arg_names[i], n);
        len += n;
    }
    s[len] = '\0';
    return s;
}

/* Whether the call's result says the property held.  libffi widens integral
 * results narrower than a register to a full ffi_arg; the value is in its
 * low bits, which conversion to the unsigned type of the same width keeps. */
static bool call_held(gf_ret ret, const ffi_arg *result)
{
    switch (ret) {
    case GF_RET_BOOL: return (unsigned char)*result != 0;
    case GF_RET_INT: return (unsigned int)*result != 0;
    default: return true;
    }
}

void gf_call_fn(gf_case *tc, const char *fn_name, gf_any_fn fn, gf_ret ret,
                const gf_gen *const *gens)
{
    if (!tc)
        tc = gf_current();
    if (!tc) {
        fprintf(stderr, "gadfly: gf_call_fn(%s) called outside a property; "
                        "call it from a property's body\n",
                name_or_default(fn_name));
        return;
    }
    size_t nargs;
    const char *problem = call_problem(fn, ret, gens, &nargs);
    if (problem)
        call_misuse(tc, fn_name, problem);
    for (size_t i = 0; i < nargs; i++) {
        problem = gen_problem(gens[i]);
        if (problem)
            gf_gen_misuse(tc, gens[i], "argument %zu of %s: %s", i + 1,
                          name_or_default(fn_name), problem);
    }

    cif_key key;
    cif_key_make(&key, ret, gens, nargs);
    ffi_cif *cif = cif_for(tc, fn_name, &key);
    call_frame *frame = gf_alloc(tc, sizeof *frame);
    for (size_t i = 0; i < nargs; i++)
        draw_arg(tc, frame, i, gens[i]);

    ffi_arg result = 0;
    ffi_call(cif, fn, &result, frame->avalues);
    /* No assertion line to point at: the origin is the function itself,
     * "name()", one origin per function for the shrinker to keep. */
    if (!call_held(ret, &result)) {
        const char *name = name_or_default(fn_name);
        case_set_failure(tc, xasprintf("%s()", name),
                         xasprintf("%s(%s) returned %s", name,
                                   arg_list(tc, nargs),
                                   ret == GF_RET_BOOL ? "false" : "0"));
        case_escape(tc);
    }
}

/* ---- checking a function now -------------------------------------------- */

/* What a gf_check_fn_ property calls; the property function reaches it
 * through a libffi closure, so that checks need no global state and may
 * run on several threads, or nest. */
typedef struct typed_check {
    const char *fn_name;
    gf_any_fn fn;
    gf_ret ret;
    const gf_gen *const *gens;
} typed_check;

static void typed_check_trampoline(ffi_cif *cif, void *ret, void **args,
                                   void *env)
{
    (void)cif;
    (void)ret;
    const typed_check *check = env;
    gf_case *tc = *(gf_case **)args[0];
    gf_call_fn(tc, check->fn_name, check->fn, check->ret, check->gens);
}

/* A gf_property_fn bound to check, or NULL; *closure is freed by the
 * caller with ffi_closure_free once the run is over. */
static gf_property_fn bind_check(typed_check *check, ffi_cif *cif,
                                 ffi_type **arg_types, ffi_closure **closure)
{
    void *code = NULL;
    arg_types[0] = &ffi_type_pointer;
    *closure = ffi_closure_alloc(sizeof(ffi_closure), &code);
    if (!*closure)
        return NULL;
    if (ffi_prep_cif(cif, FFI_DEFAULT_ABI, 1, &ffi_type_void, arg_types) !=
            FFI_OK ||
        ffi_prep_closure_loc(*closure, cif, typed_check_trampoline, check,
                             code) != FFI_OK) {
        ffi_closure_free(*closure);
        *closure = NULL;
        return NULL;
    }
    /* ISO C has no cast from an object pointer to a function pointer;
     * libffi's executable address is one, so copy its representation. */
    gf_property_fn fn;
    _Static_assert(sizeof fn == sizeof code, "function pointer size");
    memcpy(&fn, &code, sizeof fn);
    return fn;
}

/* Print why a check cannot run; returns the usage exit code.  g and arg
 * name the argument at fault, if one is. */
static int check_usage(const char *fn_name, const gf_gen *g, size_t arg,
                       const char *problem)
{
    if (g)
        fprintf(stderr, "gadfly: gf_check_fn(%s): argument %zu, generator "
                        "%s: %s\n",
                name_or_default(fn_name), arg, gf_gen_name(g), problem);
    else
        fprintf(stderr, "gadfly: gf_check_fn(%s): %s\n",
                name_or_default(fn_name), problem);
    return 2;
}

static int status_exit_code(gf_status status)
{
    switch (status) {
    case GF_PASSED: return 0;
    case GF_FAILED: case GF_GAVE_UP: return 1;
    default: return 3;
    }
}

/* Whether GF_REPLAY (in opt) holds a case of another property, so that
 * this check should not run: as with gf_main's --replay, only the property
 * the token belongs to runs.  -1 when the token is malformed. */
static int replay_is_elsewhere(const char *name, const gf_options *opt)
{
    uint32_t hash;
    buffer b;
    buffer_init(&b);
    const char *err = NULL;
    bool ok = token_parse(opt->replay, &hash, &b, &err);
    buffer_free(&b);
    if (!ok) {
        fprintf(stderr, "gadfly: gf_check_fn(%s): GF_REPLAY: bad replay "
                        "token: %s\n", name, err ? err : "unreadable");
        return -1;
    }
    return hash != token_name_hash(name);
}

/* Print the run's report.  The engine ends a failure with "  replay:
 * <program> --replay <token>", the command line of a GF_MAIN binary; a
 * program calling gf_check_fn takes the token in GF_REPLAY instead. */
static void print_report(FILE *out, const gf_result *res)
{
    const char *report = res->report;
    if (!report)
        return;
    size_t len = strlen(report);
    const char *last = len ? report + len - 1 : report;
    while (last > report && last[-1] != '\n')
        last--;
    if (res->replay && strncmp(last, "  replay: ", 10) == 0)
        fprintf(out, "%.*s  replay: GF_REPLAY=%s %s\n",
                (int)(last - report), report, res->replay,
                program_invocation_name);
    else
        fputs(report, out);
    fflush(out);
}

/* Run the check's property with a closure as its function; returns the
 * exit code. */
static int run_check(typed_check *check, gf_options *opt)
{
    ffi_cif cif;
    ffi_type *arg_types[1];
    ffi_closure *closure;
    gf_property prop = {check->fn_name, NULL, check->fn_name, 0, NULL};
    prop.fn = bind_check(check, &cif, arg_types, &closure);
    if (!prop.fn) {
        fprintf(stderr, "gadfly: gf_check_fn(%s): libffi could not make a "
                        "closure (is executable memory forbidden here?)\n",
                check->fn_name);
        return 3;
    }
    FILE *out = opt->out ? opt->out : stderr;
    opt->quiet = true; /* the report is printed here, with its replay line */
    gf_result res;
    gf_status status = gf_run(&prop, opt, &res);
    ffi_closure_free(closure);
    print_report(out, &res);
    gf_result_free(&res);
    return status_exit_code(status);
}

int gf_check_fn_(const char *fn_name, gf_any_fn fn, gf_ret ret,
                 const gf_gen *const *gens)
{
    size_t nargs;
    const char *problem = call_problem(fn, ret, gens, &nargs);
    if (problem)
        return check_usage(fn_name, NULL, 0, problem);
    for (size_t i = 0; i < nargs; i++) {
        problem = gen_problem(gens[i]);
        if (problem)
            return check_usage(fn_name, gens[i], i + 1, problem);
    }
    gf_options opt;
    memset(&opt, 0, sizeof opt);
    if (gf_options_from_env(&opt, stderr) != 0)
        return 2;
    typed_check check = {name_or_default(fn_name), fn, ret, gens};
    if (opt.replay) {
        int elsewhere = replay_is_elsewhere(check.fn_name, &opt);
        if (elsewhere < 0)
            return 2;
        if (elsewhere) {
            fprintf(stderr, "gadfly: gf_check_fn(%s): skipped: GF_REPLAY "
                            "holds a case of another property\n",
                    check.fn_name);
            return 0;
        }
    }
    return run_check(&check, &opt);
}
