#!/usr/bin/env bash
# DynamoDB Local needs Java 11 or newer. On Debian as root, install it; otherwise say what to install.
set -euo pipefail
java_major() {
  java -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}
if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 11 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Java (default-jre-headless) for DynamoDB Local..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  exit 0
fi
echo "DynamoDB Local needs Java 11 or newer: install a Java runtime (e.g. 'apt-get install default-jre-headless') and run 'make setup' again." >&2
exit 1
