/* date.c - calendar dates and times of day. */
#include "date.h"

bool date_valid(int y, int m, int d)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12 || d < 1)
        return false;
    int n = days[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        n = 29;
    return d <= n;
}

bool date_parse(const char *s, size_t len, struct date *d)
{
    /* YYYY-MM-DD; '/' or '.' may replace '-' (the same both times); month
     * and day may have one digit. */
    size_t i = 0;
    int y = 0, m = 0, dd = 0;
    for (; i < 4; i++) {
        if (i >= len || s[i] < '0' || s[i] > '9')
            return false;
        y = y * 10 + (s[i] - '0');
    }
    if (i >= len || (s[i] != '-' && s[i] != '/' && s[i] != '.'))
        return false;
    char sep = s[i++];
    size_t st = i;
    while (i < len && i - st < 2 && s[i] >= '0' && s[i] <= '9')
        m = m * 10 + (s[i++] - '0');
    if (i == st || i >= len || s[i] != sep)
        return false;
    st = ++i;
    while (i < len && i - st < 2 && s[i] >= '0' && s[i] <= '9')
        dd = dd * 10 + (s[i++] - '0');
    if (i == st || i != len)
        return false;
    d->year = y;
    d->month = m;
    d->day = dd;
    d->valid = date_valid(y, m, dd);
    return true;
}

int date_cmp(struct date a, struct date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

bool time_parse(const char *p, uint32_t len, int *minutes)
{
    uint32_t i = 0;
    int h = 0, m = 0;
    while (i < len && i < 2 && p[i] >= '0' && p[i] <= '9')
        h = h * 10 + (p[i++] - '0');
    if (i == 0 || i >= len || p[i] != ':' || len != i + 3)
        return false;
    if (p[i + 1] < '0' || p[i + 1] > '9' || p[i + 2] < '0' || p[i + 2] > '9')
        return false;
    m = (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
    *minutes = h < 24 && m < 60 ? h * 60 + m : -2;
    return true;
}

/* Days since 1970-01-01 and back (Howard Hinnant's civil algorithms). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct date date_from_days(long days)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int)(doy - (153 * mp + 2) / 5 + 1);
    int month = (int)(mp < 10 ? mp + 3 : mp - 9);
    y += month <= 2;
    struct date r = { (int16_t)y, (int8_t)month, (int8_t)day, y >= 1 && y <= 9999 };
    return r;
}

struct date date_add_days(struct date d, int n)
{
    return date_from_days(days_from_civil(d.year, d.month, d.day) + n);
}

long date_days(struct date d)
{
    return days_from_civil(d.year, d.month, d.day);
}
