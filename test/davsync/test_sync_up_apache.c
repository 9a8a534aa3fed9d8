/*
 * test_sync_up_apache.c: placeholder until written.
 */
#include "testutil.h"

int main(void)
{
    test_skip("not written yet");
    return 0;
}
