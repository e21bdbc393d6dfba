/*
 * replay.c - run a fuzz target's inputs without libFuzzer: every file named
 * on the command line (or found in a named directory) is fed once.  The
 * corpus and the kept crash reproducers run this way in "make test", built
 * with the ordinary compiler.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* feed - run one file through the target: 0, or -1 if unreadable. */
static int feed(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		if (f)
			fclose(f);
		return -1;
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, count = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *de;
			while (d && (de = readdir(d)) != NULL) {
				char path[4096];
				if (de->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
				if (feed(path) != 0) {
					fprintf(stderr, "replay: cannot read %s\n", path);
					return 1;
				}
				count++;
			}
			if (d)
				closedir(d);
		} else if (feed(argv[i]) != 0) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		} else {
			count++;
		}
	}
	printf("replay: %d inputs\n", count);
	return 0;
}
