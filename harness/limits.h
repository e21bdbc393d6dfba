/*
 * limits.h - every hard limit of smtpspec, in one place.
 *
 * The RFC 5321 limits (§4.5.3.1) are what a conforming server sends; the
 * hard caps are far above them and exist so that a hostile or broken server
 * can never make the harness use unbounded memory or time.  Reaching a hard
 * cap ends the session with a verdict, never with a crash.
 */
#ifndef SSP_LIMITS_H
#define SSP_LIMITS_H

/* RFC 5321 §4.5.3.1.5: a reply line, code and CRLF included. */
#define SSP_RFC_REPLY_LINE_MAX 512
/* RFC 5321 §4.5.3.1.4: a command line, verb and CRLF included. */
#define SSP_RFC_COMMAND_LINE_MAX 512
/* RFC 5321 §4.5.3.1.6: a text line of message content, CRLF included. */
#define SSP_RFC_TEXT_LINE_MAX 1000

/* Hard cap on one reply line (bytes, CRLF included) before the session ends. */
#define SSP_REPLY_LINE_HARD_MAX 8192
/* Hard cap on the lines of one multi-line reply. */
#define SSP_REPLY_LINES_HARD_MAX 1000
/* Hard cap on the bytes of one reply, all lines together. */
#define SSP_REPLY_BYTES_HARD_MAX 262144
/* Bytes requested from the transport for each read. */
#define SSP_READ_CHUNK 4096

/* Transcript of one session: bytes kept; beyond this only counts are kept. */
#define SSP_TRANSCRIPT_BYTES_MAX (128 * 1024)
/* ... of which client bytes may take this much: the rest is for the server. */
#define SSP_TRANSCRIPT_CLIENT_BYTES_MAX (96 * 1024)
/* Transcript of one session: entries kept. */
#define SSP_TRANSCRIPT_ENTRIES_MAX 1024

/* smtpspec coverage: octets of a requirement sentence shown on its line. */
#define SSP_COVERAGE_SHOWN 160
/* A quote shorter than this names no requirement sentence by itself. */
#define SSP_COVERAGE_QUOTE_MIN 24

/* Bytes one step may send once escapes, variables and repeats are expanded. */
#define SSP_SEND_BYTES_MAX (16 * 1024 * 1024)
/* Bytes the steps of one vector file may send in all (each step's expanded
 * bytes times its "repeat"), checked at load: a small file cannot declare
 * gigabytes. */
#define SSP_FILE_SEND_BYTES_MAX (64 * 1024 * 1024)
/* Sending is generated while it is written (sender.h): bytes per write, the
 * most one chunk buffer may hold (a chunk plus what one step of generation
 * can add past it, variables expanded), and the first bytes of a step kept
 * to name the command a reply answers. */
#define SSP_WRITE_CHUNK (64 * 1024)
#define SSP_WRITE_BUFFER_MAX (SSP_WRITE_CHUNK + 256 * 1024)
#define SSP_SENT_HEAD_MAX 8192
/* Addresses of a target name tried in turn by the probe. */
#define SSP_ADDRS_MAX 8
/* Largest count allowed in %repeat[N x ...]% and in a step's "repeat". */
#define SSP_REPEAT_MAX 1000000
#define SSP_STEP_REPEAT_MAX 10000
/* Nesting depth of %repeat[...]% macros. */
#define SSP_ESCAPE_DEPTH_MAX 4

/* Input files: vector, suite and profile files larger than this are refused. */
#define SSP_FILE_BYTES_MAX (1024 * 1024)
/* Vector files in one catalogue, and steps in one vector. */
#define SSP_VECTORS_MAX 20000
#define SSP_STEPS_MAX 1000
/* Expectations in one step. */
#define SSP_EXPECTS_MAX 1000
/* Nesting depth of JSON values the position scanner follows (jsonpos.c). */
#define SSP_JSON_DEPTH_MAX 4096
/* Suites: bytes of one vector id or glob, and of a suite file name. */
#define SSP_SUITE_PATTERN_MAX 256
#define SSP_SUITE_FILE_NAME_MAX 200
/* Longest --deadline (seconds). */
#define SSP_DEADLINE_MAX_S 86400
/* Directory nesting below vectors/. */
#define SSP_DIR_DEPTH_MAX 16
/* Length of a vector id, a variable name and a variable value. */
#define SSP_ID_MAX 200
#define SSP_VAR_NAME_MAX 64
#define SSP_VAR_VALUE_MAX 4096
/* A value the harness derives from a profile value ("postmaster@${domain}",
 * "smtpspec-no-such-user-4f1e@${domain}", "smtpspec@${client}") may be this
 * much longer, so that every value up to SSP_VAR_VALUE_MAX runs; a variable
 * table holds values up to SSP_VAR_STORED_MAX. */
