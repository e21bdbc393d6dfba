/*
 * profile.c - target profiles (JSON) and the variables they provide.
 */
#include "profile.h"

#include "jsonfile.h"
#include "limits.h"

#include <openssl/evp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Variables every profile provides, with or without a file. */
static const char *const builtin[] = {
	"client",           /* EHLO/HELO argument */
	"domain",           /* a domain the server accepts mail for */
	"mailbox",          /* a recipient it accepts */
	"rejected_mailbox", /* a recipient it rejects */
	"sender",           /* a reverse-path it accepts */
	"foreign_domain",   /* a domain it must not relay to */
	"auth_user",
	"auth_password",
	"auth_plain",       /* RFC 4616: base64 of NUL user NUL password */
	"auth_user_b64",    /* base64 of the user (AUTH LOGIN) */
	"auth_password_b64",
	"server_domain",    /* the domain in the server's greeting */
	"target_host",      /* the host part of --target */
	NULL,
};

/* The variable table holds the built-in variables and the custom ones. */
#define BUILTIN_COUNT (sizeof(builtin) / sizeof(builtin[0]) - 1)
#define CUSTOM_VARS_MAX ((int)(SSP_VARS_MAX - BUILTIN_COUNT))

static const char *const profile_keys[] = {
	"client", "domain", "mailbox", "rejected_mailbox", "sender",
	"foreign_domain", "auth", "vars", "comment", NULL,
};

/* The longest user and password together: their PLAIN message (two NULs
 * more) must fit SSP_VAR_VALUE_MAX once in base64 (4 bytes per 3). */
#define AUTH_PAIR_MAX (SSP_VAR_VALUE_MAX / 4 * 3 - 2)

/* auth_too_long - the credentials of p would not fit ${auth_plain}. */
static int auth_too_long(const ssp_profile_t *p)
{
	const char *u = ssp_vars_get(&p->values, "auth_user"), *w = ssp_vars_get(&p->values, "auth_password");

	return (u ? strlen(u) : 0) + (w ? strlen(w) : 0) > AUTH_PAIR_MAX;
}

static int set_string(ssp_jfile_t *f, json_t *obj, const char *key, ssp_profile_t *p,
		      const char *var)
{
	const char *s = NULL;

	if (ssp_jfile_string(f, obj, key, 0, &s, NULL) != 0)
		return -1;
	if (s == NULL)
		return 0;
	ssp_jfile_push_key(f, key);
	if (strlen(s) == 0 || strlen(s) > SSP_VAR_VALUE_MAX || strpbrk(s, "\r\n")) {
		ssp_jfile_error(f, 0, "must be 1 to %d bytes with no CR or LF", SSP_VAR_VALUE_MAX);
		ssp_jfile_pop(f);
		return -1;
	}
	ssp_jfile_pop(f);
	if (ssp_vars_set(&p->values, var, s, strlen(s)) != 0)
		return ssp_jfile_error(f, 0, "too many variables (at most %d)", SSP_VARS_MAX);
	return 0;
}

