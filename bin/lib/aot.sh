# Sourced by bin/switchboard: the JDK's ahead-of-time cache for the edge (JDK 25+, JEP 483/514; ADR 0015).
# A training run of a real edge (the launcher's own JVM options, loopback, rounds of connections from
# loadgen, then SIGTERM) records which classes it loads and links, how its methods run and what it
# compiles; the JVM writes that to the cache when the edge exits. Later edges map the cache instead of
# loading and linking those classes again, and compile early what the training compiled: they listen
# sooner and run compiled code from their first connections.
#
# The cache is used only if it was made from the same jars (names, sizes, modification times), the same
# JDK and the same launcher options; otherwise the edge starts without it and it is made again in the
# background. Where it cannot be made (an older JDK, SWITCHBOARD_AOT=off, no writable folder, a training
# run that failed) the edge runs without one. `bin/switchboard aot-cache` makes it in the foreground.
# The JVM itself accepts a cache whose jars were rebuilt to the same size (it ran stale classes in a
# test), so the launcher's key, not the JVM, decides when the cache is stale.
#
#   aot_cache_opts LIB JAVA_OPTS...   prints the options that use the cache; when it is missing or stale,
#                                     prints nothing (the edge starts without) and trains it in the background
#                                     for the next start
#   aot_train LIB JAVA_OPTS...        (re)makes the cache if it is missing or stale
#   aot_runs_edge ARGS...             whether the launcher's arguments start an edge
#
# The training opens 2 x SWITCHBOARD_AOT_TRAINING_CONNECTIONS (default 10,000) connections: enough that the
# connection path's methods reach C2 in the training, so that an edge started with the cache compiles them
# as soon as their classes are initialised (-XX:+AOTCompileEagerly, which the cache's run options name
# where the JVM has it) instead of after thousands of real connections (docs/benchmarks.md, "Compiled
# before the first connection"). Where the open-files limit (raised to its hard limit for the training)
# is below a round, the same number of connections is opened in more, smaller rounds. The count is not
# part of the cache's key, so a cache made with another count is used until the jars change.

# Where the cache lives: SWITCHBOARD_AOT_DIR, else next to the jars, else the user's cache folder.
_sb_aot_dir() {
  local lib=$1 dir
  for dir in "${SWITCHBOARD_AOT_DIR:-}" "$lib" "${XDG_CACHE_HOME:-$HOME/.cache}/switchboard"; do
    [ -n "$dir" ] || continue
    mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] && { echo "$dir"; return 0; }
  done
  return 1
}

