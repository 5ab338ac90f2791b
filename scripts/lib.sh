# Shared by scripts/run and scripts/test: install what is missing, then build.
# Sourced, not run.

CARELEDGER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARELEDGER_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config tzdata ca-certificates curl
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-program-options1.81-dev
  libsqlitecpp-dev libsqlite3-dev sqlite3 libhowardhinnant-date-dev
  libgtest-dev libssl-dev libpq-dev
)

# What the checking build needs besides (scripts/test, scripts/fuzz): clang with its sanitizer
# and libFuzzer runtimes, Debian's Chromium for the dashboard's browser test, and PostgreSQL 15
# for the store's tests on it.
CARELEDGER_CHECK_PACKAGES=(clang libclang-rt-14-dev chromium postgresql)

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

# Runs a command as the postgres user when run as root (initdb and pg_ctl refuse root).
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Starts a throwaway PostgreSQL 15 cluster for the tests (Debian's postgresql package): a new
# data directory and socket directory under /tmp, a free port on 127.0.0.1, trust
# authentication on this machine alone. Its settings are in its postgresql.conf, so a plain
# `pg_ctl start` starts it again as it was. Exports CARELEDGER_TEST_POSTGRES (the superuser's
# URL) and CARELEDGER_TEST_POSTGRES_DATA (its data directory, for restart_test_postgres and
# tests that restart it), and sets $test_postgres_dir; stop_test_postgres stops it and removes
# the directory.
start_test_postgres() {
  local bin=/usr/lib/postgresql/15/bin port
  test_postgres_dir=$(mktemp -d /tmp/careledger-pg.XXXXXX)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  [ "$(id -u)" -eq 0 ] && chown postgres "$test_postgres_dir"
  as_postgres "$bin/initdb" -D "$test_postgres_dir/data" -A trust -U postgres -E UTF8 \
    --locale=C.UTF-8 >"$test_postgres_dir/initdb.log" 2>&1 ||
    { cat "$test_postgres_dir/initdb.log" >&2; return 1; }
  as_postgres tee -a "$test_postgres_dir/data/postgresql.conf" >/dev/null <<CONF
port = $port
unix_socket_directories = '$test_postgres_dir'
listen_addresses = '127.0.0.1'
max_connections = 200
CONF
  as_postgres "$bin/pg_ctl" -D "$test_postgres_dir/data" -l "$test_postgres_dir/server.log" -w \
    start >/dev/null || { cat "$test_postgres_dir/server.log" >&2; return 1; }
  export CARELEDGER_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
  export CARELEDGER_TEST_POSTGRES_DATA="$test_postgres_dir/data"
}

# Restarts the test cluster (CARELEDGER_TEST_POSTGRES_DATA) as a crash would: an immediate
# shutdown (its server processes end at once, with no checkpoint), then a start, which
# recovers from the write-ahead log; returns once it accepts connections again.
restart_test_postgres() {
  local bin=/usr/lib/postgresql/15/bin data="$CARELEDGER_TEST_POSTGRES_DATA"
  as_postgres "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
  as_postgres "$bin/pg_ctl" -D "$data" -l "$(dirname "$data")/server.log" -w start >/dev/null ||
    { tail -20 "$(dirname "$data")/server.log" >&2; return 1; }
}

stop_test_postgres() {
  [ -n "${test_postgres_dir:-}" ] || return 0
  as_postgres /usr/lib/postgresql/15/bin/pg_ctl -D "$test_postgres_dir/data" -m immediate -w stop \
    >/dev/null 2>&1 || true
  rm -rf "$test_postgres_dir"
  test_postgres_dir=""
  unset CARELEDGER_TEST_POSTGRES CARELEDGER_TEST_POSTGRES_DATA
}
