/*
 * fake.h - fakesmtpd, the misbehaving test server of smtpspec's own tests.
 *
 * By default fakesmtpd is a small RFC 5321 server that is conformant in
 * everything it does (with PIPELINING, SIZE, 8BITMIME, ENHANCEDSTATUSCODES,
 * DSN, SMTPUTF8, CHUNKING, and EXPN and HELP listed); each --mode switch
 * breaks one rule, so that every vector can be shown to fail, or makes it
 * hostile, so that the harness can be shown to end every session in bounded
 * time and memory.  A few modes are conformant variants (a 554 greeting,
 * VRFY listed, ...): their descriptions say so.
 *
 * Three parts: fake_modes.c (the table of switches), fake_smtp.c (the
 * protocol: bytes in, replies out, no I/O) and fakesmtpd.c (libuv: the
 * listener, the connections, the hostile byte streams, the command line);
 * fake_tls.c adds STARTTLS, implicit TLS and AUTH to both sides (the TLS
 * engine is harness/tls.c in the server role).
 */
#ifndef FAKE_H
#define FAKE_H

#include <stddef.h>
#include <stdint.h>

/* ---- limits ------------------------------------------------------------- */

/* The name in the greeting and in the EHLO reply. */
#define FAKE_DOMAIN "fake.test"
/* RFC 1870: the fixed maximum message size advertised with SIZE. */
#define FAKE_SIZE_MAX 1000000
/* RFC 5321 §4.5.3.1.8 asks for at least 100; more get 452 4.5.3. */
#define FAKE_RCPT_MAX 1000
/* The recipient limit of mode few-recipients. */
#define FAKE_RCPT_FEW 50
/* RFC 5321 §4.5.3.1.4: a command line, verb and CRLF included. */
#define FAKE_CMD_LINE_MAX 512
/* MAIL may be longer by its extension parameters: SIZE 26 (RFC 1870),
 * BODY=8BITMIME 14 (RFC 6152), SMTPUTF8 10 (RFC 6531), RET and a
 * 100-character ENVID 116 (RFC 3461 §5.4). */
#define FAKE_MAIL_LINE_MAX (FAKE_CMD_LINE_MAX + 26 + 14 + 10 + 116)
/* RCPT may be longer by NOTIFY and ORCPT: 530 (RFC 3461 §5.4). */
#define FAKE_RCPT_LINE_MAX (FAKE_CMD_LINE_MAX + 530)
/* The limit of mode line-limit-256 (below RFC 5321's minimum). */
#define FAKE_SHORT_LINE_MAX 256
/* RFC 5321 §4.5.3.1.6: a text line of mail data, CRLF included.  Longer
 * lines are accepted; mode long-text-line-hangs misses the end of data
 * after one, mode short-text-lines refuses lines over FAKE_SHORT_TEXT_LINE. */
#define FAKE_TEXT_LINE_MAX 1000
#define FAKE_SHORT_TEXT_LINE 256
/* The limits of modes local-part-limit-32, size-refused-after-data and
 * received-limit-50. */
#define FAKE_LOCAL_FEW 32
#define FAKE_SIZE_LOWER 100000
#define FAKE_RECEIVED_FEW 50
/* Mode closes-after-errors: this many error replies in a row end the session. */
#define FAKE_ERRORS_MAX 3
/* Mode greeting-host-not-mail-domain: the host name in the greeting and the
 * one mail domain (only its postmaster is a mailbox). */
#define FAKE_MX_HOST "mx1.internal.smtpspec.test"
#define FAKE_MAIL_DOMAIN "smtpspec.test"
/* Octets of a header field name kept for the header modes. */
#define FAKE_FIELD_KEEP 16
/* Octets of the last accepted recipient kept for duplicate-rcpt-rejected. */
#define FAKE_RCPT_KEEP 256
/* A partial command line longer than this is discarded up to its CRLF. */
#define FAKE_LINE_BUF_MAX 2048
/* Unprocessed input of one connection (read straight into it). */
#define FAKE_IN_MAX 16384
/* Replies waiting to be written: past this, input is left unprocessed and
 * reading stops until the client reads (backpressure). */
#define FAKE_OUT_HIGH 65536
/* Hard caps of the reply buffers (reaching one resets the connection). */
#define FAKE_OUT_MAX (1024 * 1024)
#define FAKE_GROUP_MAX (256 * 1024)
/* The client name echoed in the EHLO reply is cut to this (RFC 5321
 * §4.5.3.1.2: a domain is at most 255 octets), so the line stays short. */
#define FAKE_ECHO_MAX 255
/* The VRFY reply repeats the mailbox up to this length (keeping its line
 * under 512 octets), else says it is too long. */
#define FAKE_VRFY_ECHO_MAX 400
/* Octets of an unquoted local part kept for comparing with mailbox names. */
#define FAKE_LOCAL_KEEP 64
/* Replies remembered in one pipelined group (for the reordering modes). */
#define FAKE_GROUP_REPLIES_MAX 128
/* Length of the reply line of mode long-reply-line, CRLF included. */
#define FAKE_LONG_REPLY_LINE 600
/* Hostile streams: total bytes, lines, junk bytes, bytes per write. */
#define FAKE_HOSTILE_BYTES (10 * 1024 * 1024)
#define FAKE_HOSTILE_LINES 100000
#define FAKE_JUNK_BYTES 65536
#define FAKE_STREAM_CHUNK 65536
/* Connections served at once; more get 421 and are closed. */
#define FAKE_CONNS_MAX 1024
/* Times (ms): RFC 5321 §4.5.3.2.7 asks for at least 5 minutes of idle
 * time; after a 421 or a FIN, how long to wait for the client. */
#define FAKE_IDLE_TIMEOUT_MS (300 * 1000)
#define FAKE_LINGER_MS 2000
#define FAKE_SHUTDOWN_GRACE_MS 500
#define FAKE_TRICKLE_MS 1000
/* Receive buffer of mode hostile-no-read. */
#define FAKE_TINY_RCVBUF 4096
/* AUTH (RFC 4954): the one test account (as in scripts/exim-private.sh),
 * and the longest AUTH command or response line (§4: 12288 octets). */
#define FAKE_AUTH_USER "smtpspec"
#define FAKE_AUTH_PASSWORD "smtpspec-secret"
#define FAKE_AUTH_LINE_MAX 12288

