#!/usr/bin/env bash
# What `npm test` needs on a fresh Debian machine, set up only when missing (run as "pretest"):
#   - Debian's Chromium at /usr/bin/chromium for the browser tests (driven through playwright-core;
#     a playwright-downloaded browser is never used),
#   - xmllint (libxml2-utils), with which the CAP tests check the Atom feed's messages against the schema,
#   - redis-server/redis-cli, and a Redis answering on 127.0.0.1:$IOC_TEST_REDIS_PORT (default 6379)
#     for the integration tests,
#   - Debian's nginx and openssl for the deploy test (npm run test:deploy), which starts an nginx of
#     its own on free ports with its own folder (whatever nginx the package itself starts is left alone).
# Idempotent: prints one line per action taken and nothing when everything is already there.
set -euo pipefail

port="${IOC_TEST_REDIS_PORT:-6379}"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "test-env: need root or sudo to run: $*" >&2; exit 1
  fi
}
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
  echo "test-env: installing chromium"
  apt_install chromium fonts-dejavu-core
fi

if ! command -v xmllint >/dev/null 2>&1; then
  echo "test-env: installing libxml2-utils (xmllint)"
  apt_install libxml2-utils
fi

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "test-env: installing redis-server"
  apt_install redis-server
fi

if ! command -v nginx >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
  echo "test-env: installing nginx and openssl"
  apt_install nginx openssl
fi

# Bounded: a listener on the port that is not Redis must not hang the check.
redis_up() { timeout 1 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; }
if ! redis_up; then
  echo "test-env: starting redis-server on 127.0.0.1:$port"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no >/dev/null
  deadline=$((SECONDS + 5))
  until redis_up; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "test-env: redis-server on 127.0.0.1:$port did not answer PING within 5 s" >&2
      exit 1
    fi
    sleep 0.1
  done
fi
