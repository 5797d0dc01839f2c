# bench.sh native: the shipped native binary (out/labreasharp, NativeAOT) beside the same code as a
# framework-dependent .NET program (published here to a scratch folder), in one lab and one run.
# Sourced by bench.sh, which provides lab, work, root, figure and the lab scripts.
#   idle RSS   `run` with its defaults on the lab's tarpit interface, 3 s after it says it is
#              watching, nothing to answer: VmRSS, the capture ring's share of it (the packet
#              socket's mapping in /proc/PID/smaps), the rest, and the anonymous part of the rest
#   startup    exec to exit of a replay of one SYN (median of 21), and exec to the "watching" line
#              of a live run (median of 11), each timed from this script

native_rss() {   # native_rss PID: "RSS RING ANON" in KiB
  local rss ring anon
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status")
  anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$1/status")
  ring=$(awk '/^[0-9a-f]+-[0-9a-f]+ / {socket = ($6 ~ /^socket:/)} socket && /^Rss:/ {k += $2} END {print k + 0}' "/proc/$1/smaps")
  echo "$rss $ring $anon"
}

native_median_ms() {   # native_median_ms COUNT COMMAND...: the median wall time of COMMAND, in ms
  local count=$1 i start end
  shift
  for i in $(seq "$count"); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
  done | sort -n | awk '{v[NR] = $1} END {printf "%.1f", v[int((NR + 1) / 2)] / 1000}'
}

native_run_ms() {   # native_run_ms BINARY...: the median time from exec to the "watching" line, in ms
  local i start end pid
  for i in $(seq 11); do
    rm -f "$work/startup.err"
    start=$(date +%s%N)
    ip netns exec "$lab-tarpit" "$@" run -i eth0 -q --stats-interval 0 2>"$work/startup.err" &
    pid=$!
    until grep -q "watching eth0" "$work/startup.err" 2>/dev/null; do
      kill -0 "$pid" 2>/dev/null || { echo "the tarpit did not start: $(cat "$work/startup.err")" >&2; exit 1; }
      sleep 0.001
    done
    end=$(date +%s%N)
    kill -TERM "$pid"; wait "$pid" || true
    echo $(((end - start) / 1000))
  done | sort -n | awk '{v[NR] = $1} END {printf "%.1f", v[int((NR + 1) / 2)] / 1000}'
}

native() {
  dotnet publish "$root/src/LaBreaSharp/LaBreaSharp.csproj" -c Release -p:PublishAot=false -o "$work/jit" -nologo -v quiet >/dev/null
  local gen_dll="$root/bench/LaBreaSharp.Benchmarks/bin/Release/net10.0/LaBreaSharp.Benchmarks.dll"
  [ -f "$gen_dll" ] || build_benchmarks
  dotnet "$gen_dll" generate-syns "$work/one.pcap" 1 >/dev/null
  "$here/lab.sh" up "$lab" >/dev/null
  local replay=(replay -r "$work/one.pcap" -w "$work/out1.pcap" --hard-capture 192.0.2.64/26 --my-mac 02:00:00:00:02:01 --seed 1 -q)
  local name binary pid rss ring anon
  for name in native framework-dependent; do
    if [ "$name" = native ]; then binary=("$root/out/labreasharp"); else binary=(dotnet "$work/jit/labreasharp.dll"); fi
    ip netns exec "$lab-tarpit" "${binary[@]}" run -i eth0 --log-file "$work/idle.log" 2>"$work/idle.err" &
    pid=$!
    for _ in $(seq 100); do grep -q "watching eth0" "$work/idle.err" && break; sleep 0.1; done
    sleep 3
    # ip netns exec execs the program, so $! is the tarpit itself (dotnet, for the other build).
    read -r rss ring anon < <(native_rss "$pid")
    kill -TERM "$pid"; wait "$pid" || true
    figure "$name: idle run, RSS" "$(awk "BEGIN {printf \"%.1f MB: the capture ring %.1f MB, the rest %.1f MB (%.1f MB anonymous)\", $rss / 1024, $ring / 1024, ($rss - $ring) / 1024, $anon / 1024}")"
    figure "$name: startup, replay of one SYN" "$(native_median_ms 21 "${binary[@]}" "${replay[@]}") ms (exec to exit, median of 21)"
    figure "$name: startup, run to watching" "$(native_run_ms "${binary[@]}") ms (exec to the watching line, median of 11)"
  done
  figure "native: the binary" "$(du -k "$root/out/labreasharp" | cut -f1) KiB; $(ldd "$root/out/labreasharp" | awk '{print $1}' | paste -sd ' ' -)"
  "$here/lab.sh" down "$lab" >/dev/null
}
