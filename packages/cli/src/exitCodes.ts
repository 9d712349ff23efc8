// The exit codes (DESIGN.md): in a file of their own so that the entry can use them without loading
// core (see cli.ts).

export const EXIT_OK = 0;
/** Findings or drift at or above the failing severity. */
export const EXIT_FINDINGS = 1;
/** Usage, configuration, connection or parse failure. */
export const EXIT_FAILURE = 2;