static int load(ssp_profile_t *p, ssp_jfile_t *f)
{
	static const char *const auth_keys[] = { "user", "password", NULL };
	json_t *root = f->root, *auth, *vars;
	const char *key;
	json_t *v;

	if (!json_is_object(root))
		return ssp_jfile_error(f, 0, "a profile must be a JSON object, not %s",
				       ssp_jfile_type_name(root));
	if (ssp_jfile_check_keys(f, root, profile_keys) ||
	    set_string(f, root, "client", p, "client") ||
	    set_string(f, root, "domain", p, "domain") ||
	    set_string(f, root, "mailbox", p, "mailbox") ||
	    set_string(f, root, "rejected_mailbox", p, "rejected_mailbox") ||
	    set_string(f, root, "sender", p, "sender") ||
	    set_string(f, root, "foreign_domain", p, "foreign_domain"))
		return -1;
	if ((auth = json_object_get(root, "auth")) != NULL) {
		int rc;
		ssp_jfile_push_key(f, "auth");
		if (!json_is_object(auth))
			rc = ssp_jfile_error(f, 0, "must be an object {\"user\": ..., \"password\": ...}");
		else
			rc = ssp_jfile_check_keys(f, auth, auth_keys) ||
			     set_string(f, auth, "user", p, "auth_user") ||
			     set_string(f, auth, "password", p, "auth_password");
		if (rc == 0 && auth_too_long(p))
			rc = ssp_jfile_error(f, 0, "user and password together must be at most %d bytes (AUTH PLAIN sends them in base64, a variable of at most %d)",
					     AUTH_PAIR_MAX, SSP_VAR_VALUE_MAX);
		ssp_jfile_pop(f);
		if (rc)
			return -1;
	}
	if ((vars = json_object_get(root, "vars")) != NULL) {
		ssp_jfile_push_key(f, "vars");
		if (!json_is_object(vars)) {
			ssp_jfile_error(f, 0, "must be an object of name: string");
			ssp_jfile_pop(f);
			return -1;
		}
		if (json_object_size(vars) > CUSTOM_VARS_MAX) {
			ssp_jfile_error(f, 0, "at most %d custom variables", CUSTOM_VARS_MAX);
			ssp_jfile_pop(f);
			return -1;
		}
		json_object_foreach(vars, key, v) {
			size_t i;
			if (!ssp_vars_valid_name(key)) {
				ssp_jfile_push_key(f, key);
				ssp_jfile_error(f, 1, "bad variable name \"%s\": use [a-z0-9_], 1 to %d bytes",
						key, SSP_VAR_NAME_MAX);
				ssp_jfile_pop(f);
				ssp_jfile_pop(f);
				return -1;
			}
			for (i = 0; builtin[i]; i++) {
				if (strcmp(builtin[i], key) == 0)
					break;
			}
			if (builtin[i] != NULL) {
				ssp_jfile_push_key(f, key);
				ssp_jfile_error(f, 1, "\"%s\" is a built-in variable: set it at the top level", key);
				ssp_jfile_pop(f);
				ssp_jfile_pop(f);
				return -1;
			}
			if (set_string(f, vars, key, p, key) != 0) {
				ssp_jfile_pop(f);
				return -1;
			}
		}
		ssp_jfile_pop(f);
	}
	return 0;
}

int ssp_profile_load(ssp_profile_t *p, const char *file, ssp_diag_t *diag)
{
	ssp_jfile_t f;
	int rc;

	memset(p, 0, sizeof(*p));
	ssp_vars_init(&p->values, NULL);
	if (file == NULL)
		return 0;
	p->file = strdup(file);
	if (p->file == NULL)
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	if (ssp_jfile_open(&f, file, diag) != 0) {
		ssp_jfile_close(&f);
		return -1;
	}
	rc = load(p, &f);
	ssp_jfile_close(&f);
	return rc;
}

int ssp_profile_load_mem(ssp_profile_t *p, const char *name, const char *text, size_t len,
			 ssp_diag_t *diag)
{
	ssp_jfile_t f;
	int rc;

	memset(p, 0, sizeof(*p));
	ssp_vars_init(&p->values, NULL);
	if (ssp_jfile_open_mem(&f, name, text, len, diag) != 0) {
		ssp_jfile_close(&f);
		return -1;
	}
	rc = load(p, &f);
	ssp_jfile_close(&f);
	return rc;
}

void ssp_profile_free(ssp_profile_t *p)
{
	ssp_vars_free(&p->values);
	free(p->file);
	p->file = NULL;
}

int ssp_profile_known(const ssp_profile_t *p, const char *name)
{
	size_t i;

	for (i = 0; builtin[i]; i++) {
		if (strcmp(builtin[i], name) == 0)
			return 1;
	}
	return ssp_vars_get(&p->values, name) != NULL;
}

/* put - set name to the profile's value, else to the default. */
static int put(ssp_vars_t *vars, const ssp_profile_t *p, const char *name,
	       const char *fallback)
{
	const char *v = ssp_vars_get(&p->values, name);

	if (v == NULL)
		v = fallback;
	return ssp_vars_set(vars, name, v, strlen(v));
}

/* put_b64 - set name to the base64 (RFC 4648 §4) of p[0..n): 0 or -1. */
static int put_b64(ssp_vars_t *vars, const char *name, const char *p, size_t n)
{
	unsigned char out[(SSP_VAR_VALUE_MAX * 2 + 2) / 3 * 4 + 8];
	int len;

	if (n > SSP_VAR_VALUE_MAX * 2 + 2)
		return -1;
	len = EVP_EncodeBlock(out, (const unsigned char *)p, (int)n);
	return len < 0 ? -1 : ssp_vars_set(vars, name, (const char *)out, (size_t)len);
}

