/*
 * fuzzmain.c - libgadfly_fuzzmain.a: a main() for fuzz targets built
 * without a fuzzing engine.  Linked as LIB_FUZZING_ENGINE, it runs the
 * target's LLVMFuzzerTestOneInput on the files and directories named on
 * the command line (gf_fuzz_main), so a crash file or a corpus replays
 * with no fuzzer installed.
 */
#include <gadfly/fuzz.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    return gf_fuzz_main(argc, argv, LLVMFuzzerTestOneInput);
}