/* ---- modes -------------------------------------------------------------- */

/* X(identifier, name, description): every switch, in --list-modes order. */
#define FAKE_MODE_MAP(X) \
	X(NO_503, "no-503", "commands out of sequence (MAIL before EHLO, nested MAIL, RCPT before MAIL, DATA before RCPT) get 250 instead of 503") \
	X(RSET_KEEPS_RCPT, "rset-keeps-rcpt", "RSET answers 250 but keeps the sender and the recipients") \
	X(RSET_FORGETS_EHLO, "rset-forgets-ehlo", "RSET also forgets EHLO: a following MAIL gets 503") \
	X(RSET_CLOSES, "rset-closes", "RSET is answered 250, then the connection is closed") \
	X(QUIT_NO_221, "quit-no-221", "QUIT is answered 250 instead of 221 (then the connection is closed)") \
	X(NO_CLOSE_AFTER_QUIT, "no-close-after-quit", "QUIT gets 221 but the connection stays open (input is ignored)") \
	X(ANSWER_AFTER_QUIT, "answer-after-quit", "commands pipelined after QUIT are answered before the close") \
	X(CLOSE_BEFORE_QUIT, "close-before-quit", "the connection is closed without a reply after the 2nd command") \
	X(CLOSE_WITH_421, "close-with-421", "conformant variant: the 2nd command gets 421 and the connection is closed") \
	X(UNKNOWN_COMMAND_CLOSES, "unknown-command-closes", "an unknown command gets 500, then the connection is closed") \
	X(BARE_LF_ENDS_DATA, "bare-lf-ends-data", "<LF>.<LF> ends the mail data") \
	X(BARE_CR_ENDS_DATA, "bare-cr-ends-data", "<CR>.<CR> ends the mail data") \
	X(LF_CRLF_ENDS_DATA, "lf-crlf-ends-data", "<LF>.<CR><LF> ends the mail data") \
	X(BARE_LF_COMMANDS, "bare-lf-commands", "a bare LF ends a command line") \
	X(NO_DOT_UNSTUFF, "no-dot-unstuff", "leading dots are not removed from the data (they count towards SIZE)") \
	X(SHORT_TEXT_LINES, "short-text-lines", "a message with a text line over 256 octets is rejected (554) after the dot") \
	X(DATA_KEEPS_TRANSACTION, "data-keeps-transaction", "the sender and recipients remain after the end of data (or BDAT LAST)") \
	X(DATA_SIZE_NOT_ENFORCED, "data-size-not-enforced", "a message over the SIZE limit gets 250 after the dot") \
	X(BDAT_EATS_CRLF, "bdat-eats-crlf", "BDAT reads 2 octets more than its chunk size") \
	X(BDAT_DATA_MIXED, "bdat-data-mixed", "DATA after BDAT in the same transaction gets 354 instead of 503") \
	X(PIPELINING_OUT_OF_ORDER, "pipelining-out-of-order", "the replies to a pipelined group come in reverse order") \
	X(PIPELINING_MERGED, "pipelining-merged", "the replies to a pipelined group are merged into one multiline reply") \
	X(PIPELINING_DROPS_INPUT, "pipelining-drops-input", "input after a command in the same read is discarded") \
	X(CODE_MISMATCH_MULTILINE, "code-mismatch-multiline", "the second line of the EHLO reply carries 251 instead of 250") \
	X(BAD_CONTINUATION, "bad-continuation", "EHLO continuation lines use '=' instead of '-' after the code") \
	X(BARE_LF_REPLIES, "bare-lf-replies", "reply lines end with LF only") \
	X(NULL_REPLY_TEXT_SPACE, "null-reply-text-space", "the last EHLO line is \"250 \" with nothing after the space") \
	X(LONG_REPLY_LINE, "long-reply-line", "the first EHLO line is 600 octets long") \
	X(EIGHT_BIT_REPLY_TEXT, "eight-bit-reply-text", "the greeting text carries the octet 0xE9") \
	X(ENHANCED_CLASS_MISMATCH, "enhanced-class-mismatch", "enhanced status codes have another class than the reply (\"250 5.0.0\")") \
	X(NO_ENHANCED, "no-enhanced", "no enhanced status codes, though ENHANCEDSTATUSCODES is advertised") \
	X(ADVERTISE_VRFY, "advertise-vrfy", "conformant variant: VRFY is listed in the EHLO reply (RFC 5321 §3.5.2 allows it)") \
	X(GREETING_MULTILINE, "greeting-multiline", "conformant variant: a three-line 220 greeting") \
	X(GREETING_554, "greeting-554", "conformant variant: 554 greeting, then 503 to everything but QUIT") \
	X(GREETING_554_CLOSES, "greeting-554-closes", "a 554 greeting, then the connection is closed without waiting for QUIT") \
	X(NO_GREETING, "no-greeting", "no greeting is sent (commands are answered)") \
	X(NO_EHLO, "no-ehlo", "an RFC 821 server: EHLO gets 500, HELO works (RFC 5321 §4.5.1 requires EHLO)") \
	X(HELO_NOT_SUPPORTED, "helo-not-supported", "HELO gets 502") \
	X(BAD_EHLO_RESETS, "bad-ehlo-resets", "an EHLO answered 501 still clears the transaction") \
	X(SECOND_EHLO_KEEPS_TRANSACTION, "second-ehlo-keeps-transaction", "a second EHLO does not clear the transaction") \
	X(SECOND_EHLO_503, "second-ehlo-503", "a second EHLO or HELO is answered 503 (not a code §4.3.2 lists for EHLO) and the transaction is kept; with bad-ehlo-resets it is cleared") \
	X(SECOND_EHLO_550, "second-ehlo-550", "conformant variant: a second EHLO or HELO is refused with 550 (listed for EHLO in §4.3.2) and the transaction is kept; only the client's MAY of RFC 5321 §4.1.4 speaks against it (an info)") \
	X(VERBS_CASE_SENSITIVE, "verbs-case-sensitive", "verbs are recognised in capitals only (others get 500)") \
	X(NOOP_NEEDS_EHLO, "noop-needs-ehlo", "NOOP, RSET, VRFY, EXPN and HELP before EHLO get 503") \
	X(ARGS_ACCEPTED, "args-accepted", "RSET, DATA and QUIT with an argument are accepted instead of 501") \
	X(TRAILING_SPACE_REJECTED, "trailing-space-rejected", "a command line ending in white space gets 501") \
	X(ACCEPT_UNKNOWN_COMMANDS, "accept-unknown-commands", "unknown commands and empty lines get 250") \
	X(LINE_LIMIT_256, "line-limit-256", "command lines over 256 octets get 500 line too long") \
	X(CRASH_ON_LONG_LINE, "crash-on-long-line", "a command line over the limit resets the connection") \
	X(MAIL_SYNTAX_ACCEPTED, "mail-syntax-accepted", "MAIL with a bad or missing reverse-path gets 250") \
	X(MAIL_501_OPENS_TRANSACTION, "mail-501-opens-transaction", "MAIL with a bad reverse-path gets 501 but opens a transaction") \
	X(REJECT_NULL_SENDER, "reject-null-sender", "MAIL FROM:<> gets 550") \
	X(NO_555, "no-555", "unknown MAIL and RCPT parameters are ignored (250)") \
	X(SIZE_NOT_ENFORCED, "size-not-enforced", "MAIL with SIZE= over the limit gets 250") \
	X(BODY_8BITMIME_REJECTED, "body-8bitmime-rejected", "BODY=8BITMIME gets 555 though 8BITMIME is advertised") \
	X(SMTPUTF8_REJECTED, "smtputf8-rejected", "the SMTPUTF8 parameter gets 555 though SMTPUTF8 is advertised") \
	X(DSN_PARAMS_REJECTED, "dsn-params-rejected", "RET, ENVID, NOTIFY and ORCPT get 555 though DSN is advertised") \
	X(REJECT_POSTMASTER, "reject-postmaster", "RCPT to postmaster gets 550") \
	X(POSTMASTER_NEEDS_DOMAIN, "postmaster-needs-domain", "RCPT TO:<Postmaster> without a domain gets 550") \
	X(POSTMASTER_CASE_SENSITIVE, "postmaster-case-sensitive", "only a lower-case postmaster is accepted") \
	X(QUOTED_NOT_EQUIVALENT, "quoted-not-equivalent", "a quoted local part (\"smtpspec\"@...) is not the same mailbox as smtpspec@...") \
	X(SOURCE_ROUTE_REJECTED, "source-route-rejected", "paths with a source route (<@a,@b:user@domain>) get 501") \
	X(RCPT_UNKNOWN_ACCEPTED, "rcpt-unknown-accepted", "unknown local users get 250") \
	X(RCPT_UNKNOWN_450, "rcpt-unknown-450", "RCPT to an unknown local user gets 450 (a temporary failure) instead of 550") \
	X(RELAY_OPEN, "relay-open", "recipients in foreign domains get 250") \
	X(FEW_RECIPIENTS, "few-recipients", "452 after 50 recipients (RFC 5321 asks for at least 100)") \
	X(RCPT_LIMIT_552, "rcpt-limit-552", "too many recipients get 552 instead of 452") \
	X(VRFY_252_ONLY, "vrfy-252-only", "conformant variant: VRFY verifies nothing and answers 252 to every address") \
	X(VRFY_WRONG_CODE, "vrfy-wrong-code", "VRFY is answered 200") \
	X(VRFY_250, "vrfy-250", "VRFY is answered 250 for any address, unknown ones too (unverified)") \
	X(VRFY_NO_MAILBOX, "vrfy-no-mailbox", "a 250 reply to VRFY does not name the mailbox") \
	X(VRFY_UNUSABLE_ADDRESS, "vrfy-unusable-address", "a 250 reply to VRFY names an address that RCPT refuses") \
	X(NO_VRFY_502, "no-vrfy-502", "a server without VRFY: VRFY gets 502 (not implemented)") \
	X(NO_VRFY_500, "no-vrfy-500", "a server without VRFY: VRFY gets 500 (command not recognized)") \
	X(VRFY_NO_ARGUMENT_252, "vrfy-no-argument-252", "VRFY without an argument gets 252") \
	X(EXPN_NOT_IMPLEMENTED, "expn-not-implemented", "EXPN gets 502 and is not listed in the EHLO reply (RFC 5321 §3.5.2: SHOULD support)") \
	X(EHLO_OMITS_EXPN, "ehlo-omits-expn", "EXPN works but is not listed in the EHLO reply") \
	X(EXPN_WRONG_CODE, "expn-wrong-code", "EXPN is answered 200") \
	X(SEND_IMPLEMENTED, "send-implemented", "conformant variant: SEND, SOML and SAML work like MAIL and are listed in the EHLO reply") \
	X(EHLO_OMITS_SEND, "ehlo-omits-send", "with send-implemented: SEND, SOML and SAML are not listed in the EHLO reply") \
	X(HELP_WRONG_CODE, "help-wrong-code", "HELP is answered 200") \
	X(HELP_250, "help-250", "HELP is answered 250 (not 211 or 214)") \
	X(HELP_ARGUMENT_REFUSED, "help-argument-501", "HELP with an argument (a command name) gets 501 instead of 211, 214 or 504") \
	X(HELP_NOT_IMPLEMENTED, "help-not-implemented", "HELP gets 502 though the EHLO reply lists it") \
	X(EHLO_OMITS_HELP, "ehlo-omits-help", "HELP is implemented but not listed in the EHLO reply") \
	X(KEYWORDS_CASE_SENSITIVE, "keywords-case-sensitive", "FROM:, TO: and parameter keywords are recognised in capitals only") \
	X(MAIL_COLON_SPACE_500, "mail-colon-space-500", "MAIL with a space before or after the colon gets 500 instead of 250 or 501") \
	X(REJECT_ALL_SENDERS, "reject-all-senders", "every MAIL gets 550") \
	X(RCPT_SYNTAX_ACCEPTED, "rcpt-syntax-accepted", "RCPT with a missing, null or unclosed path gets 250") \
	X(RCPT_REFUSAL_ENDS_TRANSACTION, "rcpt-refusal-ends-transaction", "a refused RCPT also discards the sender and the accepted recipients") \
	X(RCPT_NOT_STORED, "rcpt-not-stored", "RCPT gets 250 but the recipient is not kept (DATA: 554)") \
	X(DUPLICATE_RCPT_REJECTED, "duplicate-rcpt-rejected", "the same recipient given twice in a row gets 550 the second time") \
	X(LOCAL_PART_LIMIT_32, "local-part-limit-32", "local parts over 32 octets get 553 (RFC 5321 asks for 64)") \
	X(SIZE_REFUSED_AFTER_DATA, "size-refused-after-data", "MAIL with SIZE= over 100000 gets 250, but the message then gets 552 (RFC 1870 §6.3)") \
	X(RELAY_DENIED_554, "relay-denied-554", "relaying is refused with 554 instead of 550") \
	X(DATA_ACCEPTS_REJECTED_RCPT, "data-accepts-rejected-rcpt", "DATA gets 354 though every RCPT was refused") \
	X(DATA_REPLY_250, "data-reply-250", "DATA is answered 250 instead of 354 (the mail data is still read)") \
	X(DATA_RSET_LINE_ABORTS, "data-rset-line-aborts", "a line \"RSET\" in the mail data is taken as the command") \
	X(DOT_LINE_ENDS_DATA, "dot-line-ends-data", "any line that starts with a dot (\"..\", \". x\") ends the mail data") \
	X(DOT_CRLF_ENDS_DATA, "dot-crlf-ends-data", "\".\" CRLF ends the mail data even at the end of a longer line") \
	X(CRLF_DOT_CR_ENDS_DATA, "crlf-dot-cr-ends-data", "<CR><LF>.<CR> ends the mail data") \
	X(EMPTY_DATA_NOT_ENDED, "empty-data-not-ended", "a \".\" line right after the 354 (no mail data) does not end the data") \
	X(END_OF_DATA_PER_READ, "end-of-data-per-read", "<CR><LF>.<CR><LF> split across two reads is missed") \
	X(LONG_TEXT_LINE_HANGS, "long-text-line-hangs", "after a text line over 1000 octets the end of data is never recognised") \
	X(CONTROL_CHARS_REJECTED, "control-chars-rejected", "a message with control characters (other than HT, CR, LF) gets 554") \
	X(RECEIVED_LIMIT_50, "received-limit-50", "a message with more than 50 Received fields gets 554") \
	X(REJECT_MALFORMED_RECEIVED, "reject-malformed-received", "a message with a Received field without \";\" gets 554") \
	X(REJECT_HEADER_DEFECTS, "reject-header-defects", "a message with two Subject fields or no From field gets 554") \
	X(REJECT_RESENT_FIELDS, "reject-resent-fields", "a message with Resent- fields gets 554") \
	X(BIG_TRANSACTION_FAILS, "big-transaction-fails", "a message to more than 50 recipients gets 452 after the dot") \
	X(REJECT_ALL_MESSAGES, "reject-all-messages", "every message gets 554 after the dot") \
	X(GREETING_NO_DOMAIN, "greeting-no-domain", "the greeting does not begin with the server's domain") \
	X(EHLO_KEYWORD_EQUALS, "ehlo-keyword-equals", "the EHLO reply has a legacy line \"AUTH=LOGIN PLAIN\"") \
	X(EHLO_EMPTY_LINE, "ehlo-empty-line", "the EHLO reply has a line \"250-\" without text") \
	X(EHLO_UNREGISTERED_KEYWORD, "ehlo-unregistered-keyword", "the EHLO reply lists FOOBAR, neither registered nor X-") \
	X(EHLO_LITERAL_REJECTED, "ehlo-literal-rejected", "EHLO with an address literal gets 501") \
	X(EHLO_MISMATCH_REFUSED, "ehlo-mismatch-refused", "after EHLO with a literal other than the loopback address, MAIL gets 550") \
	X(EHLO_SYNTAX_ACCEPTED, "ehlo-syntax-accepted", "EHLO and HELO without an argument or with a bad name get 250") \
	X(NO_ARGUMENT_250, "no-argument-250", "VRFY and EXPN without an argument get 250") \
	X(NOOP_WRONG_CODE, "noop-wrong-code", "NOOP is answered 200") \
	X(NOOP_CODE_OUT_OF_RANGE, "noop-code-260", "NOOP is answered 260, a code whose second digit is outside 0-5 (RFC 5321 §4.2)") \
	X(NOOP_ARGUMENT_REJECTED, "noop-argument-rejected", "NOOP with an argument gets 501") \
	X(NOOP_RESETS_TRANSACTION, "noop-resets-transaction", "NOOP discards the transaction") \
	X(TURN_ACCEPTED, "turn-accepted", "TURN gets 250") \
	X(ENHANCED_LEADING_ZEROS, "enhanced-leading-zeros", "enhanced status codes are written with a leading zero (\"2.01.0\")") \
	X(MAIL_ENHANCED_DESTINATION, "mail-enhanced-destination", "MAIL is answered \"250 2.1.5\" (RFC 3463: X.1.5 is \"destination address valid\")") \
	X(LONG_LINE_SPLIT, "long-line-split", "a command line over 512 octets is cut every 512 octets: each piece is a command line of its own (a fixed buffer)") \
	X(CATCH_ALL, "catch-all", "conformant variant: every local part at its domain is a mailbox: RCPT and VRFY accept ${rejected_mailbox} too (issue 8 §1: its vectors need the profile)") \
	X(GREETING_HOST_NOT_MAIL_DOMAIN, "greeting-host-not-mail-domain", "conformant variant: the greeting names mx1.internal.smtpspec.test; RCPT accepts only postmaster@smtpspec.test and <postmaster>, 550 for every other recipient") \
	X(CLOSES_AFTER_ERRORS, "closes-after-errors", "conformant variant: after 3 error replies in a row: 421 and close (RFC 5321 §7.8 lets a server defend itself)") \
	X(REFUSE_BARE_LF_421, "refuse-bare-lf-421", "conformant variant: a bare CR or LF in a command line or in the mail data: 421 and close") \
	X(REFUSE_BARE_LF_451, "refuse-bare-lf-451", "conformant variant: a message with a bare CR or LF gets 451 at the end of data; the session goes on") \
	X(DATA_ENDS_EARLY_DISCARDS, "data-ends-early-discards", "a line of a single period ends the data whatever ends the lines (CR, LF, CRLF; NULs ignored): 250, then 503 or 500 to every line until QUIT") \
	X(SMUGGLING_EXPLOITABLE, "smuggling-exploitable", "a line of a single period ends the data whatever ends the lines (CR, LF, CRLF; NULs ignored), and what follows is executed as commands") \
	X(HOSTILE_SILENT, "hostile-silent", "hostile: accepts, never sends anything, never reads") \
	X(HOSTILE_NO_EOL, "hostile-no-eol", "hostile: \"220 \" and then 10 MiB without a line end") \
	X(HOSTILE_10MB_REPLY, "hostile-10mb-reply", "hostile: EHLO gets 10 MiB of \"250-\" lines and never a last line") \
	X(HOSTILE_100K_LINES, "hostile-100k-lines", "hostile: EHLO gets a 100000-line reply") \
	X(HOSTILE_NUL_UTF8, "hostile-nul-utf8", "hostile: the greeting carries NUL, invalid UTF-8, markup and quotes") \
	X(HOSTILE_CLOSE_MID_REPLY, "hostile-close-mid-reply", "hostile: the first command gets \"250-first line\\r\\n250-sec\" and a close") \
	X(HOSTILE_RESET, "hostile-reset", "hostile: the first command resets the connection") \
	X(HOSTILE_EARLY_ANSWER, "hostile-early-answer", "hostile: 250 on the first octet of every line, before its CRLF") \
	X(HOSTILE_TRICKLE, "hostile-trickle", "hostile: every reply is sent one octet a second") \
	X(HOSTILE_NO_READ, "hostile-no-read", "hostile: greets, then never reads (small receive buffer)") \
	X(HOSTILE_JUNK_TLS, "hostile-junk-tls", "hostile: advertises STARTTLS, answers it 220, then sends binary junk") \
	/* ---- ESMTP extensions (fake_ext.c): SIZE, 8BITMIME, SMTPUTF8, CHUNKING, DSN, enhanced codes ---- */ \
	X(NO_EXTENSIONS, "no-extensions", "conformant variant: SIZE, 8BITMIME, DSN, SMTPUTF8 and CHUNKING are not advertised; their parameters get 555, BDAT 502") \
	X(UNADVERTISED_PARAMS_501, "unadvertised-params-501", "as no-extensions, but SIZE, BODY, SMTPUTF8 and the DSN parameters get 501 instead of 555") \
	X(SIZE_LIMIT_EXCLUSIVE, "size-limit-exclusive", "MAIL with SIZE= equal to the advertised limit gets 552") \
	X(SIZE_PARAM_REJECTED, "size-param-rejected", "the SIZE parameter of MAIL gets 555 though SIZE is advertised") \
	X(SIZE_SYNTAX_ACCEPTED, "size-syntax-accepted", "SIZE= values are not checked: a non-number, 21 digits or a second SIZE get 250") \
	X(SIZE_KEYWORD_NOT_NUMBER, "size-keyword-not-number", "the EHLO reply advertises \"SIZE 1000000B\"") \
	X(BODY_SYNTAX_ACCEPTED, "body-syntax-accepted", "BODY= values are not checked: an unknown value or a second BODY get 250") \
	X(BODY_7BIT_REJECTED, "body-7bit-rejected", "BODY=7BIT gets 555 though 8BITMIME is advertised") \
	X(EIGHT_BIT_DATA_REJECTED, "eight-bit-data-rejected", "a message with octets over 127 gets 554 after the dot, though 8BITMIME is advertised") \
	X(EXT_KEYWORD_PARAMETERS, "ext-keyword-parameters", "the EHLO reply lists \"8BITMIME 1\", \"DSN 1\", \"SMTPUTF8 1\" and \"ENHANCEDSTATUSCODES 1\" (keywords without parameters)") \
	X(EHLO_OMITS_8BITMIME, "ehlo-omits-8bitmime", "SMTPUTF8 is advertised without 8BITMIME") \
	X(EHLO_DOMAIN_NOT_LDH, "ehlo-domain-not-ldh", "the EHLO reply names the server \"fake_test.invalid\" (not an LDH name)") \
	X(UTF8_WITHOUT_SMTPUTF8, "utf8-without-smtputf8", "non-ASCII addresses get 250 without the SMTPUTF8 parameter") \
	X(SMTPUTF8_VALUE_ACCEPTED, "smtputf8-value-accepted", "SMTPUTF8=value gets 250 (the parameter takes no value)") \
	X(DSN_SYNTAX_ACCEPTED, "dsn-syntax-accepted", "RET, ENVID, NOTIFY and ORCPT values are not checked: bad values and repeats get 250") \
	X(BDAT_ZERO_REFUSED, "bdat-zero-refused", "BDAT 0 LAST gets 501") \
	X(BDAT_ENDS_AT_DOT, "bdat-ends-at-dot", "a BDAT chunk ends at <CRLF>.<CRLF> inside it; the rest is read as commands") \
	X(BDAT_FAILURE_NO_DISCARD, "bdat-failure-no-discard", "a BDAT without MAIL or RCPT is refused at once and its chunk read as commands") \
	X(BDAT_SYNTAX_ACCEPTED, "bdat-syntax-accepted", "BDAT with a chunk size that is not a number is taken as BDAT 0") \
	X(CHUNKING_NO_DATA, "chunking-no-data", "DATA gets 502 (BDAT only)") \
	X(ENHANCED_WRONG_SUBJECT, "enhanced-wrong-subject", "every enhanced status code has the subject 6 (media): \"250 2.6.0\" to MAIL") \
	X(UTF8_REPLY_ECHO, "utf8-reply-echo", "a refused RCPT or VRFY is answered with its address repeated, UTF-8 included") \
	X(SIZE_ENDS_DATA, "size-ends-data", "the mail data ends after the octets declared with SIZE=; the rest is read as commands") \
	X(REJECT_BINARY_CTE, "reject-binary-cte", "a message with \"Content-Transfer-Encoding: binary\" in its header gets 554") \
	X(BINARYMIME, "binarymime", "conformant variant: BINARYMIME (RFC 3030 §3) is advertised and BODY=BINARYMIME accepted; DATA after it gets 503") \
	X(BINARYMIME_DATA_ACCEPTED, "binarymime-data-accepted", "as binarymime, but DATA after BODY=BINARYMIME gets 354") \
	X(VRFY_SMTPUTF8_REJECTED, "vrfy-smtputf8-rejected", "VRFY with the SMTPUTF8 parameter gets 501 though SMTPUTF8 is advertised") \
	X(EHLO_A_LABEL_REJECTED, "ehlo-a-label-rejected", "EHLO with an A-label (xn--) in the client's name gets 501") \
	/* TLS and AUTH (fake_tls.c): RFC 3207, RFC 8314, RFC 4954 */ \
	X(NO_TLS, "no-tls", "conformant variant: no TLS: STARTTLS is not listed in the EHLO reply and gets 502") \
	X(STARTTLS_INJECTION, "starttls-injection", "commands pipelined after STARTTLS are kept and answered inside TLS (CVE-2011-0411)") \
	X(STARTTLS_PLAINTEXT_AFTER_220, "starttls-plaintext-after-220", "after the 220 to STARTTLS, input that is not a TLS record is answered as plaintext commands") \
	X(STARTTLS_KEEPS_STATE, "starttls-keeps-state", "after the TLS handshake the EHLO and the transaction from before are kept") \
	X(STARTTLS_STILL_ADVERTISED, "starttls-still-advertised", "the EHLO reply inside TLS still lists STARTTLS") \
	X(STARTTLS_AGAIN_ACCEPTED, "starttls-again-accepted", "STARTTLS inside TLS gets 220 (nothing follows)") \
	X(STARTTLS_PARAM_ACCEPTED, "starttls-param-accepted", "STARTTLS with a parameter gets 220 instead of 501") \
	X(STARTTLS_NOT_ADVERTISED_ACCEPTED, "starttls-not-advertised-accepted", "STARTTLS is not listed in the EHLO reply, yet accepted (220 and a handshake)") \
	X(STARTTLS_STALL, "hostile-starttls-stall", "hostile: STARTTLS gets 220, then the handshake never completes (input is ignored)") \
	X(TLS_PLAINTEXT_GREETING, "tls-plaintext-greeting", "with --tls-on-connect: a plaintext 220 greeting comes before the handshake") \
	X(NO_AUTH, "no-auth", "conformant variant: AUTH is not listed in the EHLO reply and gets 502") \
	X(AUTH_ACCEPTS_BAD, "auth-accepts-bad", "AUTH with a wrong password gets 235") \
	X(AUTH_BAD_BASE64_535, "auth-bad-base64-535", "an AUTH response that is not base64 gets 535 instead of 501") \
	X(AUTH_CANCEL_NOT_501, "auth-cancel-not-501", "a \"*\" line cancelling AUTH gets 535 instead of 501") \
	X(AUTH_TWICE_ACCEPTED, "auth-twice-accepted", "a second AUTH after a successful one is processed instead of 503") \
	X(AUTH_IN_TRANSACTION_ACCEPTED, "auth-in-transaction-accepted", "AUTH during a mail transaction is processed instead of 503") \
	X(AUTH_NO_INITIAL_RESPONSE, "auth-no-initial-response", "AUTH PLAIN with an initial response gets 501") \
	X(AUTH_MAIL_PARAM_REJECTED, "auth-mail-param-rejected", "MAIL with the AUTH= parameter gets 555 though AUTH is listed") \
	X(AUTH_CHALLENGE_TEXT, "auth-challenge-text", "AUTH PLAIN without an initial response gets \"334 Go ahead\" instead of an empty challenge") \
	X(AUTH_LOGIN_FAILS, "auth-login-fails", "AUTH LOGIN fails (535) even with the right user and password") \
	X(AUTH_NOT_ADVERTISED_ACCEPTED, "auth-not-advertised-accepted", "AUTH is not listed in the EHLO reply, yet AUTH PLAIN and LOGIN work (334, 235)") \
	X(AUTH_538_PLAINTEXT, "auth-538-plaintext", "AUTH PLAIN LOGIN is listed in the plaintext EHLO reply, but AUTH outside TLS gets 538 (encryption required; RFC 4954 §6 deprecates it)") \
	X(AUTH_AFTER_STARTTLS, "auth-after-starttls", "conformant variant: AUTH is listed and works only inside TLS (RFC 4954 §4); outside it AUTH gets 503 and is not listed") \
	X(AUTH_CRAM_MD5, "auth-cram-md5", "conformant variant: AUTH PLAIN LOGIN CRAM-MD5 is listed; CRAM-MD5 (the server speaks first) gets a base64 challenge, and an initial response 501 (RFC 4954 §4); every CRAM-MD5 response gets 535") \
	X(AUTH_CRAM_MD5_INITIAL_535, "auth-cram-md5-initial-535", "as auth-cram-md5, but AUTH CRAM-MD5 with an initial response gets 535 instead of 501 (as Cyrus SASL in Postfix)") \
	X(AUTH_RESPONSE_LIMIT_512, "auth-response-limit-512", "an AUTH response line over 512 octets gets 500 5.5.6 (a 1024-octet PLAIN response does not fit)") \
	X(AUTH_LOGIN_TEXT_PROMPTS, "auth-login-text-prompts", "AUTH LOGIN prompts with \"334 Username:\" and \"334 Password:\" in plain text instead of base64") \
	X(AUTH_MECHANISM_CASE_SENSITIVE, "auth-mechanism-case-sensitive", "mechanism names are recognised in capitals only: AUTH plain gets 504") \
	X(AUTH_UNKNOWN_MECHANISM_535, "auth-unknown-mechanism-535", "AUTH with a mechanism it does not support gets 535 5.7.8 instead of 504 5.5.4") \
	X(AUTH_MAIL_PARAM_MAILBOX_REJECTED, "auth-mail-param-mailbox-rejected", "MAIL with AUTH=<> is accepted, with AUTH=mailbox (an xtext) 501") \
	X(FLAKY_RSET, "flaky-rset", "every second RSET of the server process keeps the sender and the recipients (as rset-keeps-rcpt): a rule broken only sometimes, for run --repeat; mutation.sh skips flaky- modes")

