/* options.c - the journal's lint options. */
#include "options.h"

#include <string.h>

#include "date.h"

static const char *const option_names[OPT_COUNT] = {
    [OPT_MAX_STEP] = "max-step",
    [OPT_STALL_AFTER] = "stall-after",
    [OPT_ONE_SIDED_AFTER] = "one-sided-after",
    [OPT_DECLINE_AFTER] = "decline-after",
    [OPT_STRICT] = "strict",
    [OPT_TOUCH_KINDS] = "touch-kinds",
    [OPT_SINCE] = "since",
};

static const int option_defaults[OPT_COUNT] = {
    [OPT_MAX_STEP] = 2,
    [OPT_STALL_AFTER] = 3,
    [OPT_ONE_SIDED_AFTER] = 3,
    [OPT_DECLINE_AFTER] = 2,
    [OPT_STRICT] = 0,
    [OPT_TOUCH_KINDS] = 0,
    [OPT_SINCE] = 0,
};

int option_find(const char *name, size_t len)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if (strlen(option_names[i]) == len && memcmp(option_names[i], name, len) == 0)
            return i;
    return -1;
}

const char *option_value_help(enum option_id o)
{
    switch (o) {
    case OPT_STRICT: return "yes or no";
    case OPT_TOUCH_KINDS: return "kinds separated by commas (email,letter), or none";
    case OPT_SINCE: return "a date YYYY-MM-DD, or none";
    default: return "a whole number of 1 or more";
    }
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

bool option_next_kind(const char *v, size_t len, size_t *pos, size_t *start,
                      size_t *klen)
{
    size_t i = *pos;
    if (i >= len)
        return false;
    size_t e = i;
    while (e < len && v[e] != ',')
        e++;
    *pos = e + 1;
    while (i < e && is_blank(v[i]))
        i++;
    while (e > i && is_blank(v[e - 1]))
        e--;
    *start = i;
    *klen = e - i;
    return true;
}

/* touch-kinds: "none", or words (no blanks, parentheses or commas inside)
 * separated by commas. */
static bool touch_kinds_valid(const char *v, size_t len)
{
    if (len == 4 && memcmp(v, "none", 4) == 0)
        return true;
    size_t pos = 0, s, n, count = 0;
    while (option_next_kind(v, len, &pos, &s, &n)) {
        if (n == 0 || (n == 4 && memcmp(v + s, "none", 4) == 0))
            return false;
        for (size_t i = s; i < s + n; i++)
            if (is_blank(v[i]) || v[i] == '(' || v[i] == ')')
                return false;
        count++;
    }
    return count > 0 && v[len - 1] != ',';
}

int option_parse_value(enum option_id o, const char *v, size_t len)
{
    if (o == OPT_TOUCH_KINDS)
        return touch_kinds_valid(v, len) ? 0 : -1;
    if (o == OPT_SINCE) {
        struct date d;
        if (len == 4 && memcmp(v, "none", 4) == 0)
            return 0;
        if (!date_parse(v, len, &d) || !d.valid)
            return -1;
        return d.year * 10000 + d.month * 100 + d.day;
    }
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
