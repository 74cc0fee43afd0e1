// SPDX-License-Identifier: MIT
/*
 * The attribution's figure: per memory type and ioctl, a bar per function of
 * its Δ instructions per page (B - A, from the batch fit), the largest moves
 * first.  attr-MEMTYPE-IOCTL.dat and .gp in the output directory, rendered
 * by gnuplot there (`cd DIR && gnuplot attr-....gp` redraws it by hand).
 */
#include "attr/attr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_dat(const char *path, const struct attr_set *a, const struct attr_set *b,
		     const char *mt, const char *io, unsigned nfuncs)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fprintf(f, "# function  delta-instructions/page  /ioctl (B - A, batch fit)\n");
	attr_delta_table(f, a, b, mt, io, nfuncs);
	return fclose(f) ? -errno : 0;
}

static int write_gp(const char *path, const char *stem, const char *title, unsigned nfuncs)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fprintf(f, "set terminal pngcairo size 900,%u font \"sans,10\" noenhanced\n"
		"set output \"%s.png\"\n"
		"set title \"%s\"\n"
		"set xlabel \"Δ instructions, B - A (fit over the batch sizes)\"\n"
		"set style fill solid 0.8 border -1\n"
		"set grid xtics\n"
		"set xzeroaxis\nset yrange [-0.7:] reverse\nset key outside bottom center horizontal\n"
		"set ytics nomirror\n"
		"plot \"%s.dat\" using 2:0:(0):2:($0 - 0.4):($0 + 0.02):ytic(1) "
		"with boxxyerror lc rgb \"#c0392b\" title \"per page\", \\\n"
		"     \"%s.dat\" using 3:0:(0):3:($0 - 0.02):($0 + 0.4) "
		"with boxxyerror lc rgb \"#7f8c8d\" title \"per ioctl\"\n",
		200 + 24 * nfuncs, stem, title, stem, stem);
	return fclose(f) ? -errno : 0;
}

static int run_gnuplot(const char *gnuplot, const char *dir, const char *script)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (chdir(dir) == 0)
			execl(gnuplot, "gnuplot", script, (char *)NULL);
		_exit(127);	/* the forked child, exec failed: the shell's 127 */
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

int attr_plot(const char *dir, const char *gnuplot, const struct attr_set *a,
	      const struct attr_set *b, const char *mt, const char *io, unsigned nfuncs,
	      char *out, size_t outlen)
{
	char stem[256], path[4096], title[512];
	struct attr_fit fa, fb;
	int ret;

	snprintf(stem, sizeof(stem), "attr-%s-%s", mt, io);
	attr_fit_total(a, mt, io, &fa);
	attr_fit_total(b, mt, io, &fb);
	snprintf(title, sizeof(title), "%s %s, B - A: %+.1f instructions/page, %+.2f indirect calls/page",
		 mt, io, fb.insn_page - fa.insn_page, fb.ind_page - fa.ind_page);
	snprintf(path, sizeof(path), "%s/%s.dat", dir, stem);
	ret = write_dat(path, a, b, mt, io, nfuncs);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/%s.gp", dir, stem);
	ret = write_gp(path, stem, title, nfuncs);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s.gp", stem);
	ret = run_gnuplot(gnuplot, dir, path);
	snprintf(out, outlen, "%s/%s.png", dir, stem);
	return ret;
}
