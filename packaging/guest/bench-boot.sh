#!/bin/bash
# Boot-time benchmark for guest images: boots each image N times with boot-test.sh (QEMU TCG, microvm) and
# prints a table of medians (the load column: the median 1-minute load average): QEMU start -> "/init starts the agent" marker, and -> the agent's first line.
#
# Usage: bench-boot.sh [--runs N] [--ready REGEX] [--append ARGS] LABEL=IMAGE_DIR[:KERNEL_ARGS]...
#   --ready   the agent's first console line (default: any line after the marker)
#   KERNEL_ARGS are appended for that entry only (e.g. cds-off=DIR:goldilocks.cds=off)
# Runs one VM at a time; on a shared machine, note the load average the table prints.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=5
READY=""
APPEND=""
IMAGES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --ready) READY=$2; shift 2 ;;
        --append) APPEND=$2; shift 2 ;;
        *=*) IMAGES+=("$1"); shift ;;
        *) echo "bench-boot: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ ${#IMAGES[@]} -gt 0 ] || { echo "usage: bench-boot.sh [--runs N] [--ready REGEX] LABEL=IMAGE_DIR..." >&2; exit 2; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

TMP=$(mktemp -d /tmp/goldilocks-bench-boot.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# The console time stamp ("[  3.189] text", see boot-test.sh) of the first line matching an ERE.
stamp_of() { awk -v re="$1" '$0 ~ re { sub(/^\[ */, ""); sub(/\].*/, ""); print; exit }'; }

# Round-robin over the images, so a change in the machine's load hits every image alike.
boot_once() {  # $1 = label, $2 = image dir[:kernel args]
    local m r dir=${2%%:*} args=""
    [[ "$2" != *:* ]] || args=${2#*:}
    "$HERE/boot-test.sh" --image "$dir" --until "${READY:-goldilocks-init: agent exited}" --timeout 90 \
        --append "$APPEND $args" > "$TMP/console" 2>&1 || true
    m=$(stamp_of 'goldilocks-init: starting agent' < "$TMP/console")
    if [ -n "$READY" ]; then
        r=$(stamp_of "$READY" < "$TMP/console")
    else  # the first line after the marker
        r=$(awk 'f { print; exit } /goldilocks-init: starting agent/ { f = 1 }' "$TMP/console" | stamp_of '')
    fi
    [ -z "$m" ] || echo "$m" >> "$TMP/$1.marker"
    [ -z "$r" ] || echo "$r" >> "$TMP/$1.ready"
    [ -z "$m" ] || [ -z "$r" ] || awk -v a="$m" -v b="$r" 'BEGIN { printf "%.3f\n", b - a }' >> "$TMP/$1.delta"
    cut -d' ' -f1 /proc/loadavg >> "$TMP/$1.load"
}

for spec in "${IMAGES[@]}"; do touch "$TMP/${spec%%=*}".{marker,ready,delta,load}; done
for _ in $(seq "$RUNS"); do
    for spec in "${IMAGES[@]}"; do boot_once "${spec%%=*}" "${spec#*=}"; done
done
printf '%-24s %5s %14s %14s %14s %10s\n' image runs "marker (s)" "agent line (s)" "marker->line" "load"
for spec in "${IMAGES[@]}"; do
    l=${spec%%=*}
    printf '%-24s %5s %14s %14s %14s %10s\n' "$l" "$(wc -l < "$TMP/$l.marker")/$RUNS" \
        "$(median < "$TMP/$l.marker")" "$(median < "$TMP/$l.ready")" "$(median < "$TMP/$l.delta")" \
        "$(median < "$TMP/$l.load")"
done
