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

/* Bytes one step may send once escapes, variables and repeats are expanded. */
#define SSP_SEND_BYTES_MAX (16 * 1024 * 1024)
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
/* Directory nesting below vectors/. */
#define SSP_DIR_DEPTH_MAX 16
/* Length of a vector id, a variable name and a variable value. */
#define SSP_ID_MAX 200
#define SSP_VAR_NAME_MAX 64
#define SSP_VAR_VALUE_MAX 4096
/* Variables in one session (profile values plus captures). */
#define SSP_VARS_MAX 64
/* Length of a reason sentence in a result. */
#define SSP_REASON_MAX 512

/* Reports: suites with a certification statement in one result. */
#define SSP_CERT_SUITES_MAX 256
/* Reports: result documents in one comparison matrix. */
#define SSP_COMPARE_MAX 64
/* Reports: a result document read back (report --compare, --diff, --baseline). */
#define SSP_RESULT_FILE_BYTES_MAX (512 * 1024 * 1024)

/* Defaults of the command-line options (milliseconds unless noted). */
#define SSP_DEFAULT_TIMEOUT_MS 10000
#define SSP_DEFAULT_CONNECT_TIMEOUT_MS 5000
#define SSP_DEFAULT_DEADLINE_S 900
#define SSP_DEFAULT_JOBS 8
#define SSP_JOBS_MAX 1024
/* Time given to a courtesy QUIT at the end of a session before closing. */
#define SSP_QUIT_GRACE_MS 200

/* RFC 5321 §4.5.3.1.2: a domain name, 255 octets, plus the NUL. */
#define SSP_DOMAIN_MAX 256
/* Zero configuration: recipients tried when the profile names none. */
#define SSP_DISCOVER_CANDIDATES_MAX 12

/* TLS (tls.c): ciphertext waiting each way (received and not processed,
 * produced and not sent), and the length of an error sentence. */
#define SSP_TLS_BUFFER_MAX (256 * 1024)
#define SSP_TLS_ERROR_MAX 512

/* Turn a limit into a string literal, for messages. */
#define SSP_STR(x) #x
#define SSP_XSTR(x) SSP_STR(x)

#endif /* SSP_LIMITS_H */