/* put_auth - the AUTH values derived from auth_user and auth_password (RFC
 * 4954 §4, RFC 4616 §2: PLAIN is authzid NUL authcid NUL passwd, with an
 * empty authzid): 0, or -1 out of memory. */
static int put_auth(ssp_vars_t *vars)
{
	const char *user = ssp_vars_get(vars, "auth_user"), *pass = ssp_vars_get(vars, "auth_password");
	char plain[SSP_VAR_VALUE_MAX * 2 + 2];
	size_t ul = strlen(user), pl = strlen(pass);

	plain[0] = '\0';
	memcpy(plain + 1, user, ul);
	plain[ul + 1] = '\0';
	memcpy(plain + ul + 2, pass, pl);
	return put_b64(vars, "auth_plain", plain, ul + pl + 2) || put_b64(vars, "auth_user_b64", user, ul) ||
	       put_b64(vars, "auth_password_b64", pass, pl);
}

int ssp_profile_vars(const ssp_profile_t *p, const char *server_domain,
		     const char *target_host, ssp_vars_t *vars)
{
	char buf[SSP_VAR_STORED_MAX + 1]; /* the longest prefix below is 27 bytes */
	const char *domain, *client;
	unsigned i;

	if (server_domain == NULL || server_domain[0] == '\0')
		server_domain = "localhost";
	/* custom variables first, then the built-in ones with defaults */
	for (i = 0; i < p->values.n; i++) {
		if (ssp_vars_set(vars, p->values.item[i].name, p->values.item[i].value,
				 strlen(p->values.item[i].value)) != 0)
			return -1;
	}
	if (ssp_vars_set(vars, "server_domain", server_domain, strlen(server_domain)) ||
	    ssp_vars_set(vars, "target_host", target_host, strlen(target_host)) ||
	    put(vars, p, "client", "client.smtpspec.test") ||
	    put(vars, p, "domain", server_domain) ||
	    put(vars, p, "auth_user", "") || put(vars, p, "auth_password", "") ||
	    put(vars, p, "foreign_domain", "relay-test.smtpspec.invalid") || put_auth(vars))
		return -1;
	domain = ssp_vars_get(vars, "domain");
	client = ssp_vars_get(vars, "client");
	snprintf(buf, sizeof(buf), "postmaster@%s", domain);
	if (put(vars, p, "mailbox", buf))
		return -1;
	snprintf(buf, sizeof(buf), "smtpspec-no-such-user-4f1e@%s", domain);
	if (put(vars, p, "rejected_mailbox", buf))
		return -1;
	snprintf(buf, sizeof(buf), "smtpspec@%s", client);
	return put(vars, p, "sender", buf);
}

int ssp_profile_check_auth(const ssp_profile_t *p, ssp_diag_t *diag)
{
	const char *u = ssp_vars_get(&p->values, "auth_user"), *w = ssp_vars_get(&p->values, "auth_password");

	if ((u == NULL) != (w == NULL))
		return ssp_diag_set(diag, NULL, 0, 0, "credentials need both a user and a password (auth.user and auth.password "
				    "in the profile, or --auth-user and --auth-password); %s is missing",
				    u == NULL ? "the user" : "the password");
	if (auth_too_long(p))
		return ssp_diag_set(diag, NULL, 0, 0, "user and password together must be at most %d bytes (AUTH PLAIN sends "
				    "them in base64, a variable of at most %d)", AUTH_PAIR_MAX, SSP_VAR_VALUE_MAX);
	return 0;
}

int ssp_profile_set(ssp_profile_t *p, const char *name, const char *value, ssp_diag_t *diag)
{
	size_t i, n = strlen(value);

	if (n == 0 || n > SSP_VAR_VALUE_MAX)
		return ssp_diag_set(diag, NULL, 0, 0, "%s: must be 1 to %d bytes", name, SSP_VAR_VALUE_MAX);
	for (i = 0; i < n; i++) {
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
			return ssp_diag_set(diag, NULL, 0, 0, "%s: a control byte (0x%02x) is not allowed",
					    name, (unsigned char)value[i]);
	}
	if (ssp_vars_set(&p->values, name, value, n) != 0)
		return ssp_diag_set(diag, NULL, 0, 0, "%s: too many variables (at most %d)", name, SSP_VARS_MAX);
	return 0;
}