typedef enum {
#define FAKE_MODE_ENUM(id, name, desc) FAKE_MODE_##id,
	FAKE_MODE_MAP(FAKE_MODE_ENUM)
#undef FAKE_MODE_ENUM
	FAKE_MODE_COUNT
} fake_mode_t;

/* The switches of a server: one flag per mode. */
typedef struct fake_modes_s {
	unsigned char on[FAKE_MODE_COUNT];
} fake_modes_t;

/* fake_modes_set - turn on the modes named in a comma-separated list:
 * 0, or -1 with the first unknown name in bad (NUL-terminated). */
int fake_modes_set(fake_modes_t *m, const char *list, char *bad, size_t badsize);
/* fake_modes_list - print every mode with its description. */
void fake_modes_list(void);

/* ---- a byte buffer with a hard cap -------------------------------------- */

typedef struct fake_buf_s {
	char *data;
	size_t len;
	size_t cap;     /* allocated */
	size_t max;     /* hard cap on len */
} fake_buf_t;

/* fake_buf_init - an empty buffer that may grow to max bytes (no allocation). */
void fake_buf_init(fake_buf_t *b, size_t max);
/* fake_buf_append - append n bytes: 0, or -1 past the cap or out of memory. */
int fake_buf_append(fake_buf_t *b, const void *p, size_t n);
/* fake_buf_free - release the storage; the buffer is empty and reusable. */
void fake_buf_free(fake_buf_t *b);

