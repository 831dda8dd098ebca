/* ladder_query_lsp.c - a query of ladder.h the language server needed and
 * the core did not have yet: where a client's climb stands
 * (ladder_client_climb), for hover on a client name (lsp.md), now read
 * from the rule engine's client state (ladder_client_state_get) so that
 * hover, the rules and `ladder clients` agree.
 */
#include <string.h>

#include "ladder.h"

void ladder_client_climb(const ladder_journal *lj, size_t i, ladder_climb_info *out)
{
    /* The rule engine's state of the client (report.c), in this form. */
    ladder_client_state st;
    ladder_client_state_get(lj, i, &st);
    memset(out, 0, sizeof *out);
    out->level = st.level;
    out->level_rung = st.level_rung ? st.level_rung : "";
    if (st.contacted) {
        out->last_year = st.last_year;
        out->last_month = st.last_month;
        out->last_day = st.last_day;
    }
    out->held = st.held;
    out->last_ask = st.ask_rung;
    out->last_answer = st.ask_rung ? st.ask_answer : '?';
    out->next = st.next == LADDER_NEXT_DATED ? 'd' : st.next == LADDER_NEXT_UNSCHEDULED ? 't'
              : st.next == LADDER_NEXT_NONE ? 'n' : 0;
    out->next_at = st.next_at;
    if (!out->next)
        out->next_at.file = LADDER_NOWHERE;
    if (out->next == 'd') {
        out->next_year = st.next_year;
        out->next_month = st.next_month;
        out->next_day = st.next_day;
    }
    out->won = st.flags & LADDER_FLAG_WON;
}