#define SSP_VAR_DERIVED_EXTRA 64
#define SSP_VAR_STORED_MAX (SSP_VAR_VALUE_MAX + SSP_VAR_DERIVED_EXTRA)
/* Text patterns (pattern.c, PCRE2): bytes of one pattern and nesting depth of
 * its parentheses, checked at load; a pattern whose compiled form outgrows
 * PCRE2's own size limit (64 KiB of code) is refused at load too. */
#define SSP_PATTERN_MAX 2048
#define SSP_PATTERN_PARENS_MAX 32
/* Bytes of one reply line a pattern sees (the reply line's own hard cap). */
#define SSP_PATTERN_SUBJECT_MAX SSP_REPLY_LINE_HARD_MAX
/* One match of one pattern against one line: backtracking steps (about 1 ms
 * JIT-compiled, 20 ms interpreted), and for the interpreter the nested
 * backtracking depth and the KiB of heap for its frames.  Reaching one ends
 * the vector as an error, never a verdict on the server. */
#define SSP_PATTERN_MATCH_LIMIT 1000000
#define SSP_PATTERN_DEPTH_LIMIT 10000
#define SSP_PATTERN_HEAP_LIMIT_KIB 8192
/* Variables in one session (profile values plus captures). */
#define SSP_VARS_MAX 64
/* Length of a reason sentence in a result. */
#define SSP_REASON_MAX 512
/* Parts of a reason: what was expected, what was observed, which step
 * ("step 3, repetition 2 (RCPT TO:<...>)"), and how many server bytes
 * (escaped) and command bytes are quoted in them. */
#define SSP_EXPECTED_TEXT_MAX 256
#define SSP_OBSERVED_TEXT_MAX 200
#define SSP_LABEL_MAX 160
#define SSP_QUOTE_SERVER_BYTES 120
#define SSP_QUOTE_FIRST_LINE_BYTES 160
#define SSP_QUOTE_COMMAND_BYTES 60

/* Reports: suites with a certification statement in one result. */
#define SSP_CERT_SUITES_MAX 256
/* Reports: result documents in one comparison matrix. */
#define SSP_COMPARE_MAX 64
/* Reports: a result document read back (report --compare, --diff, --baseline). */
#define SSP_RESULT_FILE_BYTES_MAX (512 * 1024 * 1024)
/* Reports: one string of a result document read back: room for any text of a
 * vector file, and for a whole reply or transcript entry in the display
 * escaping (4 bytes per byte at most). */
#define SSP_RESULT_STRING_MAX (2 * SSP_FILE_BYTES_MAX)
/* Reports: entries of one transcript in a result document read back. */
#define SSP_RESULT_ENTRIES_MAX (2 * SSP_TRANSCRIPT_ENTRIES_MAX)

/* Defaults of the command-line options (milliseconds unless noted). */
#define SSP_DEFAULT_TIMEOUT_MS 10000
#define SSP_DEFAULT_CONNECT_TIMEOUT_MS 5000
#define SSP_DEFAULT_DEADLINE_S 900
#define SSP_DEFAULT_JOBS 8
#define SSP_JOBS_MAX 1024
/* run --repeat N: rounds of each vector, and sessions of one run in all (vectors x rounds). */
#define SSP_RUN_REPEAT_MAX 1000
#define SSP_RUN_ROUNDS_MAX 1000000
/* --max-memory: the run-wide budget the scheduler keeps the running sessions
 * within (each charged its worst case before it starts), its default and
 * its range; and OpenSSL's own state of one TLS connection, charged beside
 * the ciphertext buffers (an estimate: records, keys, the handshake). */
#define SSP_DEFAULT_MAX_MEMORY (256ULL * 1024 * 1024)
#define SSP_MAX_MEMORY_MIN (64ULL * 1024)
#define SSP_MAX_MEMORY_MAX (1ULL << 40)
#define SSP_TLS_ENGINE_BYTES (96 * 1024)
/* --max-memory: what one reported result holds until the reports are written
 * beyond its struct: its part of the typed document and of the JSON value the
 * writers build (measured about 6 KiB; transcripts wait in the spool). */
