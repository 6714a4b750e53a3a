/*
 * fdclose_hooked: fdclose built with the test-only hook that pauses inside
 * the injection window (UNDEAD_HOOK_FILE, UNDEAD_HOOK_MS). Shipped
 * binaries are built without UNDEAD_TEST_HOOKS and carry no hook.
 */
#define UNDEAD_TEST_HOOKS 1
#include "../../lib/inject.c"
#include "../../cmd/fdclose.c"