/* ---- the protocol engine (fake_smtp.c) ---------------------------------- */

/* What the connection must do once the replies in out are written. */
typedef enum {
	FAKE_END_NONE = 0,
	FAKE_END_HANG,          /* keep the connection, ignore all input */
	FAKE_END_CLOSE,         /* write out, then close (FIN) */
	FAKE_END_RESET,         /* reset now (RST), out is dropped */
	FAKE_END_STARTTLS,      /* write out in plaintext, then a TLS handshake (fake_tls.c) */
} fake_end_t;

/* A generated byte stream the connection sends after out (hostile modes);
 * input processing waits until it is done. */
typedef enum {
	FAKE_STREAM_NONE = 0,
	FAKE_STREAM_NO_EOL,     /* "220 " and FAKE_HOSTILE_BYTES without LF */
	FAKE_STREAM_BIG_REPLY,  /* FAKE_HOSTILE_BYTES of "250-xxx" lines */
	FAKE_STREAM_MANY_LINES, /* a FAKE_HOSTILE_LINES-line 250 reply */
	FAKE_STREAM_JUNK,       /* FAKE_JUNK_BYTES of binary junk */
} fake_stream_t;

typedef struct fake_smtp_s {
	const fake_modes_t *modes;
	char in[FAKE_IN_MAX];         /* received, not yet processed */
	size_t inlen;
	size_t pos;                   /* processing offset into in */
	fake_buf_t out;               /* replies to write, in order */
	fake_buf_t group;             /* replies of the current pipelined group */
	size_t group_at[FAKE_GROUP_REPLIES_MAX];
	unsigned ngroup;
	fake_end_t end;
	fake_stream_t stream;
	int state;                    /* commands, mail data, BDAT chunk */
	unsigned skipping : 1;        /* discarding an over-long line */
	unsigned early_done : 1;      /* hostile-early-answer: line answered */
	unsigned quit_seen : 1;
	unsigned long commands;       /* complete command lines so far */
	unsigned long messages;       /* messages accepted */
	/* session and transaction */
	int hello;                    /* 0, 'H' (HELO) or 'E' (EHLO) */
	int mail;                     /* a MAIL was accepted */
	int smtputf8;                 /* ... with SMTPUTF8 */
	int binarymime;               /* ... with BODY=BINARYMIME (mode binarymime) */
	uint64_t declared;            /* its SIZE= (0: none) */
	unsigned nrcpt;               /* accepted recipients */
	int rcpt_tried;               /* some RCPT was given (maybe rejected) */
	int bdat;                     /* BDAT chunks in this transaction */
	int bdat_failed;              /* a BDAT chunk failed: only RSET helps */
	int bdat_last;
	uint64_t bdat_left;           /* octets of the chunk still to read */
	uint64_t hist;                /* last octets of mail data, newest lowest */
	uint64_t msg_size;            /* octets of the message so far */
	size_t text_line;             /* octets of the current text line */
	int long_text_line;           /* a text line over FAKE_SHORT_TEXT_LINE */
	int has_ctrl;                 /* a control octet other than HT, CR, LF */
	int blind;                    /* long-text-line-hangs: the end is missed */
	int data_fresh;               /* no mail data read yet (end-of-data-per-read) */
	int dot_line;                 /* the current text line starts with a dot */
	int loose_bol;                /* smuggling modes: at the start of a line */
	int loose_dot;                /* ... and the line so far is a period */
	int bare_seen;                /* a bare CR or LF in the mail data */
	int discarding;               /* data-ends-early-discards: after a fake end */
	unsigned errors;              /* error replies in a row */
	/* the message header, for the header-checking modes */
	int in_header;
	char field[FAKE_FIELD_KEEP];  /* the current field's name (cut) */
	size_t field_len;
	int field_named;              /* its ':' was seen */
	int field_semi;               /* a ';' in the field */
	unsigned received, subjects;
	int has_from, has_resent, bad_received;
	/* other session facts some modes need */
	int ehlo_mismatch;            /* EHLO named a foreign address literal */
	char last_rcpt[FAKE_RCPT_KEEP];
	size_t last_rcpt_len;
	int has_8bit;                  /* the mail data has an octet over 127 */
	char cte[40];                 /* the start of the current header line */
	size_t cte_len;
	int binary_cte;               /* Content-Transfer-Encoding: binary seen */
	/* TLS and AUTH (fake_tls.c) */
	int tls;                      /* the session runs inside TLS */
	int auth;                     /* AUTH succeeded */
	int auth_wait;                /* AUTH waits for a response line: its step */
	int auth_login;               /* ... of the LOGIN mechanism (else PLAIN) */
	int auth_cram;                /* ... of the CRAM-MD5 mechanism (else PLAIN) */
	int auth_user_ok;             /* LOGIN: the user name was right */
	int tls_fed;                  /* ciphertext arrived since TLS began */
	int implicit_tls;             /* --tls-on-connect: greet once TLS is up */
} fake_smtp_t;

