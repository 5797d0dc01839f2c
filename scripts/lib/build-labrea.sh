#!/usr/bin/env bash
# Builds LaBrea 2.5 (Tom Liston's tarpit, GPL v2; not packaged by Debian) from a source tree you
# have, for `scripts/bench.sh flood-log` to run beside LaBreaSharp: LABREA=OUT/labrea.
#
#   scripts/lib/build-labrea.sh SOURCE_DIR OUT_DIR
#
# SOURCE_DIR holds LaBrea's src/*.c and inc/*.h (a 2.5 release tree, or its GitHub
# mirror Hirato/LaBrea). None of LaBrea's code is in this project. Instead of its autoconf build
# (which wants libdnet's dnet-config; Debian packages libdnet as libdumbnet) this compiles the
# sources directly against Debian's libdumbnet and libpcap with a few small shims of our own:
#   - config.h: what configure finds on Debian; strlcpy (glibc 2.36 has none);
#   - dnet.h -> dumbnet.h; queue.h -> <sys/queue.h> (and SLIST_END, which glibc's lacks);
#   - LaBrea's own pcap_open() renamed: libpcap 1.9 and later declare one of their own;
#   - bget (the pool allocator LaBrea bundles) mapped to malloc/free, so a tree without it builds.
# -O2, as LaBrea's configure would build it. Nothing else is changed.
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
src=$(cd "$1" && pwd); out=$2
[ -f "$src/src/pkt_handler.c" ] && [ -f "$src/inc/labrea.h" ] || { echo "build-labrea: $src has no LaBrea src/ and inc/" >&2; exit 1; }
dpkg -s libdumbnet-dev libpcap-dev >/dev/null 2>&1 || apt-get install -y -q libdumbnet-dev libpcap-dev >/dev/null
mkdir -p "$out/shim"; out=$(cd "$out" && pwd); shim=$out/shim
cat >"$shim/config.h" <<'H'
#define HAVE_ERR_H 1
#define HAVE_FCNTL_H 1
#define HAVE_GETOPT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_SYSLOG_H 1
#define HAVE_SYS_IOCTL_H 1
#define HAVE_TIME_H 1
#define HAVE_UNISTD_H 1
#define RETSIGTYPE void
#define PACKAGE_STRING "LaBrea 2.5-beta-2"
#define PACKAGE_BUGREPORT "lorgor@users.sourceforge.net"
#define PACKAGE_VERSION "2.5-beta-2"
#include <stddef.h>
#include <syslog.h>
#include <pcap.h>
#define pcap_open labrea_pcap_open
size_t strlcpy(char *dst, const char *src, size_t size);
H
echo "#define LABREA_CONF \"$out/labrea.conf\"" >>"$shim/config.h"
echo '#include <dumbnet.h>' >"$shim/dnet.h"
printf '#include <sys/queue.h>\n#ifndef SLIST_END\n#define SLIST_END(head) NULL\n#endif\n' >"$shim/queue.h"
printf '#include <stdlib.h>\n#define bget(n) malloc(n)\n#define brel(p) free(p)\n#define bpool(p, n) ((void)0)\n#define bectl(c, a, r, i) ((void)0)\n' >"$shim/bget.h"
cat >"$shim/strlcpy.c" <<'C'
#include <string.h>
size_t strlcpy(char *dst, const char *src, size_t size)
{
  size_t n = strlen(src);
  if (size) { size_t k = n >= size ? size - 1 : n; memcpy(dst, src, k); dst[k] = 0; }
  return n;
}
C
: >"$out/labrea.conf"   # no EXC/IPI/POR lines: every address of the interface's subnet may be claimed
# -iquote: LaBrea's inc/ has a syslog.h of its own (for Windows) that must not hide the system's.
gcc -O2 -w -I"$shim" -iquote "$src/inc" -iquote "$shim" -o "$out/labrea" \
  "$src"/src/{labrea,labrea_init,pkt_handler,lbio,ctl,utils,pcaputil,pkt}.c "$shim/strlcpy.c" -ldumbnet -lpcap
"$out/labrea" -V 2>&1 | head -1
echo "built $out/labrea"
