/*
 * json.c - fuzz target for the strict JSON parser (generators/json.c):
 * gf_json_valid and gf_json_parse on any bytes, as a property gives them
 * a payload it received.
 *
 * The two must agree; a rejection points inside the text; an accepted
 * text, written back out by gf_json_write and parsed again, is the same
 * value.
 */
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/fuzz.h>
#include <gadfly/payload.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *input;
static size_t input_len;

GF_PROPERTY(json_parse_agrees)
{
    gf_json_error err = {0}, err2 = {0};
    bool valid = gf_json_valid(input, input_len, &err);
    const gf_json *v = gf_json_parse(tc, input, input_len, &err2);
    if (!valid) {
        if (v || !err.message || err.offset > input_len)
            abort();
        if (err2.offset != err.offset || strcmp(err.message, err2.message))
            abort();
        return;
    }
    if (!v)
        abort();
    size_t len;
    char *text = gf_json_write(tc, v, &len);
    const gf_json *again = gf_json_parse(tc, text, len, NULL);
    if (!again || !gf_json_equal(v, again))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input = data;
    input_len = size;
    /* The property draws nothing: the case's own bytes are left empty. */
    return gf_fuzz_one(&gf_prop_json_parse_agrees, NULL, 0);
}
