/* Shared by the cmocka unit tests: cmocka's headers in the order it needs. */
#ifndef GN_TESTUTIL_H
#define GN_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#endif
