/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_VERSION_H
#define UFFDBENCH_VERSION_H

/*
 * The release, semantic versioning: MAJOR for a results schema or CLI
 * change that breaks readers or scripts, MINOR for additions, PATCH for
 * fixes.  Every change is recorded in bench/docs/CHANGELOG.md; a release is
 * the annotated tag vMAJOR.MINOR.PATCH on the commit that sets it here.
 */
#define UFFDBENCH_VERSION "0.1.0"

/* The git revision the binary was built from ("-dirty": uncommitted changes). */
#ifndef UFFDBENCH_GIT_REV
#define UFFDBENCH_GIT_REV "unknown"
#endif

#endif