/* fake_smtp_init - a new session with these modes (kept by pointer). */
void fake_smtp_init(fake_smtp_t *s, const fake_modes_t *modes);
/* fake_smtp_free - release the reply buffers. */
void fake_smtp_free(fake_smtp_t *s);
/* fake_smtp_start - the greeting (or none, by mode). */
void fake_smtp_start(fake_smtp_t *s);
/* fake_smtp_process - process in[] as far as possible: replies go to out,
 * end and stream say what the connection must do next. */
void fake_smtp_process(fake_smtp_t *s);
/* fake_smtp_goodbye - the server closes: 421 with reason (a "4.x.x" code
 * and text), then end = CLOSE; nothing if the session is already ending. */
void fake_smtp_goodbye(fake_smtp_t *s, const char *enh, const char *text);

/* ---- the extension modes (fake_ext.c) ---------------------------------- */

/* What fake_ext_param decides about one MAIL or RCPT parameter. */
typedef enum {
	FAKE_PARAM_DEFAULT = 0,       /* no extension mode applies: check as usual */
	FAKE_PARAM_ACCEPT,            /* take it as it is */
	FAKE_PARAM_REFUSE,            /* refuse the command with *code, *enh, *text */
} fake_param_t;

/* fake_ext_keyword - the EHLO line for keyword kw under the extension modes
 * (kw itself, a replacement, or NULL to leave it out). */
