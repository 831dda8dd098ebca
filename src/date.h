/* date.h - calendar dates and times of day, as the journal writes them. */
#ifndef LADDER_DATE_H
#define LADDER_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct date {                       /* packed in 4 bytes: an AST holds many */
    int16_t year;
    int8_t month;
    uint8_t day : 7;                /* 0-99 as written */
    bool valid : 1;                 /* a real calendar date */
};

_Static_assert(sizeof(struct date) == 4, "a date is 4 bytes");

/* YYYY-MM-DD ('/' or '.' may replace '-', the same both times; month and
 * day may have one digit).  False when the shape is wrong; d->valid tells
 * whether the date is on the calendar. */
bool date_parse(const char *s, size_t len, struct date *d);
bool date_valid(int y, int m, int d);
int date_cmp(struct date a, struct date b);
/* d moved by n days (d must be valid). */
struct date date_add_days(struct date d, int n);
/* Days since 1970-01-01 of a valid date (proleptic Gregorian). */
long date_days(struct date d);
/* The date `days` after 1970-01-01 (valid within years 1-9999). */
struct date date_from_days(long days);

/* The shape H:MM or HH:MM; *minutes is -2 when it is not a time of day. */
bool time_parse(const char *p, uint32_t len, int *minutes);

#endif
