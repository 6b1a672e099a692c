#!/usr/bin/env bash
# Makes sure the services the scale-out tests use are up: PostgreSQL, Redis and NATS (JetStream).
# On the CI and development machines they are installed from Debian's packages; this starts any that
# has stopped, with the same commands the machine uses at boot. It never fails the build by itself:
# the tests say loudly what is missing.
set -u

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

start_if_down() {
  local name=$1 port=$2; shift 2
  if port_open "$port"; then echo "service $name: up on :$port"; return; fi
  echo "service $name: down on :$port, starting"
  "$@" >/dev/null 2>&1 || echo "service $name: could not start ($*)"
  for _ in $(seq 1 30); do port_open "$port" && { echo "service $name: up on :$port"; return; }; sleep 0.5; done
  echo "service $name: still down on :$port"
}

if command -v pg_ctlcluster >/dev/null 2>&1; then
  start_if_down postgresql 5432 pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
fi
if command -v redis-server >/dev/null 2>&1; then
  start_if_down redis 6379 redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
if [ -x /usr/sbin/nats-server ]; then
  start_if_down nats 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
fi
exit 0
