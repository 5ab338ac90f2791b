# Shared by scripts/run and scripts/test: install what is missing, then build.
# Sourced, not run.

CARELEDGER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARELEDGER_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config tzdata ca-certificates curl
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-program-options1.81-dev
  libsqlitecpp-dev libsqlite3-dev sqlite3 libhowardhinnant-date-dev
  libgtest-dev libssl-dev
)

# What the checking build needs besides (scripts/test, scripts/fuzz): clang with its sanitizer
# and libFuzzer runtimes, and Debian's Chromium for the dashboard's browser test.
CARELEDGER_CHECK_PACKAGES=(clang libclang-rt-14-dev chromium)

# Installs the Debian packages that are not installed yet (apt-get update once, only if
# needed): CARELEDGER_PACKAGES and any named.
install_packages() {
  local missing=()
  for p in "${CARELEDGER_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Configures (once) and builds into build/ (all of it, or the targets named: --target careledger).
build_careledger() {
  cd "$CARELEDGER_ROOT"
  if [ ! -f build/build.ninja ]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build build --parallel "$(nproc)" "$@"
}

# Configures (once) and builds the checking build into build-check/: clang, AddressSanitizer
# and UndefinedBehaviorSanitizer over everything (stopping at the first report), the fuzz
# targets of tests/fuzz. Optimised a little (-O1), with line tables only, for reports that
# name lines without the cost of full debug information.
build_checking() {
  cd "$CARELEDGER_ROOT"
  if [ ! -f build-check/build.ninja ]; then
    CC=clang CXX=clang++ cmake -S . -B build-check -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" \
      -DCARELEDGER_SANITIZE=ON -DCARELEDGER_FUZZ=ON >/dev/null
  fi
  cmake --build build-check --parallel "$(nproc)" "$@"
}

# Starts `careledger serve --db DB --port 0 [OPTION...]` in the background, logging to LOG, and
# returns once it listens. Sets $server (its pid) and $base (its URL).
start_careledger() {
  local db="$1" log="$2"
  shift 2
  : > "$log"
  "$CARELEDGER_ROOT/build/careledger" serve --db "$db" --port 0 "$@" > "$log" 2>&1 &
  server=$!
  until grep -q listening "$log"; do
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.02
  done
  base="http://127.0.0.1:$(grep -o '[0-9]*$' "$log")"
}