const char *fake_ext_keyword(const fake_smtp_t *s, const char *kw);
/* fake_ext_domain - the server's name on the first line of the EHLO reply. */
const char *fake_ext_domain(const fake_smtp_t *s);
/* fake_ext_param - a parameter key[0..klen) (=val[0..vlen), val NULL for
 * none) of MAIL or (rcpt) RCPT, under the extension modes. */
fake_param_t fake_ext_param(const fake_smtp_t *s, int rcpt, const char *key, size_t klen,
			    const char *val, size_t vlen, int *code, const char **enh, const char **text);
/* fake_ext_bdat - BDAT under the extension modes, before its chunk is
 * read: 1 when the reply is decided (code, enh, text set) and the chunk is
 * not read (it is empty, or taken as commands), 0 to go on as usual; a bad
 * size may be taken as 0 (*size, *size_ok). */
int fake_ext_bdat(const fake_smtp_t *s, uint64_t *size, int *size_ok, int *code,
		  const char **enh, const char **text);
/* fake_ext_bdat_take - of the n octets p[] of a chunk, how many belong to
 * it; *ended: mode bdat-ends-at-dot saw <CRLF>.<CRLF>, which ends the
 * chunk and the message there.  Keeps the last octets in s->hist. */
size_t fake_ext_bdat_take(fake_smtp_t *s, const char *p, size_t n, int *ended);
/* fake_ext_header_octet - one octet of the message header (bol: it starts
 * a line): notes "Content-Transfer-Encoding: binary". */
