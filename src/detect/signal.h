/* A signal is one piece of evidence about a listing: a stable upper-case code,
 * a strength in [0,1] and a sentence a seller could be shown. Detectors add
 * signals; the policy (src/decide) weighs them into a score and an action. */
#ifndef GN_DETECT_SIGNAL_H
#define GN_DETECT_SIGNAL_H

#define GN_MAX_SIGNALS 24
#define GN_DETAIL_MAX 240

typedef struct gn_signal {
    const char *code;           /* static string, e.g. "PRICE_FAR_BELOW_REFERENCE" */
    double value;               /* strength in [0,1], set by the detector */
    double weight;              /* contribution to the score, set by the policy */
    char detail[GN_DETAIL_MAX]; /* why, in words a seller could read */
} gn_signal;

typedef struct gn_signals {
    gn_signal items[GN_MAX_SIGNALS];
    int count;
} gn_signals;

/* Adds a signal; a value at or below 0 adds nothing; beyond GN_MAX_SIGNALS the
 * weakest is dropped. */
void gn_signals_add(gn_signals *s, const char *code, double value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
