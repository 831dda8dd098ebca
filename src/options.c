/* options.c - the journal's lint options. */
#include "options.h"

#include <string.h>

static const char *const option_names[OPT_COUNT] = {
    [OPT_MAX_STEP] = "max-step",
    [OPT_STALL_AFTER] = "stall-after",
    [OPT_ONE_SIDED_AFTER] = "one-sided-after",
    [OPT_DECLINE_AFTER] = "decline-after",
    [OPT_STRICT] = "strict",
};

static const int option_defaults[OPT_COUNT] = {
    [OPT_MAX_STEP] = 2,
    [OPT_STALL_AFTER] = 3,
    [OPT_ONE_SIDED_AFTER] = 3,
    [OPT_DECLINE_AFTER] = 2,
    [OPT_STRICT] = 0,
};

int option_find(const char *name, size_t len)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if (strlen(option_names[i]) == len && memcmp(option_names[i], name, len) == 0)
            return i;
    return -1;
}

int option_parse_value(enum option_id o, const char *v, size_t len)
{
    if (o == OPT_STRICT) {
        if (len == 3 && memcmp(v, "yes", 3) == 0)
            return 1;
        if (len == 2 && memcmp(v, "no", 2) == 0)
            return 0;
        return -1;
    }
    if (len == 0 || len > 9)
        return -1;
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        n = n * 10 + (v[i] - '0');
    }
    return n >= 1 ? n : -1;
}

int option_default(enum option_id o)
{
    return option_defaults[o];
}