# What the cache was made from: the JDK (its runtime image), the jars and the JVM options.
_sb_aot_key() {
  local lib=$1; shift
  {
    echo "$JAVA_HOME $*"
    ls -l --time-style=+%s "$JAVA_HOME/lib/modules" "$lib"/*.jar 2>/dev/null | awk '{print $5, $6, $7}'
  } | cksum | cut -d' ' -f1
}

_sb_aot_enabled() {
  [ "${SWITCHBOARD_AOT:-on}" != "off" ] && [ "${major:-21}" -ge 25 ]
}

# A port nothing listens on now (loopback), for the training run: below the kernel's ephemeral range, so that
# the outgoing connections of other processes do not take it between this check and the edge's bind.
_sb_free_port() {
  local p lo
  lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "${lo:-0}" -gt 12000 ] 2>/dev/null || lo=60000
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    p=$(( 10000 + RANDOM % (lo - 10000) ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

aot_train() {
  _sb_aot_enabled || return 1
  local lib=$1; shift
  local dir key cache
  dir=$(_sb_aot_dir "$lib") || return 1
  key=$(_sb_aot_key "$lib" "$@")
  cache=$dir/edge.aot
  if [ -f "$cache" ] && [ "$(cat "$cache.key" 2>/dev/null)" = "$key" ]; then
    return 0
  fi
  # One training at a time (a lock older than 15 minutes is left over from one that died).
  find "$cache.lock" -maxdepth 0 -mmin +15 -exec rmdir {} \; 2>/dev/null || true
  mkdir "$cache.lock" 2>/dev/null || return 1
  rm -f "$cache" "$cache.key"
  local rc=0
  aot_training_run "$lib/*" "$cache" "$@" && echo "$key" > "$cache.key" || rc=$?
  rmdir "$cache.lock" 2>/dev/null || true
  return $rc
}

# A training run of an edge on loopback with CLASSPATH and JAVA_OPTS, driven by loadgen, that leaves the
# cache in CACHE (or nothing, and fails). Also used at image build (deploy/images/train-aot.sh).
aot_training_run() (
  local classpath=$1 cache=$2; shift 2
  local port api secret pid log ok=1 per rounds=2 limit attempt seen
  # Connections per round, within the open-files limit (this subshell's own: the caller's is unchanged).
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  per=${SWITCHBOARD_AOT_TRAINING_CONNECTIONS:-10000}
  limit=$(ulimit -n)
  if [ "$limit" != unlimited ] && [ $((per + 256)) -gt "$limit" ]; then
    rounds=$((2 * per))   # the same connections in all
    per=$((limit > 306 ? limit - 256 : 50))
    rounds=$(( (rounds + per - 1) / per ))
  fi
  secret=aot-training-$RANDOM$RANDOM$RANDOM$RANDOM-0123456789abcdef
  log=$cache.log
  echo "switchboard: training the edge's ahead-of-time cache (once per build and JDK; SWITCHBOARD_AOT=off skips it)..." >&2
  # Both the edge and the load generator append to the log: one that wrote from its own offset would overwrite the other.
  : > "$log"
  # A port found free can still be taken before the edge binds it (another process's socket): up to three tries.
  for attempt in 1 2 3; do
    port=$(_sb_free_port) && api=$(_sb_free_port) || return 1
    seen=$(wc -l < "$log")
    # INFO whatever the caller's level: the start line below is how the training knows the edge listens.
    SWITCHBOARD_LOG_LEVEL=INFO "$JAVA_HOME/bin/java" "$@" -XX:AOTCacheOutput="$cache.tmp" -cp "$classpath" dev.switchboard.cli.Main edge \
        --host 127.0.0.1 --port "$port" --api-port "$api" --node-id "aot-training-$$" \
        --jwt-secret "$secret" --api-key "platform:$secret" >> "$log" 2>&1 &
    pid=$!
    # Ready when the edge says it listens (a connect could reach another process that took the port).
    for _ in $(seq 1 3600); do  # up to 3 minutes: a loaded machine starts a JVM slowly
      tail -n +"$((seen + 1))" "$log" | grep -q "listening on" && { ok=0; break; }
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    [ "$ok" = 0 ] && break
    wait "$pid" 2>/dev/null || true
    tail -n +"$((seen + 1))" "$log" | grep -q "Address already in use" || break
    echo "switchboard: the training's port was taken (try $attempt of 3)" >> "$log"
  done
  if [ "$ok" = 0 ]; then
    # Rounds of connections: handshakes, Connect, a subscription each, closes (no publications).
    "$JAVA_HOME/bin/java" "$@" -cp "$classpath" dev.switchboard.cli.Main loadgen --scenario rounds --connections "$per" \
        --channels 40 --connect-concurrency 50 --rounds "$rounds" --duration 2s --drain 1s --timeout 5m \
        --target "switchboard=ws://127.0.0.1:$port/ws" --jwt-secret "$secret" >> "$log" 2>&1 || ok=1
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ "$ok" = 0 ] && [ -s "$cache.tmp" ]; then
    mv "$cache.tmp" "$cache"
    _sb_aot_run_options "$@" > "$cache.opts"
  else
    echo "switchboard: no ahead-of-time cache (training failed, see $log); the edge runs without one" >&2
    rm -f "$cache.tmp" "$cache.tmp.config" "$cache.opts"
    return 1
  fi
)

# The options an edge that maps the cache runs with besides -XX:AOTCache, one per line: eager compilation of
# what the training compiled (JDK 25's -XX:+AOTCompileEagerly is experimental: named only where this JVM
# accepts it).
_sb_aot_run_options() {
  if "$JAVA_HOME/bin/java" "$@" -XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly -version >/dev/null 2>&1; then
    printf '%s\n' -XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly
  fi
}

# Whether the arguments start an edge (not `edge drain`, not a help or version request).
aot_runs_edge() {
  [ "${1:-}" = "edge" ] && [ "${2:-}" != "drain" ] || return 1
  local a
  for a in "$@"; do
    case $a in -h|--help|-V|--version) return 1 ;; esac
  done
  return 0
}

aot_cache_opts() {
  _sb_aot_enabled || return 0
  local lib=$1; shift
  local dir
  dir=$(_sb_aot_dir "$lib") || return 0
  if [ -f "$dir/edge.aot" ] && [ "$(cat "$dir/edge.aot.key" 2>/dev/null)" = "$(_sb_aot_key "$lib" "$@")" ]; then
    echo "-XX:AOTCache=$dir/edge.aot"
    # Only the options the training may write: a line put there by anyone else never reaches the JVM.
    grep -x -e '-XX:+UnlockExperimentalVMOptions' -e '-XX:+AOTCompileEagerly' "$dir/edge.aot.opts" 2>/dev/null || true
  else
    # This edge starts without; the next one finds the cache. Detached, at a lower priority, quiet.
    ( set +e; renice -n 10 -p "$BASHPID" >/dev/null 2>&1; aot_train "$lib" "$@" ) </dev/null >/dev/null 2>&1 &
  fi
}