void fake_ext_header_octet(fake_smtp_t *s, unsigned char ch, int bol);
/* fake_ext_data_over - mode size-ends-data: the octets counted so far
 * reach the declared SIZE, so the data ends here. */
int fake_ext_data_over(const fake_smtp_t *s);
/* ---- TLS and AUTH (fake_tls.c) ---------------------------------------- */

/* The protocol side (no I/O), called from fake_smtp.c. */
/* fake_smtp_reply - a one-line reply with printf-formatted text. */
void fake_smtp_reply(fake_smtp_t *s, int code, const char *enh, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* fake_smtp_flush - the end of a pipelined group: its replies go to out. */
void fake_smtp_flush(fake_smtp_t *s);
/* fake_smtp_txn_clear - forget the mail transaction. */
void fake_smtp_txn_clear(fake_smtp_t *s);
/* fake_tls_ehlo - append the STARTTLS and AUTH lines of the EHLO reply. */
void fake_tls_ehlo(const fake_smtp_t *s, const char **lines, size_t *nlines);
/* fake_starttls_cmd - STARTTLS (RFC 3207 §4): 220 and end = STARTTLS. */
void fake_starttls_cmd(fake_smtp_t *s, const char *arg, size_t n);
/* fake_auth_offered - AUTH is listed in the EHLO reply now. */
int fake_auth_offered(const fake_smtp_t *s);
/* fake_auth_cmd - AUTH (RFC 4954 §4), PLAIN, LOGIN and (in modes) CRAM-MD5. */
void fake_auth_cmd(fake_smtp_t *s, const char *arg, size_t n);
/* fake_auth_line - a response line while AUTH waits for one. */
void fake_auth_line(fake_smtp_t *s, const char *p, size_t n);
/* fake_auth_mail_param - MAIL's AUTH=val (RFC 4954 §5): 0 when accepted,
 * else the reply code (555 or 501). */
int fake_auth_mail_param(const fake_smtp_t *s, const char *val, size_t n);

/* The connection side (no libuv), called from fakesmtpd.c. */
typedef struct ssp_tls_s ssp_tls_t;
/* fake_tls_setup - the server certificate: cert and key files, or (NULL)
 * a self-signed one for FAKE_DOMAIN made in memory; client_ca (NULL: none):
 * require a client certificate signed by it, and print "CLIENT-CERT
 * <subject>" on stdout after each handshake: 0, or -1 (printed). */
int fake_tls_setup(const char *cert, const char *key, const char *client_ca);
/* fake_tls_cleanup - release what fake_tls_setup made. */
void fake_tls_cleanup(void);
/* fake_tls_begin - the server side of a new TLS session for s, or NULL (printed). */
ssp_tls_t *fake_tls_begin(fake_smtp_t *s);
/* fake_tls_input - ciphertext p[0..n) received: the handshake advances
 * (s learns the start of TLS), plaintext goes to s->in as room allows.
 * 0, 1 when the input is no TLS at all and the mode answers it as
 * plaintext (the caller drops t and puts p into s->in), -1 to close. */
int fake_tls_input(ssp_tls_t *t, fake_smtp_t *s, const char *p, size_t n);
/* fake_tls_pull - more decrypted plaintext into s->in: 0, or -1 to close. */
int fake_tls_pull(ssp_tls_t *t, fake_smtp_t *s);
/* fake_tls_output - encrypt s->out (emptied) and append every ciphertext
 * octet waiting to w: 0, or -1 to close. */
int fake_tls_output(ssp_tls_t *t, fake_smtp_t *s, fake_buf_t *w);

#endif /* FAKE_H */
