/*
 * payment.c - a payment client that treats an ambiguous answer as a
 * failure, retries, and charges the customer twice.
 *
 * The gateway answers a charge request with "ok", or the call fails:
 * "timeout" (the request never reached the gateway: nothing was charged)
 * or "pending" (the gateway took the charge and will settle it later; the
 * answer says nothing final yet).  The client retries on every failure
 * with a fresh request, so a pending charge is taken a second time.
 * Which calls fail, and how, is a fault point of the case
 * (gadfly/fault.h): Gadfly finds the one answer that breaks the client.
 *
 * Minimal counterexample (what the shrinker should print):
 *     orders = 1
 * and one fault: gateway.charge: pending (call 1).  ("timeout" is the
 * simpler fault, but a retry after it charges once, so the shrinker keeps
 * "pending".)
 *
 * The fix sends an idempotency key (the order's number) with every
 * request, and a retry of a request the gateway has already taken returns
 * that charge instead of taking a new one: the second property passes.
 *
 * Run: examples/payment [--seed N] [--filter 'payment_fixed*'] [--help]
 */
#include <gadfly.h>
#include <gadfly/fault.h>

#include <stdbool.h>

#define MAX_ORDERS 8
#define MAX_TRIES 4

typedef enum answer { ANSWER_OK, ANSWER_TIMEOUT, ANSWER_PENDING } answer;

typedef struct gateway {
    int charges[MAX_ORDERS]; /* times each order was charged */
    bool taken[MAX_ORDERS];  /* idempotency keys seen */
} gateway;

/* The gateway: a request that times out never arrives; a pending one is
 * charged but answered ambiguously.  keyed: the order's number is the
 * request's idempotency key. */
static answer charge(gf_case *tc, gateway *g, int order, bool keyed)
{
    int fault = gf_fault_pick(tc, "gateway.charge", "timeout", "pending");
    if (fault == 0)
        return ANSWER_TIMEOUT;
    if (keyed && g->taken[order])
        return fault < 0 ? ANSWER_OK : ANSWER_PENDING; /* the same charge */
    g->charges[order]++;
    if (keyed)
        g->taken[order] = true;
    return fault < 0 ? ANSWER_OK : ANSWER_PENDING;
}

/* The bug: anything but "ok" is a failure, and a retry is a new charge. */
static bool pay(gf_case *tc, gateway *g, int order)
{
    for (int i = 0; i < MAX_TRIES; i++)
        if (charge(tc, g, order, false) == ANSWER_OK)
            return true;
    return false;
}

/* The fix: every retry of the order carries its key. */
static bool pay_fixed(gf_case *tc, gateway *g, int order)
{
    for (int i = 0; i < MAX_TRIES; i++)
        if (charge(tc, g, order, true) == ANSWER_OK)
            return true;
    return false;
}

static void pay_orders(gf_case *tc, bool (*pay_fn)(gf_case *, gateway *,
                                                   int))
{
    int orders = (int)*(int64_t *)gf_draw_named(tc, gf_int(1, MAX_ORDERS),
                                                "orders");
    gateway g = {{0}, {false}};
    gf_fault_enable(tc, "gateway.*", NULL);
    for (int i = 0; i < orders; i++) {
        pay_fn(tc, &g, i);
        GF_ASSERT(tc, g.charges[i] <= 1);
    }
}

GF_PROPERTY(payment_charges_once)
{
    pay_orders(tc, pay);
}

GF_PROPERTY(payment_fixed_charges_once)
{
    pay_orders(tc, pay_fixed);
}

GF_MAIN()