#define SSP_REPORT_BYTES_PER_RESULT (6 * 1024)
/* Descriptors kept back from --jobs under RLIMIT_NOFILE: stdio, the event loop, report files. */
#define SSP_FD_RESERVE 32
/* explain: payload bytes shown per step before "... (N bytes)". */
#define SSP_EXPLAIN_BYTES_MAX 240
/* Time given to a courtesy QUIT at the end of a session before closing. */
#define SSP_QUIT_GRACE_MS 200
/* Time the watchdog thread (watchdog.c) gives a run past its --deadline
 * before it ends a process whose event loop is stuck. */
#define SSP_WATCHDOG_GRACE_MS 1000
/* Longest wait one option or vector may ask for (--timeout, "timeout_ms"). */
#define SSP_TIMEOUT_MAX_MS 3600000
/* Longest "silence_ms" and "pause_ms" a vector may ask for. */
#define SSP_SILENCE_MAX_MS 600000
#define SSP_PAUSE_MAX_MS 60000

/* RFC 5321 §4.5.3.1.2: a domain name, 255 octets, plus the NUL. */
#define SSP_DOMAIN_MAX 256
/* Zero configuration: recipients tried when the profile names none. */
#define SSP_DISCOVER_CANDIDATES_MAX 12

/* Replies read after smuggled content before the session stops reading. */
#define SSP_SMUGGLE_REPLIES_MAX 64
/* TLS (tls.c): ciphertext waiting each way (received and not processed,
 * produced and not sent), and the length of an error sentence. */
#define SSP_TLS_BUFFER_MAX (256 * 1024)
#define SSP_TLS_ERROR_MAX 512
/* What a handshake showed, kept for the reports (untrusted, cut if longer):
 * a protocol or cipher suite name, and the peer certificate's subject. */
#define SSP_TLS_NAME_MAX 64
#define SSP_TLS_SUBJECT_MAX 512

/* smtpspec bench (issue 11): every count and duration it accepts. */
#define SSP_BENCH_CONNECTIONS_MAX 10000   /* concurrent sessions */
#define SSP_BENCH_MESSAGES_MAX 100000000  /* messages in one run (--messages) */
#define SSP_BENCH_DURATION_MAX_S 86400    /* --duration */
#define SSP_BENCH_PER_SESSION_MAX 100000  /* messages per session */
#define SSP_BENCH_RCPTS_MAX 100           /* recipients per message (RFC 5321 §4.5.3.1.8) */
#define SSP_BENCH_SIZE_MAX (16 * 1024 * 1024) /* body bytes, one copy shared by all sessions */
#define SSP_BENCH_RATE_MAX 1000000        /* --rate, messages per second */
#define SSP_BENCH_RAMP_MAX_S 3600         /* --ramp */
#define SSP_BENCH_SHARDS_MAX 10000        /* n of --shard k/n */
#define SSP_BENCH_NAME_MAX 255            /* --ehlo, --from, --rcpt-domain */
#define SSP_BENCH_READ_MAX 4096           /* reply bytes buffered per session */
#define SSP_BENCH_DEADLINE_MAX_S 90000    /* --deadline of a bench run */
#define SSP_BENCH_MERGE_MAX 1024          /* files combined by bench --merge */
#define SSP_BENCH_PROGRESS_MS 1000        /* terminal refresh */
#define SSP_BENCH_TICK_MS 50              /* ramp and pacing checks */

/* Steps whose reply codes a collecting session keeps (zero configuration). */
#define SSP_PROBE_STEPS_MAX 64

/* Console: earlier skips compared with each skip, to give a shared reason once. */
#define SSP_SKIP_REASONS_MAX 256

/* Reports: shared causes listed (the largest first), and ids shown for each on the console. */
#define SSP_CAUSES_MAX 64
#define SSP_CAUSE_IDS_SHOWN 8

/* Terminal text (termtext.c): static slots for escaped printf arguments, and
 * the bytes of each (a file name of PATH_MAX escaped would not fit: cut, "..."). */
#define SSP_TERM_SLOTS 8
#define SSP_TERM_SLOT_BYTES 2048

/* Turn a limit into a string literal, for messages. */
#define SSP_STR(x) #x
#define SSP_XSTR(x) SSP_STR(x)

#endif /* SSP_LIMITS_H */
